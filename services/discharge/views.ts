import type { AdmissionView } from '../../contract/dto/admission.ts';
import type { SettlementView } from '../../contract/dto/settlement.ts';
import { maskCertNo, maskName } from '../../contract/mask.ts';
import type { Names } from '../charges/fee-upload.ts';
import type { Store } from '../../db/store.ts';
import type { Admission } from '../../db/repositories/admissions.ts';
import type { Settlement } from '../../db/repositories/settlements.ts';
import { chinaTime } from '../../base/china-time.ts';
import { billedFen, depositMethods, heldFen } from '../money/stay-figures.ts';
import { breakdownOf, patientFacts } from '../documents/gather.ts';


/** An admission as screens see it: the ID number masked everywhere, the name masked on patient screens. */
export function admissionView(store: Store, adm: Admission, now: Date, names: Names, staffScreen: boolean): AdmissionView {
  const p = patientFacts(store, adm, chinaTime(now).day);
  const gender = p.gender === '1' || p.gender === '2' ? p.gender : '9';
  return {
    admissionId: adm.iptNo,
    iptNo: adm.iptNo,
    mdtrtId: adm.mdtrtId,
    status: adm.status,
    person: {
      psnNo: adm.psnNo,
      displayName: staffScreen ? p.name : maskName(p.name),
      displayCertNo: maskCertNo(p.certno),
      gender,
      age: p.age,
      insuplcAdmdvs: adm.insuplcAdmdvs,
      insuplcName: p.insuplcName,
    },
    insutype: adm.insutype,
    deptCode: adm.deptCode,
    deptName: adm.deptName,
    ward: names.wardName(adm.deptCode, adm.ward) ?? adm.ward,
    bed: adm.bed,
    attendingDoctorName: adm.chfpdrName,
    diagnosisCode: adm.diagCode,
    diagnosisName: adm.diagName,
    admissionType: adm.admissionType,
    begntime: adm.begntime,
    depositsFen: heldFen(store, adm.iptNo),
    depositMethods: depositMethods(store, adm.iptNo),
    chargesFen: billedFen(store, adm.iptNo),
    direct: adm.direct,
  };
}

export function settlementView(s: Settlement): SettlementView {
  if (s.status !== 'settled' && s.status !== 'reversed') throw new Error(`settlement ${s.id} is ${s.status}, not a finished settlement`);
  return {
    settlementId: String(s.id),
    admissionId: s.iptNo,
    setlId: s.setlId ?? '',
    msgid: s.msgid ?? '',
    breakdown: breakdownOf(s),
    settledAt: s.setlTime ?? chinaTime(new Date(s.updatedAt)).dateTime,
    status: s.status,
  };
}

import type { AdmissionView } from '../../contract/dto/admission.ts';
import type { SettlementView } from '../../contract/dto/settlement.ts';
import { maskCertNo, maskName } from '../../contract/mask.ts';
import type { Store } from '../../db/store.ts';
import type { Admission } from '../../db/repositories/admissions.ts';
import type { Settlement } from '../../db/repositories/settlements.ts';
import { chinaTime } from '../../base/china-time.ts';
import { countsInBill } from '../charges/totals.ts';
import { breakdownOf, patientFacts } from '../documents/gather.ts';

/** Money the hospital holds for the visit: 预交金 and 补缴 received, less what was refunded. */
export function heldFen(store: Store, iptNo: string): number {
  const received = store.money.deposits(iptNo).reduce((n, d) => n + d.amountFen, 0);
  const refunded = store.money.refunds(iptNo).reduce((n, r) => n + r.amountFen, 0);
  return received - refunded;
}

/** An admission as screens see it (name and number masked). */
export function admissionView(store: Store, adm: Admission, now: Date): AdmissionView {
  const p = patientFacts(store, adm, chinaTime(now).day);
  const gender = p.gender === '1' || p.gender === '2' ? p.gender : '9';
  return {
    admissionId: adm.iptNo,
    iptNo: adm.iptNo,
    mdtrtId: adm.mdtrtId,
    status: adm.status,
    person: {
      psnNo: adm.psnNo,
      displayName: maskName(p.name),
      displayCertNo: maskCertNo(p.certno),
      gender,
      age: p.age,
      insuplcAdmdvs: adm.insuplcAdmdvs,
      insuplcName: p.insuplcName,
    },
    insutype: adm.insutype,
    deptCode: adm.deptCode,
    deptName: adm.deptName,
    ward: adm.ward,
    bed: adm.bed,
    attendingDoctorName: adm.chfpdrName,
    diagnosisCode: adm.diagCode,
    diagnosisName: adm.diagName,
    admissionType: adm.admissionType,
    begntime: adm.begntime,
    depositsFen: store.money.depositTotalFen(adm.iptNo),
    chargesFen: store.feeLines.byVisit(adm.iptNo).filter((l) => countsInBill(l.state)).reduce((n, l) => n + l.detItemFeeSumamtFen, 0),
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

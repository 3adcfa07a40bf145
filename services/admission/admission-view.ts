import type { AdmissionView } from '../../contract/dto/admission.ts';
import { maskCertNo, maskName } from '../../contract/mask.ts';
import type { Admission } from '../../db/repositories/admissions.ts';
import type { Store } from '../../db/store.ts';
import { chinaTime } from '../../base/china-time.ts';
import type { Names } from '../charges/fee-upload.ts';
import { patientFacts } from '../documents/gather.ts';
import { billedFen, depositMethods, heldFen } from '../money/stay-figures.ts';
import { outstandingFen } from '../payments/balance-due.ts';

/** A 2404 still on its way: the stay shows 撤销中 until the platform answers. */
const OPEN_STATES = new Set(['pending', 'in-flight', 'unknown-outcome', 'reversing']);

export interface AdmissionViewContext {
  store: Store;
  names: Names;
  now: Date;
  /** Staff desks show the full name to signed-in staff; the kiosk (a patient's screen) shows it masked. */
  staffScreen: boolean;
}

/**
 * The one view of a stay every screen gets: the admission desk's list and result, the counter's stay list and
 * stay, the kiosk. Person facts as the documents print them (documents/gather.ts: name, age on today's date,
 * insured place), money from stay-figures.ts, the ward by name: so no two screens, and no screen and its
 * paper, can disagree (issue 13 · 8). The ID number is masked everywhere.
 */
export function admissionView(ctx: AdmissionViewContext, adm: Admission): AdmissionView {
  const { store, names } = ctx;
  const p = patientFacts(store, adm, chinaTime(ctx.now).day);
  const cancelling = store.outbox.statesByVisit(adm.iptNo).some((i) => i.infno === '2404' && OPEN_STATES.has(i.state));
  return {
    admissionId: adm.iptNo,
    iptNo: adm.iptNo,
    mdtrtId: adm.mdtrtId,
    status: adm.status,
    person: {
      psnNo: adm.psnNo,
      displayName: ctx.staffScreen ? p.name : maskName(p.name),
      displayCertNo: maskCertNo(p.certno),
      gender: p.gender === '1' || p.gender === '2' ? p.gender : '9',
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
    balanceDueFen: outstandingFen(store, adm.iptNo),
    direct: adm.direct,
    ...(cancelling ? { cancellationPending: true } : {}),
  };
}

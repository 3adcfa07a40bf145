import type { AdmissionInput } from '../../insurance/client/transactions/admission.ts';
import type { DecisionBasis } from '../eligibility/snapshot.ts';

/**
 * The 2401 入院办理 of a stay in the client's typed terms (nhsa-interface.md §2): mdtrtinfo + diseinfo from the
 * eligibility decision and the desk's form. The wire node is the 2401 codec's (Admit2401.encode), as the
 * outbox stores it and the relay sends it (possibly much later, offline first). Built once, at registration.
 */
export interface AdmissionFacts {
  iptNo: string;
  begntime: string;
  medType: string;
  dept: { code: string; name: string };
  bed: string;
  doctor: { code: string; name: string };
  diagnosis: { code: string; name: string };
}

export function admissionInput(basis: DecisionBasis & { insutype: string }, a: AdmissionFacts): AdmissionInput {
  return {
    mdtrtinfo: {
      psn_no: basis.psnNo,
      insutype: basis.insutype,
      coner_name: '',
      tel: '',
      begntime: a.begntime,
      mdtrt_cert_type: basis.credential.certType,
      mdtrt_cert_no: basis.credential.certNo,
      // 社会保障卡: the 卡识别码 travels with the card number (nhsa-interface.md §4).
      ...(basis.credential.certType === '03' && basis.credential.cardSn ? { card_sn: basis.credential.cardSn } : {}),
      med_type: a.medType,
      ipt_no: a.iptNo,
      medrcdno: a.iptNo,
      atddr_no: a.doctor.code,
      chfpdr_name: a.doctor.name,
      adm_diag_dscr: a.diagnosis.name,
      adm_dept_codg: a.dept.code,
      adm_dept_name: a.dept.name,
      adm_bed: a.bed,
      dscg_maindiag_code: a.diagnosis.code,
      dscg_maindiag_name: a.diagnosis.name,
      main_cond_dscr: '',
      dise_codg: '',
      dise_name: '',
      oprn_oprt_code: '',
      oprn_oprt_name: '',
    },
    diseinfo: [
      {
        diag_type: '1', // 西医诊断
        maindiag_flag: '1',
        diag_srt_no: 1,
        diag_code: a.diagnosis.code,
        diag_name: a.diagnosis.name,
        adm_cond: '',
        diag_dept: a.dept.code,
        dise_dor_no: a.doctor.code,
        dise_dor_name: a.doctor.name,
        diag_time: a.begntime,
      },
    ],
  };
}

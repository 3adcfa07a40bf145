import type { AdmissionForm } from './dto/admission.ts';

/**
 * The words of an admission's 入院方式 (the form's 入院类型), one place for the desk's form and every paper
 * (入院登记单, 结算单): med_type 21 普通住院 / 24 急诊转住院 (reference/nhsa-interface.md). The terminal does not
 * know whether a 普通 admission came from the outpatient clinic, so no document may say 门诊（普通）.
 */
export const ADMISSION_TYPE_TEXT: Record<AdmissionForm['admissionType'], string> = {
  normal: '普通',
  emergency: '急诊',
};

import { MED_TYPE_EMERGENCY_ADMISSION } from '../../insurance/codes/med-type.ts';

/** med_type of an admission from the form's 入院类型: 普通 → 21 普通住院, 急诊 → 24 急诊转住院. */
export const MED_TYPE_INPATIENT = '21';
export { MED_TYPE_EMERGENCY_ADMISSION };

export function medTypeOf(admissionType: 'normal' | 'emergency'): string {
  return admissionType === 'emergency' ? MED_TYPE_EMERGENCY_ADMISSION : MED_TYPE_INPATIENT;
}

import type { CodeTable } from './code-table.ts';

/** med_type 医疗类别 (national codes, then the Jiangsu extensions; nhsa-interface.md §3). */
export const MED_TYPE: CodeTable = {
  '11': '普通门诊',
  '12': '门诊挂号',
  '13': '急诊',
  '14': '门诊慢特病',
  '19': '意外伤害门诊',
  '21': '普通住院',
  '23': '转外诊治住院',
  '24': '急诊转住院',
  '28': '日间手术',
  '51': '生育门诊',
  '52': '生育住院',
  '53': '计划生育手术费',
  '71': '家庭病床',
  '9901': '重大疾病门诊',
  '9902': '重大疾病住院',
  '9903': '儿童两病门诊',
  '9904': '儿童两病住院',
  '9940': '意外伤害住院',
  '1301': '急诊抢救',
};

/** 急诊转住院: an emergency admission (settlement-rules §1 case `emergency`). */
export const MED_TYPE_EMERGENCY_ADMISSION = '24';
/** Inpatient med_types the sandbox accepts at 2401. */
export const INPATIENT_MED_TYPES: readonly string[] = ['21', '23', '24', '28', '52', '9902', '9904', '9940'];

import type { CodeTable } from './code-table.ts';

/** med_chrgitm_type 医疗收费项目类别 (nhsa-interface.md §3). */
export const MED_CHRGITM_TYPE: CodeTable = {
  '01': '床位费',
  '02': '诊察费',
  '03': '检查费',
  '04': '化验费',
  '05': '治疗费',
  '06': '手术费',
  '07': '护理费',
  '08': '卫生材料费',
  '09': '西药费',
  '10': '中药饮片费',
  '11': '中成药费',
  '12': '一般诊疗费',
  '13': '挂号费',
  '14': '其他费',
};

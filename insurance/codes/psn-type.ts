import type { CodeTable } from './code-table.ts';

/** psn_type 人员类别 (nhsa-interface.md §3; the legacy two-digit codes still appear in old data). */
export const PSN_TYPE: CodeTable = {
  '1101': '职工在职',
  '1102': '公务员在职',
  '1103': '灵活就业人员在职',
  '1160': '地方扩展(在职)',
  '1201': '职工退休',
  '1202': '公务员退休',
  '1203': '灵活就业人员退休',
  '1260': '地方扩展(退休)',
  '1300': '离休人员',
  '1401': '新生儿',
  '1402': '学龄前儿童',
  '1403': '中小学生',
  '1404': '大学生',
  '1405': '未成年(未入学)',
  '1460': '地方扩展',
  '1501': '普通居民(成年)',
  '1560': '地方扩展',
  '11': '在职',
  '12': '退休',
  '13': '离休',
  '14': '居民(未成年)',
  '15': '居民(成年)',
  '16': '居民(老年)',
};

/** Retired 人员类别: deductibleRetired and retiredBonus apply (settlement-rules §6 "Retired means …"). */
export const RETIRED_PSN_TYPES: readonly string[] = ['1201', '1202', '1203', '1260', '12'];

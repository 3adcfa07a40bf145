import type { CodeTable } from './code-table.ts';

/** insutype 险种类型 (nhsa-interface.md §3). */
export const INSUTYPE: CodeTable = {
  '310': '职工基本医疗保险',
  '320': '公务员医疗补助',
  '330': '大额医疗费用补助',
  '340': '离休人员医疗保障',
  '350': '一至六级残废军人医疗补助',
  '360': '老红军医疗保障',
  '370': '企业补充医疗保险',
  '380': '新型农村合作医疗',
  '390': '城乡居民基本医疗保险',
  '391': '城镇居民基本医疗保险',
  '392': '城乡居民大病医疗保险',
  '399': '其他特殊人员医疗保障',
  '410': '长期照护保险',
  '510': '生育保险',
};

/** 职工基本医疗保险: the only insutype with a personal account and 大市一卡通 (settlement-rules §3, §4.7). */
export const INSUTYPE_EMPLOYEE = '310';
/** 城乡居民基本医疗保险: the insutype with 居民大病保险 (settlement-rules §4.4). */
export const INSUTYPE_RESIDENT = '390';

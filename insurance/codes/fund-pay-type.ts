import type { CodeTable } from './code-table.ts';

/** fund_pay_type 基金支付类型 (nhsa-interface.md §3), the subset in setldetail. */
export const FUND_PAY_TYPE: CodeTable = {
  '310100': '职工基本医疗保险统筹基金',
  '310200': '职工基本医疗保险个人账户',
  '390100': '城乡居民基本医疗保险基金',
  '390200': '城乡居民大病医疗保险基金',
  '610100': '医疗救助基金',
};

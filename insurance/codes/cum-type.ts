import type { CodeTable } from './code-table.ts';

/** cum_type_code 累计类别 of 5206. SANDBOX CODES: the year-to-date totals of settlement-rules §6. */
export const CUM_TYPE: CodeTable = {
  S001: '统筹基金累计支付',
  S002: '政策范围内个人负担累计',
  S003: '住院结算次数累计',
};

import type { CodeTable } from './code-table.ts';

/** stmt_rslt 对账结果 of 3201 (totals). SANDBOX CODES: the national table comes from 1901. */
export const STMT_RSLT: CodeTable = { '0': '对账平', '1': '对账不平' };

/**
 * stmt_rslt of a 3202 detail row. SANDBOX CODES: "1" = the platform has a settlement the hospital did not
 * send (missing locally: the daily safety net after an unknown outcome), "2" amounts differ, "3" the hospital
 * sent a settlement the platform does not have.
 */
export const STMT_DETAIL_RSLT: CodeTable = {
  '0': '一致',
  '1': '医药机构无此结算',
  '2': '金额不一致',
  '3': '中心无此结算',
};

import type { CodeTable } from './code-table.ts';

/** psn_insu_stas 人员参保状态 (nhsa-interface.md §3). Only 1 gives benefits (settlement-rules §2). */
export const PSN_INSU_STAS: CodeTable = {
  '0': '未参保',
  '1': '正常参保',
  '2': '暂停参保',
  '3': '终止参保',
};

export const PSN_INSU_STAS_ACTIVE = '1';

import type { CodeTable } from './code-table.ts';

/** psn_cert_type 人员证件类型 (nhsa-interface.md §3; 90 as Jiangsu sends it with a card). */
export const PSN_CERT_TYPE: CodeTable = {
  '01': '居民身份证',
  '90': '社会保障卡',
};

import type { CodeTable } from './code-table.ts';

/**
 * psn_idet_type 人员身份类别 as the sandbox uses it. The codes of parameters.json → assistance.identities
 * (2301, 2302) are sandbox placeholders; the labels are the sandbox's reading, not a national table.
 */
export const PSN_IDET_TYPE: CodeTable = {
  '2301': '特困供养人员',
  '2302': '最低生活保障对象',
};

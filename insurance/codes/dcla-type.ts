import type { CodeTable } from './code-table.ts';

/**
 * dcla_type 异地就医备案类别 of the sandbox extension 5311 (the national interface has no filing query;
 * categories from 苏医保发〔2022〕75号 art.7–13, see jiangsu-policy.md §1.2).
 */
export const DCLA_TYPE: CodeTable = {
  '01': '异地安置退休',
  '02': '异地长期居住',
  '03': '常驻异地工作',
  '04': '异地转诊',
  '05': '其他临时外出就医',
};

/** Which visit case of settlement-rules §1 a filing category gives. */
export type FilingKind = 'filed-long-term' | 'filed-referral' | 'filed-temporary';
export const FILING_KIND_OF_DCLA_TYPE: Readonly<Record<string, FilingKind>> = {
  '01': 'filed-long-term',
  '02': 'filed-long-term',
  '03': 'filed-long-term',
  '04': 'filed-referral',
  '05': 'filed-temporary',
};

/** vali_flag 有效标志. */
export const VALI_FLAG: CodeTable = { '1': '有效', '0': '无效（已撤销）' };

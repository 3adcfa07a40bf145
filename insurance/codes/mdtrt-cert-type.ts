import type { CodeTable } from './code-table.ts';

/** mdtrt_cert_type 就诊凭证类型 (nhsa-interface.md §3). */
export const MDTRT_CERT_TYPE: CodeTable = {
  '01': '医保电子凭证',
  '02': '居民身份证',
  '03': '社会保障卡',
};

export const MDTRT_CERT_TYPE_ECTOKEN = '01';
export const MDTRT_CERT_TYPE_ID_CARD = '02';
/** The only credential to which card-status checks apply (settlement-rules §6 "Card checks apply only …"). */
export const MDTRT_CERT_TYPE_SSCARD = '03';

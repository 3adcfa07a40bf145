import type { CodeTable } from './code-table.ts';

/**
 * Why a visit cannot be settled directly (settlement-rules §2), with the Chinese text the sandbox puts in
 * err_msg. The terminal shows the text and guides to self-pay + 零星报销. Shared so both sides name a reason
 * the same way; the codes are the project's, not national.
 */
export const DIRECT_SETTLEMENT_REFUSAL = {
  'card-not-activated': '社会保障卡未激活',
  'card-temp-lost': '社会保障卡已临时挂失',
  'card-lost': '社会保障卡已正式挂失',
  'card-cancelled': '社会保障卡已注销',
  'card-replaced': '社会保障卡已补换新卡，此卡已失效',
  'card-expired': '社会保障卡已超过有效期',
  'no-active-insurance': '所选险种无正常参保记录',
  'waiting-period': '参保人处于医保待遇等待期',
  'not-networked-cross-province': '本院未开通跨省异地就医直接结算',
  'not-networked-in-province': '本院未开通省内异地就医直接结算',
  'cross-province-unfiled': '跨省异地就医未办理备案',
  'in-province-unfiled-not-direct': '参保地不支持省内异地未备案直接结算',
  'open-admission-elsewhere': '参保人在其他定点医疗机构有未出院的住院登记',
} as const satisfies CodeTable;

export type DirectSettlementRefusal = keyof typeof DIRECT_SETTLEMENT_REFUSAL;

/** err_msg prefix of a refused direct settlement: the terminal recognises the refusal by it. */
export const DIRECT_SETTLEMENT_REFUSED_PREFIX = '不能直接结算：';

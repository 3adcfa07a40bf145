import type { CodeTable } from './code-table.ts';

/**
 * Status of a 社会保障卡 as the demo world records it (fixtures/people.json: "Card status: normal |
 * not-activated | temp-lost | lost | cancelled | replaced").
 */
export const CARD_STATUSES = ['normal', 'not-activated', 'temp-lost', 'lost', 'cancelled', 'replaced'] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];

/**
 * card_stas in 1101's exp_content. SANDBOX CODES: the national interface carries no card status (see
 * nhsa-interface.md §4 "Activation"); the sandbox reports it here so the terminal can refuse card settlement.
 * "7" is derived: a normal card past its 有效期 on the day of the check.
 */
export const CARD_STAS: CodeTable = {
  '1': '正常',
  '2': '未激活',
  '3': '临时挂失',
  '4': '正式挂失',
  '5': '注销',
  '6': '已补换新卡（旧卡失效）',
  '7': '已过有效期',
};

export const CARD_STAS_NORMAL = '1';
export const CARD_STAS_EXPIRED = '7';

export const CARD_STAS_OF_STATUS: Readonly<Record<CardStatus, string>> = {
  normal: '1',
  'not-activated': '2',
  'temp-lost': '3',
  lost: '4',
  cancelled: '5',
  replaced: '6',
};

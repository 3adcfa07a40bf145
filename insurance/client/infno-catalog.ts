/**
 * What the client needs to know about each transaction code: its Chinese name (for messages), whether it
 * changes state on the platform, and its default timeout.
 *
 * - `read`: no business state changes, so repeating it is harmless (queries, 2303 pre-settlement, sign-in).
 * - `write`: changes state but is not reversible by 2601; an unknown outcome is settled by replaying the
 *   SAME msgid (the outbox does this) or by the transaction's business cancel (2301 → 2302, 2402 → 2405).
 * - `reversible`: the transactions 2601 can reverse (nhsa-interface.md §5): 2401, 2304, 2305, 2207, 2208.
 */
export type TransactionEffect = 'read' | 'write' | 'reversible';

export interface TransactionInfo {
  name: string;
  effect: TransactionEffect;
  timeoutMs: number;
}

const READ_TIMEOUT_MS = 15_000;
const WRITE_TIMEOUT_MS = 30_000;

const read = (name: string, timeoutMs = READ_TIMEOUT_MS): TransactionInfo => ({ name, effect: 'read', timeoutMs });
const write = (name: string, timeoutMs = WRITE_TIMEOUT_MS): TransactionInfo => ({ name, effect: 'write', timeoutMs });
const reversible = (name: string, timeoutMs = WRITE_TIMEOUT_MS): TransactionInfo => ({ name, effect: 'reversible', timeoutMs });

export const TRANSACTIONS: Readonly<Record<string, TransactionInfo>> = {
  '9001': read('签到'),
  '9002': read('签退'),
  '1101': read('人员信息获取'),
  '2001': read('人员待遇享受检查'),
  '5311': read('异地就医备案查询（沙箱扩展）'),
  '5303': read('在院信息查询'),
  '2401': reversible('入院办理'),
  '2402': write('出院办理'),
  '2403': write('住院信息变更'),
  '2404': write('入院撤销'),
  '2405': write('出院撤销'),
  '2301': write('住院费用明细上传'),
  '2302': write('住院费用明细撤销'),
  '2303': read('住院预结算'),
  '2304': reversible('住院结算'),
  '2305': reversible('住院结算撤销'),
  '2207': reversible('门诊结算'),
  '2208': reversible('门诊结算撤销'),
  '2601': write('冲正交易'),
  '3201': read('医药机构费用结算对总账'),
  '3202': read('医药机构费用结算对明细账', 60_000),
  '5203': read('结算信息查询'),
  '5204': read('费用明细查询'),
  '5206': read('人员累计信息查询'),
};

/** An infno the catalogue does not know is treated as a plain write with the write timeout. */
export function transactionInfo(infno: string): TransactionInfo {
  return TRANSACTIONS[infno] ?? { name: `交易${infno}`, effect: 'write', timeoutMs: WRITE_TIMEOUT_MS };
}

export function isReversible(infno: string): boolean {
  return transactionInfo(infno).effect === 'reversible';
}

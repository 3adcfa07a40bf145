import type { RefusalKind, Refused, Waiting, WaitReason } from '../../contract/dto/common.ts';
import type { OutboxItem } from '../../db/outbox/types.ts';
import type { OutboxOutcome } from '../context.ts';

/**
 * The discharge counter's expected outcomes that are not success, as values (contract/dto/common.ts): the
 * screen shows their Chinese text and branches on `outcome`, never on an error code.
 */
export function waiting(reason: WaitReason, message: string, guidance: string[]): Waiting {
  return { outcome: 'waiting', reason, message, guidance };
}

export function refused(kind: RefusalKind, reason: string, guidance: string[]): Refused {
  return { outcome: 'refused', kind, reasons: [reason], guidance };
}

/**
 * The platform cannot be reached: settlement waits. Nothing else is suggested: this terminal has no offline
 * self-pay settlement, and a message must not offer a way that is not there (issue 13 · 7).
 */
export function needsPlatform(what: string, reason: WaitReason = 'offline'): Waiting {
  return waiting(reason, `${what}需要连接医保平台，当前无法连接。`, [
    '费用和登记信息已保存在本机；医保平台恢复连接后会自动上传，届时再办理即可。',
    '医保平台恢复前，请不要让患者重复缴费。',
  ]);
}

const ITEM_NAMES: Readonly<Record<string, string>> = {
  '2301': '费用明细上传（2301）',
  '2302': '费用明细撤销（2302）',
  '2402': '出院登记（2402）',
  '2304': '住院结算（2304）',
  '2305': '住院结算撤销（2305）',
  '2401': '入院登记（2401）',
  '2404': '入院撤销（2404）',
};

export function itemName(item: Pick<OutboxItem, 'infno'>): string {
  return ITEM_NAMES[item.infno] ?? `交易${item.infno}`;
}

/** An outbox item of the stay that is not done: refused by the platform, or still going (and why). */
export function notDone(outcome: Exclude<OutboxOutcome, { state: 'done' | 'cancelled' }>): Waiting | Refused {
  const item = outcome.item;
  const what = itemName(item);
  if (outcome.state === 'dead') {
    return refused('platform', `医保平台未受理${what}：${item.lastError ?? ''}`, ['请在“队列”中查看该交易：修正后重试，或取消。', '处理完成后再继续出院结算。']);
  }
  if (outcome.reason === 'offline') return needsPlatform('出院结算');
  if (outcome.reason === 'unknown') {
    return waiting('reversal', `${what}的结果未明，系统正在向医保平台冲正（2601）后重新办理。`, [
      '请勿重复收费或重复结算。',
      '冲正完成后再次办理结算即可：系统会从中断处继续，不会重复结算。',
    ]);
  }
  return waiting('slow', `正在等待医保平台处理${what}。`, ['医保平台答复后再次办理结算即可：系统会从中断处继续，不会重复结算。']);
}

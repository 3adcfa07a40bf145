import type { RefundView } from '../../contract/dto/refunds.ts';
import type { Refund } from '../../db/repositories/money.ts';
import type { Store } from '../../db/store.ts';
import type { TerminalConfig } from '../config/schema.ts';
import { chinaTime } from '../../base/china-time.ts';
import { GATEWAY_RETRY, gatewayRetries } from './refund-progress.ts';

const STATE: Record<Refund['state'], RefundView['state']> = { requested: 'refunding', done: 'refunded', attention: 'attention' };

/** Where the patient collects a counter refund (cash, bank card): the configured window. */
export function cashRefundWindow(config: TerminalConfig): string {
  return config.hospital.help.cashRefundWindow ?? config.hospital.help.cashierWindow;
}

/** A refund as screens and the 退费凭条 show it: one mapping, so they cannot disagree. */
export function refundView(store: Store, config: TerminalConfig, r: Refund): RefundView {
  const parts = store.payments.refundsFor(r.id);
  const gateway = parts.length > 0 && r.method === 'alipay';
  return {
    refundId: String(r.id),
    admissionId: r.iptNo,
    settlementId: r.settlementId === null ? null : String(r.settlementId),
    reason: r.reason,
    amountFen: r.amountFen,
    method: r.method,
    state: STATE[r.state],
    receiptNo: r.receiptNo,
    requestedAt: chinaTime(new Date(r.refundedAt)).dateTime,
    doneAt: r.doneAt === null ? null : chinaTime(new Date(r.doneAt)).dateTime,
    doneBy: r.doneBy,
    counterWindow: r.method === 'alipay' ? null : cashRefundWindow(config),
    posRef: !gateway && r.state === 'done' ? r.refundRef : null,
    note: r.stateNote,
    gatewayRetries: gateway ? { count: gatewayRetries(store, r.id).count, max: GATEWAY_RETRY.max } : null,
    gateway: parts.map((p) => ({ outTradeNo: p.outTradeNo, tradeNo: store.payments.get(p.outTradeNo)?.tradeNo ?? null, outRequestNo: p.outRequestNo, amountFen: p.amountFen, state: p.state })),
  };
}

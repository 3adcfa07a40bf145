import type { Store } from '../../db/store.ts';
import type { Tx } from '../../db/tx.ts';

/**
 * 多退 to the original channel, by the original order: the settlement's refund of money that came through the
 * payment gateway is spread over the stay's applied gateway orders, newest first (each up to what is still
 * refundable on it), as `payment_refunds` rows written in the caller's transaction — the settlement's own.
 * The PaymentResolver then sends each (alipay.trade.refund with out_request_no = out_trade_no + "S" +
 * settlement id: a repeat is the same refund), asks about an unknown outcome, and puts a refused one in the
 * operator queue. Returns the amount queued (the rest, if any, was not paid through the gateway).
 */
export function queueSettlementRefunds(tx: Tx, store: Store, p: { iptNo: string; settlementId: number; amountFen: number; opterNo: string | null; reason?: 'settlement' | 'cancellation' }): number {
  let left = p.amountFen;
  const orders = store.payments
    .byVisit(p.iptNo)
    .filter((o) => o.state === 'applied' && o.channel === 'alipay') // cash / POS balances never go back through the gateway
    .reverse();
  for (const o of orders) {
    if (left <= 0) break;
    const outRequestNo = `${o.outTradeNo}S${p.settlementId}`;
    if (store.payments.refund(outRequestNo)) {
      left -= store.payments.refund(outRequestNo)!.amountFen; // already queued (a resumed write-back)
      continue;
    }
    const taken = store.payments.refundsOf(o.outTradeNo).filter((r) => r.state !== 'attention').reduce((n, r) => n + r.amountFen, 0);
    const amount = Math.min(left, o.amountFen - taken);
    if (amount <= 0) continue;
    store.payments.addRefund(tx, { outRequestNo, outTradeNo: o.outTradeNo, iptNo: p.iptNo, amountFen: amount, reason: p.reason ?? 'settlement', opterNo: p.opterNo ?? o.opterNo });
    store.audit.append(tx, { actor: p.opterNo ? `opter:${p.opterNo}` : 'discharge', action: 'payment.refund-requested', subject: `payment:${o.outTradeNo}`, detail: { visit: p.iptNo, amountFen: amount, reason: p.reason ?? 'settlement', settlementId: p.settlementId } });
    left -= amount;
  }
  return p.amountFen - Math.max(0, left);
}

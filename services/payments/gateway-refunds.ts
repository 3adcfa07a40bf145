import type { PaymentOrder } from '../../db/repositories/payment-orders.ts';
import type { Store } from '../../db/store.ts';
import type { Tx } from '../../db/tx.ts';

/** One gateway refund to send: this much back on that original order. */
export interface GatewayRefundPart {
  order: PaymentOrder;
  amountFen: number;
}

/** What is still refundable on an applied order: its amount less the refunds asked for on it (refused ones excepted). */
export function refundableFen(store: Store, o: PaymentOrder): number {
  const taken = store.payments.refundsOf(o.outTradeNo).filter((r) => r.state !== 'attention').reduce((n, r) => n + r.amountFen, 0);
  return o.amountFen - taken;
}

/**
 * 多退 to the original channel, by the original order: the amount is spread over the stay's applied gateway
 * orders, newest first, each up to what is still refundable on it. Reads only; the caller writes the parts
 * (with the stay's `refunds` row they pay) in its own transaction. The sum may be less than asked: the rest
 * was not paid through the gateway and goes back at the counter.
 */
export function planGatewayRefunds(store: Store, iptNo: string, amountFen: number): GatewayRefundPart[] {
  let left = amountFen;
  const parts: GatewayRefundPart[] = [];
  // Only gateway orders: cash / POS balances never go back through the gateway.
  for (const o of store.payments.byVisit(iptNo).filter((x) => x.state === 'applied' && x.channel === 'alipay').reverse()) {
    if (left <= 0) break;
    const amount = Math.min(left, refundableFen(store, o));
    if (amount <= 0) continue;
    parts.push({ order: o, amountFen: amount });
    left -= amount;
  }
  return parts;
}

/**
 * Writes one gateway refund (payment_refunds, state pending) for the stay's `refunds` row `refundId`, in the
 * caller's transaction: the request number is on disk before the gateway hears of it (the PaymentResolver
 * sends it, asks about a lost answer, and puts a refused one in the operator queue). `outRequestNo` makes a
 * repeat the same refund at the gateway, never a second one.
 */
export function queueGatewayRefund(
  tx: Tx,
  store: Store,
  p: { refundId: number; outRequestNo: string; part: GatewayRefundPart; reason: 'settlement' | 'cancellation'; opterNo: string | null; settlementId?: number },
): void {
  if (store.payments.refund(p.outRequestNo)) return; // already queued (a resumed write-back)
  const o = p.part.order;
  store.payments.addRefund(tx, { outRequestNo: p.outRequestNo, outTradeNo: o.outTradeNo, iptNo: o.iptNo, amountFen: p.part.amountFen, reason: p.reason, opterNo: p.opterNo ?? o.opterNo, refundId: p.refundId });
  store.audit.append(tx, {
    actor: p.opterNo ? `opter:${p.opterNo}` : 'discharge',
    action: 'payment.refund-requested',
    subject: `payment:${o.outTradeNo}`,
    detail: { visit: o.iptNo, amountFen: p.part.amountFen, reason: p.reason, outRequestNo: p.outRequestNo, refundId: p.refundId, ...(p.settlementId !== undefined ? { settlementId: p.settlementId } : {}) },
  });
}

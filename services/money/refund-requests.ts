import type { PaymentMethod } from '../../db/repositories/money.ts';
import type { Store } from '../../db/store.ts';
import type { Tx } from '../../db/tx.ts';
import { planGatewayRefunds, queueGatewayRefund, refundableFen } from '../payments/gateway-refunds.ts';

/**
 * Refunds are asked for here, and only here: the settlement's 多退 and a cancelled stay's deposits. Each
 * becomes a `refunds` row in state requested (退款中) in the caller's transaction — the settlement's
 * write-back, the cancellation's — and money paid through the gateway gets its gateway refunds by the
 * original orders in that same transaction (request numbers on disk before the gateway hears of them). The
 * row becomes done (已退) only on the gateway's confirmation or the cashier's (services/money/refund-progress.ts).
 */

/** Receipt number of a cash remainder when only part of a 多退 could go back through the gateway. */
const CASH_PART = '-XJ';

/**
 * 多退 of a settlement, the way the stay was paid (the newest deposit's method; cash when there is none).
 * 支付宝: spread over the applied orders, out_request_no = out_trade_no + "S" + settlement id; what the
 * orders cannot take (a mix of channels) is a second, cash row to hand out at the counter.
 */
export function requestSettlementRefund(tx: Tx, store: Store, p: { iptNo: string; settlementId: number; amountFen: number; receiptNo: string; opterNo: string | null }): void {
  const newest = store.money.deposits(p.iptNo).filter((d) => d.kind === 'deposit').at(-1);
  const method: PaymentMethod = newest?.method ?? 'cash';
  const base = { iptNo: p.iptNo, settlementId: p.settlementId, reason: 'settlement' as const, opterNo: p.opterNo };
  if (method !== 'alipay') {
    store.money.addRefund(tx, { ...base, amountFen: p.amountFen, method, receiptNo: p.receiptNo });
    return;
  }
  const parts = planGatewayRefunds(store, p.iptNo, p.amountFen);
  const gatewayFen = parts.reduce((n, x) => n + x.amountFen, 0);
  if (gatewayFen > 0) {
    const row = store.money.addRefund(tx, { ...base, amountFen: gatewayFen, method: 'alipay', receiptNo: p.receiptNo });
    for (const part of parts) {
      queueGatewayRefund(tx, store, { refundId: row.id, outRequestNo: `${part.order.outTradeNo}S${p.settlementId}`, part, reason: 'settlement', opterNo: p.opterNo, settlementId: p.settlementId });
    }
  }
  const rest = p.amountFen - gatewayFen;
  if (rest > 0) store.money.addRefund(tx, { ...base, amountFen: rest, method: 'cash', receiptNo: gatewayFen > 0 ? `${p.receiptNo}${CASH_PART}` : p.receiptNo });
}

/**
 * Deposits of a cancelled stay go back the way they were paid (jiangsu-policy.md §6), one refund per deposit
 * (receipt = the deposit's + "-TK": a repeat can never pay twice, receipt_no UNIQUE). A gateway deposit
 * (receipt = out_trade_no) goes back through the gateway by that order (out_request_no = out_trade_no + "C");
 * a 支付宝 deposit without an order (typed in before the gateway existed) cannot, and goes to the operator
 * queue; cash and bank card are handed back at the counter. Returns the amount asked for.
 */
export function requestCancellationRefunds(tx: Tx, store: Store, iptNo: string, opterNo: string | null): number {
  const asked = new Set(store.money.refunds(iptNo).map((r) => r.receiptNo));
  let total = 0;
  for (const d of store.money.deposits(iptNo)) {
    if (d.kind !== 'deposit') continue;
    const receiptNo = `${d.receiptNo}-TK`;
    if (asked.has(receiptNo)) continue;
    const row = store.money.addRefund(tx, { iptNo, settlementId: null, reason: 'cancellation', amountFen: d.amountFen, method: d.method, receiptNo, opterNo });
    total += d.amountFen;
    if (d.method !== 'alipay') continue;
    const order = store.payments.get(d.receiptNo);
    if (order && order.state === 'applied' && refundableFen(store, order) >= d.amountFen) {
      queueGatewayRefund(tx, store, { refundId: row.id, outRequestNo: `${order.outTradeNo}C`, part: { order, amountFen: d.amountFen }, reason: 'cancellation', opterNo });
    } else {
      store.money.moveRefund(tx, row.id, 'requested', 'attention', { note: '该笔支付宝预交金没有可退的支付平台订单，请人工原路退回或改为窗口退现金' });
    }
  }
  return total;
}

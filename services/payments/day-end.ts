import type { PaymentDayEnd } from '../../contract/dto/payments.ts';
import type { PaymentOrder } from '../../db/repositories/payment-orders.ts';
import type { PaymentGateway, StatementLine } from '../../payments/client/gateway.ts';
import type { ServiceContext } from '../context.ts';

type Ctx = Pick<ServiceContext, 'store'>;

/** Orders whose money reached the hospital's account at the gateway (whatever happened after). */
const RECEIVED = new Set(['paid', 'applied', 'refunding', 'refunded', 'attention']);
const OPEN = new Set(['created', 'awaiting', 'paid', 'refunding']);

const viaGateway = (o: PaymentOrder) => o.channel === 'alipay';

/** [start, end) of a China day in epoch ms. */
function dayBounds(day: string): [number, number] {
  const start = Date.parse(`${day}T00:00:00+08:00`);
  return [start, start + 86_400_000];
}

/**
 * 日终对账 of the gateway: the day's local orders and refunds, totalled per channel and per operator, matched
 * line by line against the gateway's statement (alipay.data.dataservice.bill.downloadurl.query). Every
 * difference is listed: money the gateway has that the store does not (the worst: paid, not recorded), the
 * reverse, amounts that differ, and orders still open (being confirmed) at the time of the check.
 */
export async function paymentDayEnd(ctx: Ctx, gateway: PaymentGateway | null, day: string): Promise<PaymentDayEnd> {
  const [from, to] = dayBounds(day);
  const orders = ctx.store.payments.between(from, to);
  const refunds = ctx.store.payments.refundsBetween(from, to).filter((r) => r.state === 'done');
  const received = orders.filter((o) => RECEIVED.has(o.state) || (o.state === 'refunded' && o.tradeNo !== null));

  const byChannel = new Map<string, { count: number; paidFen: number; refundedFen: number }>();
  const byOperator = new Map<string, { count: number; paidFen: number; refundedFen: number }>();
  const add = (m: Map<string, { count: number; paidFen: number; refundedFen: number }>, k: string, paid: number, refunded: number) => {
    const e = m.get(k) ?? { count: 0, paidFen: 0, refundedFen: 0 };
    if (paid > 0) e.count++;
    e.paidFen += paid;
    e.refundedFen += refunded;
    m.set(k, e);
  };
  for (const o of received) {
    add(byChannel, o.channel, o.amountFen, 0);
    add(byOperator, o.opterNo, o.amountFen, 0);
  }
  const orderOf = new Map(orders.map((o) => [o.outTradeNo, o]));
  for (const r of refunds) {
    add(byChannel, orderOf.get(r.outTradeNo)?.channel ?? 'alipay', 0, r.amountFen);
    add(byOperator, r.opterNo, 0, r.amountFen);
  }
  for (const o of orders.filter((x) => x.state === 'refunded' && ctx.store.payments.refundsOf(x.outTradeNo).length === 0)) {
    // refunded by a cancel of an unknown outcome (the gateway's own CANCEL refund line)
    add(byChannel, o.channel, 0, o.amountFen);
    add(byOperator, o.opterNo, 0, o.amountFen);
  }

  const mismatches: PaymentDayEnd['mismatches'] = orders
    .filter((o) => OPEN.has(o.state))
    .map((o) => ({ kind: 'not-final' as const, outTradeNo: o.outTradeNo, detail: `订单仍在确认中（${o.state}），金额 ${o.amountFen} 分` }));

  let gatewayAgrees = false;
  let gatewayMessage: string | null = null;
  if (!gateway) gatewayMessage = '本终端未开通扫码支付';
  else {
    const s = await gateway.statement(day);
    if (s.kind !== 'ok') gatewayMessage = s.kind === 'refused' ? `对账单获取被拒：${s.subCode} ${s.message}` : `对账单获取失败：${s.reason}`;
    // Only the gateway's own orders are on its statement: cash and bank-card POS balances are the counter's.
    else mismatches.push(...compare(received.filter(viaGateway), orders.filter(viaGateway), s.value, refunds));
    gatewayAgrees = s.kind === 'ok' && mismatches.length === 0;
  }
  return {
    date: day,
    channels: [...byChannel].map(([channel, v]) => ({ channel, ...v })),
    operators: [...byOperator].map(([opterNo, v]) => ({ opterNo, ...v })),
    gatewayAgrees,
    gatewayMessage,
    mismatches,
  };
}

function compare(received: PaymentOrder[], all: PaymentOrder[], lines: StatementLine[], refunds: { outRequestNo: string; outTradeNo: string; amountFen: number }[]): PaymentDayEnd['mismatches'] {
  const out: PaymentDayEnd['mismatches'] = [];
  const paidLines = new Map(lines.filter((l) => l.kind === 'payment').map((l) => [l.outTradeNo, l]));
  const local = new Map(received.map((o) => [o.outTradeNo, o]));
  const known = new Map(all.map((o) => [o.outTradeNo, o]));
  for (const o of received) {
    const l = paidLines.get(o.outTradeNo);
    if (!l) out.push({ kind: 'missing-at-gateway', outTradeNo: o.outTradeNo, detail: `本地已收 ${o.amountFen} 分，对账单无此交易` });
    else if (l.amountFen !== o.amountFen) out.push({ kind: 'amount-differs', outTradeNo: o.outTradeNo, detail: `本地 ${o.amountFen} 分，对账单 ${l.amountFen} 分` });
  }
  for (const l of paidLines.values()) {
    if (local.has(l.outTradeNo)) continue;
    const o = known.get(l.outTradeNo);
    // Lines of other terminals of the hospital (not in this store) are theirs to match.
    if (o) out.push({ kind: 'missing-locally', outTradeNo: l.outTradeNo, detail: `对账单已收 ${l.amountFen} 分（${l.tradeNo}），本地订单为 ${o.state}` });
  }
  const refundLines = lines.filter((l) => l.kind === 'refund');
  for (const r of refunds) {
    const l = refundLines.find((x) => x.outRequestNo === r.outRequestNo && x.outTradeNo === r.outTradeNo);
    if (!l) out.push({ kind: 'missing-at-gateway', outTradeNo: r.outTradeNo, detail: `本地已退 ${r.amountFen} 分（${r.outRequestNo}），对账单无此退款` });
    else if (l.amountFen !== r.amountFen) out.push({ kind: 'amount-differs', outTradeNo: r.outTradeNo, detail: `退款 ${r.outRequestNo}：本地 ${r.amountFen} 分，对账单 ${l.amountFen} 分` });
  }
  for (const l of refundLines) {
    const o = known.get(l.outTradeNo);
    if (!o) continue;
    const ours = refunds.some((r) => r.outRequestNo === l.outRequestNo) || (o.state === 'refunded' && (l.outRequestNo ?? '').startsWith('CANCEL'));
    if (!ours) out.push({ kind: 'missing-locally', outTradeNo: l.outTradeNo, detail: `对账单退款 ${l.amountFen} 分（${l.outRequestNo ?? ''}），本地无记录` });
  }
  return out;
}

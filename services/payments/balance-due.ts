import type { BalanceDueView, CollectBalance } from '../../contract/dto/payments.ts';
import { KioskError } from '../../contract/errors.ts';
import { fenToYuan } from '../../base/fen.ts';
import type { Store } from '../../db/store.ts';
import type { PaymentOrder } from '../../db/repositories/payment-orders.ts';
import type { Settlement } from '../../db/repositories/settlements.ts';
import type { ServiceContext } from '../context.ts';
import { collectReceiptNo } from '../discharge/counter.ts';
import { orderView } from './views.ts';

/**
 * 少补: the balance a settlement leaves due (settlement.dueFen > 0), and what has been collected toward it.
 *
 * Nothing is collected by the settlement itself: the stay shows 待补缴 until a cashier takes cash or a POS
 * payment, or the patient pays through the gateway (kiosk or counter). Every collection is a `payment_orders`
 * row with purpose 'balance-due' and the settlement's id (docs/payments.md, "Balance due"), plus the stay's
 * `deposits` row of kind 'balance-due' (receipt_no = out_trade_no) written in the same transaction when the
 * money is confirmed. Outstanding = the settlement's 应补 − those deposits; never below zero, never collected
 * twice: a gateway payment that finds the balance already paid (or the settlement reversed) is refunded.
 */

const OPEN: ReadonlySet<PaymentOrder['state']> = new Set(['created', 'awaiting', 'paid']);

export interface BalanceDue {
  settlement: Settlement;
  /** The settlement's 应补 (psn_cash_pay − what the hospital held). */
  dueFen: number;
  paidFen: number;
  outstandingFen: number;
  /** Collections recorded toward it (applied orders; before migration 10 the settlement's own cash row). */
  paid: PaymentOrder[];
  /** A gateway order for it not final yet (QR shown, being confirmed): nobody takes the money twice meanwhile. */
  open: PaymentOrder | null;
}

/** The live settled settlement of the stay and its balance; null when the stay is not settled or owes nothing. */
export function balanceDueOf(store: Store, iptNo: string): BalanceDue | null {
  const s = store.settlements.liveFor(iptNo);
  if (!s || s.status !== 'settled' || s.dueFen <= 0) return null;
  const orders = store.payments.forSettlement(s.id);
  const receipts = new Set(orders.filter((o) => o.state === 'applied').map((o) => o.outTradeNo));
  // A store from before this change recorded the balance as cash at settlement (receipt BJ-…): it counts as paid.
  receipts.add(collectReceiptNo(s));
  const paidFen = store.money
    .deposits(iptNo)
    .filter((d) => d.kind === 'balance-due' && receipts.has(d.receiptNo))
    .reduce((n, d) => n + d.amountFen, 0);
  return {
    settlement: s,
    dueFen: s.dueFen,
    paidFen,
    outstandingFen: Math.max(0, s.dueFen - paidFen),
    paid: orders.filter((o) => o.state === 'applied'),
    open: orders.find((o) => OPEN.has(o.state)) ?? null,
  };
}

/** 待补缴 of the stay, in fen (0 when nothing is due): the one figure every screen and document shows. */
export function outstandingFen(store: Store, iptNo: string): number {
  return balanceDueOf(store, iptNo)?.outstandingFen ?? 0;
}

export function balanceDueView(store: Store, iptNo: string, now: Date): BalanceDueView | null {
  const b = balanceDueOf(store, iptNo);
  if (!b) return null;
  return {
    admissionId: iptNo,
    settlementId: String(b.settlement.id),
    dueFen: b.dueFen,
    paidFen: b.paidFen,
    outstandingFen: b.outstandingFen,
    payments: b.paid.map((o) => orderView(o, now)),
    open: b.open ? orderView(b.open, now) : null,
  };
}

/**
 * A new gateway order for the balance (kiosk or counter QR / 付款码): only for the whole outstanding amount,
 * only when no other order for it is still open. Returns the settlement it pays. Call inside the transaction
 * that writes the order.
 */
export function gatewayOrderFor(store: Store, iptNo: string, amountFen: number): { settlementId: number } {
  const b = mustOwe(store, iptNo);
  if (b.open) throw new KioskError('PAYMENT_STATE', '该住院有一笔补缴正在支付或确认中，请等待其结果或先取消。', [`订单号 ${b.open.outTradeNo}`]);
  if (amountFen !== b.outstandingFen) throw new KioskError('PAYMENT_STATE', `待补缴金额已变为 ${fenToYuan(b.outstandingFen)} 元，请刷新后重试。`, []);
  return { settlementId: b.settlement.id };
}

/**
 * May a paid gateway order for a balance be recorded? Only toward its own settlement, still live, and only up
 * to what is still outstanding (another cashier may have taken cash meanwhile): otherwise it is refunded.
 */
export function balanceTakes(store: Store, o: PaymentOrder): boolean {
  if (o.purpose !== 'balance-due' || o.settlementId === null) return false;
  const b = balanceDueOf(store, o.iptNo);
  return b !== null && b.settlement.id === o.settlementId && o.amountFen <= b.outstandingFen;
}

type CounterContext = Pick<ServiceContext, 'config' | 'store' | 'operators'>;

/**
 * 现金 or 银行卡 POS at a staffed counter: the cashier counted the cash (or the POS printed its slip) and
 * confirmed. The order (written applied), the stay's deposit row and the audit line are one transaction.
 * Refused while a gateway order for the same balance is open: the money would be taken twice.
 */
export function collectAtCounter(ctx: CounterContext, args: CollectBalance, now: Date): { order: PaymentOrder; balance: BalanceDueView } {
  const { store, config } = ctx;
  if (config.mode === 'self-service') throw new KioskError('NOT_AVAILABLE', '自助机不能收取现金或刷卡，请使用扫码支付', ['或到收费窗口缴费']);
  const opterNo = ctx.operators.requireStaff().opterNo;
  const order = store.write((tx) => {
    const b = mustOwe(store, args.admissionId);
    if (b.open) throw new KioskError('PAYMENT_STATE', '该住院有一笔扫码补缴正在支付或确认中，请先取消该二维码或等待结果。', [`订单号 ${b.open.outTradeNo}`]);
    if (args.amountFen !== b.outstandingFen) throw new KioskError('PAYMENT_STATE', `待补缴金额为 ${fenToYuan(b.outstandingFen)} 元，与收款金额不一致。`, ['请刷新后重新收款。']);
    if (args.channel === 'cash' && (args.tenderedFen ?? 0) < args.amountFen) throw new KioskError('INVALID_ARGUMENT', '实收金额不足应收金额。', []);
    const o = store.payments.createAtCounter(tx, {
      outTradeNo: collectReceiptNo(b.settlement),
      channel: args.channel,
      purpose: 'balance-due',
      iptNo: args.admissionId,
      amountFen: args.amountFen,
      subject: `${config.hospital.name}出院结算补缴`,
      opterNo,
      terminalId: config.terminal.name,
      settlementId: b.settlement.id,
      tenderedFen: args.channel === 'cash' ? (args.tenderedFen ?? args.amountFen) : null,
      tradeNo: args.channel === 'bank-card' ? (args.posReference ?? null) : null,
    });
    store.money.addDeposit(tx, { iptNo: o.iptNo, kind: 'balance-due', amountFen: o.amountFen, method: args.channel, receiptNo: o.outTradeNo, opterNo });
    store.audit.append(tx, {
      actor: `opter:${opterNo}`,
      action: 'payment.collected',
      subject: `payment:${o.outTradeNo}`,
      detail: { visit: o.iptNo, settlementId: b.settlement.id, channel: o.channel, amountFen: o.amountFen, tenderedFen: o.tenderedFen, posReference: o.tradeNo },
    });
    return o;
  });
  return { order, balance: balanceDueView(store, args.admissionId, now)! };
}

function mustOwe(store: Store, iptNo: string): BalanceDue {
  if (!store.admissions.get(iptNo)) throw new KioskError('ADMISSION_NOT_FOUND', `未找到住院号为 ${iptNo} 的入院登记`, ['请核对住院号']);
  const b = balanceDueOf(store, iptNo);
  if (!b) throw new KioskError('ADMISSION_STATE', '该住院尚未结算或无需补缴', ['请先完成出院结算']);
  if (b.outstandingFen <= 0) throw new KioskError('PAYMENT_STATE', '该结算的应补金额已缴清', []);
  return b;
}

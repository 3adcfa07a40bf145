import type { PaymentOrder, PaymentRefund } from '../../db/repositories/payment-orders.ts';
import type { Store } from '../../db/store.ts';
import type { Tx } from '../../db/tx.ts';
import type { PaymentGateway, TradeState } from '../../payments/client/gateway.ts';
import type { Clock } from '../../base/clock.ts';
import type { Logger } from '../logging/logger.ts';
import { balanceTakes } from './balance-due.ts';
import { gatewayPartConfirmed, gatewayPartRefused } from '../money/refund-progress.ts';

/** A QR order the buyer did not pay is closed this long after its own expiry (the gateway closes it too). */
const CLOSE_GRACE_MS = 30_000;
/** An order the gateway says it never saw is only judged after this (its request may still be on the way). */
export const NOT_EXIST_GRACE_MS = 10_000;

/** Gateway refusals, in words for the screen. */
export function refusalText(subCode: string, message: string): string {
  const known: Record<string, string> = {
    'ACQ.BUYER_BALANCE_NOT_ENOUGH': '支付宝余额不足，请更换付款方式或到窗口缴费',
    'ACQ.PAYMENT_AUTH_CODE_INVALID': '付款码无效或已过期，请刷新付款码后重新扫描',
    'ACQ.PAYMENT_FAIL': '支付未完成（付款人取消或支付失败）',
    'ACQ.TRADE_HAS_CLOSE': '该订单已关闭',
  };
  return known[subCode] ?? `支付未成功：${message || subCode}`;
}

/**
 * Moves gateway orders and refunds toward a final state, one verified step at a time. Every step is
 * idempotent and reads the order from the store first, so the screen's polling, a notification, the
 * background loop and a restart after a crash can all call it: money moves at most once (out_trade_no,
 * out_request_no at the gateway), and is recorded at most once (deposits.receipt_no = out_trade_no).
 *
 * Rules (docs/payments.md): an unknown outcome is resolved by query, never by paying again; an order the
 * gateway never saw is cancelled (the number closed for good) before it is called closed; a paid order whose
 * stay can no longer take it is refunded by the original order; a refund whose outcome is unknown is asked
 * about (refund query) and only then repeated with the same out_request_no.
 */
export class PaymentResolver {
  /** Orders and refunds being worked on now: one caller at a time each (the others read the result). */
  private readonly busy = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly gateway: PaymentGateway,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** Tests shorten it; a request's time on the wire is bounded by the client timeout, well under it. */
    private readonly notExistGraceMs = NOT_EXIST_GRACE_MS,
    /** An order moved (any caller's step): the screens showing it are told at once. */
    private readonly onMoved: (o: PaymentOrder) => void = () => undefined,
  ) {}

  /** One step for an open order (and its refunds). Returns the order as it is afterwards. */
  async step(outTradeNo: string): Promise<PaymentOrder | null> {
    if (this.busy.has(outTradeNo)) return this.store.payments.get(outTradeNo);
    this.busy.add(outTradeNo);
    try {
      const o = this.store.payments.get(outTradeNo);
      if (!o) return null;
      if (o.state === 'created' || o.state === 'awaiting') await this.checkWithGateway(o);
      const now = this.store.payments.get(outTradeNo)!;
      if (now.state === 'paid') this.apply(now);
      for (const r of this.store.payments.refundsOf(outTradeNo)) if (r.state === 'pending') await this.refund(r);
      const after = this.store.payments.get(outTradeNo)!;
      if (after.state !== o.state) this.onMoved(after);
      return after;
    } catch (err) {
      // A store failure or a defect: the order stays where it is on disk; the next step tries again.
      this.log.error('payment step failed', { outTradeNo, error: err });
      return this.store.payments.get(outTradeNo);
    } finally {
      this.busy.delete(outTradeNo);
    }
  }

  /** Every open order and pending refund, oldest first (the background loop and the start after a crash). */
  async sweep(): Promise<void> {
    const keys = new Set([...this.store.payments.open().map((o) => o.outTradeNo), ...this.store.payments.pendingRefunds().map((r) => r.outTradeNo)]);
    for (const k of keys) await this.step(k);
  }

  /** The gateway says this trade is paid (a verified query, pay reply or notification). */
  paid(o: PaymentOrder, t: Pick<TradeState, 'tradeNo' | 'totalFen' | 'buyerLogonId' | 'paidAt'>): void {
    this.store.write((tx) => this.paidIn(tx, o, t));
    const after = this.store.payments.get(o.outTradeNo);
    if (after && after.state !== o.state) this.onMoved(after);
  }

  private paidIn(tx: Tx, o: PaymentOrder, t: Pick<TradeState, 'tradeNo' | 'totalFen' | 'buyerLogonId' | 'paidAt'>): void {
    if (t.totalFen !== o.amountFen) {
      // Never record an amount the order did not ask for: an operator looks (the statement shows it too).
      this.store.payments.move(tx, o.outTradeNo, ['created', 'awaiting'], 'attention', { tradeNo: t.tradeNo ?? undefined, note: `支付金额与订单不符：网关 ${t.totalFen} 分，订单 ${o.amountFen} 分` });
      return;
    }
    const moved = this.store.payments.move(tx, o.outTradeNo, ['created', 'awaiting'], 'paid', {
      ...(t.tradeNo ? { tradeNo: t.tradeNo } : {}),
      ...(t.buyerLogonId ? { buyerLogonId: t.buyerLogonId } : {}),
      ...(t.paidAt ? { paidAt: t.paidAt } : {}),
    });
    if (!moved) return;
    this.store.audit.append(tx, { actor: `opter:${o.opterNo}`, action: 'payment.paid', subject: `payment:${o.outTradeNo}`, detail: { tradeNo: t.tradeNo, amountFen: t.totalFen, visit: o.iptNo } });
    // The hospital step in the same transaction (one commit between the gateway's word and the screen).
    this.applyIn(tx, o.outTradeNo);
  }

  /**
   * The hospital step: a paid order becomes the stay's 预交金 (receipt number = out_trade_no), in one
   * transaction with the order's move to applied. A stay that can no longer take it (cancelled, settled)
   * gets a refund row instead, in the same transaction, and the refund is sent.
   */
  apply(o: PaymentOrder): void {
    this.store.write((tx) => this.applyIn(tx, o.outTradeNo));
  }

  private applyIn(tx: Tx, outTradeNo: string): void {
    const fresh = this.store.payments.get(outTradeNo);
    if (!fresh || fresh.state !== 'paid') return;
    const o = fresh;
    const adm = this.store.admissions.get(o.iptNo);
    // 预交金: an open stay. 少补: its own settlement still live and still owing at least this much (balance-due.ts).
    const open = adm && (o.purpose === 'balance-due' ? balanceTakes(this.store, o) : adm.status === 'queued' || adm.status === 'admitted');
    if (open) {
      this.store.money.addDeposit(tx, { iptNo: o.iptNo, kind: o.purpose, amountFen: o.amountFen, method: 'alipay', receiptNo: o.outTradeNo, opterNo: o.opterNo });
      this.store.payments.move(tx, o.outTradeNo, ['paid'], 'applied');
      this.store.audit.append(tx, { actor: `opter:${o.opterNo}`, action: 'payment.applied', subject: `payment:${o.outTradeNo}`, detail: { visit: o.iptNo, amountFen: o.amountFen, purpose: o.purpose, tradeNo: fresh.tradeNo } });
    } else {
      const note = o.purpose === 'balance-due' && adm ? '该结算已无待补缴金额（已缴清或已撤销），款项原路退回' : `住院${adm ? '状态已变更' : '不存在'}，款项原路退回`;
      this.store.payments.addRefund(tx, { outRequestNo: `${o.outTradeNo}R1`, outTradeNo: o.outTradeNo, iptNo: o.iptNo, amountFen: o.amountFen, reason: 'not-applied', opterNo: o.opterNo });
      this.store.payments.move(tx, o.outTradeNo, ['paid'], 'refunding', { note });
      this.store.audit.append(tx, { actor: `opter:${o.opterNo}`, action: 'payment.refund-requested', subject: `payment:${o.outTradeNo}`, detail: { visit: o.iptNo, amountFen: o.amountFen, reason: 'not-applied' } });
    }
  }

  // ── gateway steps ───────────────────────────────────────────────────────────────────────────────────

  private async checkWithGateway(o: PaymentOrder): Promise<void> {
    const q = await this.gateway.query(o.outTradeNo);
    const now = this.clock.now().getTime();
    if (q.kind === 'ok') {
      const t = q.value;
      if (t.status === 'TRADE_SUCCESS' || t.status === 'TRADE_FINISHED') return this.paid(o, t);
      if (t.status === 'TRADE_CLOSED') return this.close(o, o.note ?? '订单已关闭（未支付）');
      // WAIT_BUYER_PAY
      if (o.state === 'created') this.store.write((tx) => this.store.payments.move(tx, o.outTradeNo, ['created'], 'awaiting'));
      if (now > o.expiresAt + CLOSE_GRACE_MS) await this.closeAtGateway(o, '超时未支付，订单已关闭');
      // A QR whose precreate answer was lost was never shown: nobody can pay it; close it (a resumed terminal).
      else if (o.scene === 'qr' && !o.qrCode && now - o.createdAt > this.notExistGraceMs) await this.closeAtGateway(o, '二维码未能展示，订单已关闭（未扣款）');
      return;
    }
    if (q.kind === 'refused' && q.subCode === 'ACQ.TRADE_NOT_EXIST') {
      if (now - o.createdAt < this.notExistGraceMs) return;
      // Never reached the gateway (or not yet): close the number for good before calling it closed.
      const c = await this.gateway.cancel(o.outTradeNo);
      if (c.kind === 'ok' && c.value.action !== 'refund') return this.close(o, '支付请求未到达支付平台，订单已撤销（未扣款）');
      if (c.kind === 'ok') return this.refundedByCancel(o);
      this.attempt(o, `撤销未完成：${c.kind === 'refused' ? c.subCode : c.reason}`);
      return;
    }
    this.attempt(o, q.kind === 'refused' ? `查询被拒：${q.subCode}` : `查询无结果：${q.reason}`);
  }

  /** Close an unpaid QR order; if it was paid meanwhile the next query finds it paid (and it is applied). */
  async closeAtGateway(o: PaymentOrder, note: string): Promise<void> {
    const c = o.scene === 'qr' ? await this.gateway.close(o.outTradeNo) : await this.gateway.cancel(o.outTradeNo);
    if (c.kind === 'ok') {
      if (c.value && 'action' in c.value && c.value.action === 'refund') return this.refundedByCancel(o);
      return this.close(o, note);
    }
    if (c.kind === 'refused' && c.subCode === 'ACQ.TRADE_NOT_EXIST') return this.close(o, note);
    // ACQ.TRADE_STATUS_ERROR (paid meanwhile) or unknown: a query decides.
    const q = await this.gateway.query(o.outTradeNo);
    if (q.kind === 'ok' && (q.value.status === 'TRADE_SUCCESS' || q.value.status === 'TRADE_FINISHED')) return this.paid(o, q.value);
    if (q.kind === 'ok' && q.value.status === 'TRADE_CLOSED') return this.close(o, note);
    this.attempt(o, `关闭未完成：${c.kind === 'refused' ? c.subCode : c.reason}`);
  }

  private close(o: PaymentOrder, note: string): void {
    this.store.write((tx) => {
      if (this.store.payments.move(tx, o.outTradeNo, ['created', 'awaiting'], 'closed', { note })) {
        this.store.audit.append(tx, { actor: `opter:${o.opterNo}`, action: 'payment.closed', subject: `payment:${o.outTradeNo}`, detail: { note } });
      }
    });
  }

  /** A cancel found the trade paid and refunded it in full: nothing was applied (the order was not paid here). */
  private refundedByCancel(o: PaymentOrder): void {
    this.store.write((tx) => {
      if (this.store.payments.move(tx, o.outTradeNo, ['created', 'awaiting'], 'refunded', { note: '支付结果未确认，已撤销并全额退回原账户' })) {
        this.store.audit.append(tx, { actor: `opter:${o.opterNo}`, action: 'payment.cancelled-refunded', subject: `payment:${o.outTradeNo}`, detail: { amountFen: o.amountFen } });
      }
    });
  }

  private attempt(o: PaymentOrder, note: string): void {
    this.store.write((tx) => this.store.payments.countAttempt(tx, o.outTradeNo, note));
  }

  private async refund(r: PaymentRefund): Promise<void> {
    const key = `refund:${r.outRequestNo}`;
    if (this.busy.has(key)) return;
    this.busy.add(key);
    try {
      // A refund asked before may have taken effect with its answer lost: ask first, then (re)send the same one.
      if (r.attempts > 0) {
        const q = await this.gateway.refundQuery({ outTradeNo: r.outTradeNo, outRequestNo: r.outRequestNo });
        if (q.kind === 'ok' && q.value.refundedFen === r.amountFen) return this.refundDone(r);
        if (q.kind === 'unknown') return this.refundAttempt(r, `退款查询无结果：${q.reason}`);
      }
      const res = await this.gateway.refund({ outTradeNo: r.outTradeNo, outRequestNo: r.outRequestNo, refundFen: r.amountFen, reason: REFUND_REASON[r.reason] });
      if (res.kind === 'ok') return this.refundDone(r);
      if (res.kind === 'unknown') return this.refundAttempt(r, `退款结果未知：${res.reason}`);
      const why = `支付平台拒绝退款：${res.subCode} ${res.message}`.trim();
      this.store.write((tx) => {
        if (!this.store.payments.moveRefund(tx, r.outRequestNo, 'attention', why)) return;
        this.store.payments.move(tx, r.outTradeNo, ['refunding'], 'attention', { note: `退款被拒绝（${res.subCode}），请人工处理` });
        // The stay's refund (settlement 多退, cancellation) waits for an operator with the same reason.
        if (r.refundId !== null) gatewayPartRefused(tx, this.store, r.refundId, why);
        this.store.audit.append(tx, { actor: 'gateway', action: 'payment.refund-refused', subject: `payment:${r.outTradeNo}`, detail: { outRequestNo: r.outRequestNo, subCode: res.subCode } });
      });
    } finally {
      this.busy.delete(key);
    }
  }

  private refundDone(r: PaymentRefund): void {
    this.store.write((tx) => {
      if (!this.store.payments.moveRefund(tx, r.outRequestNo, 'done')) return;
      if (r.reason === 'not-applied') this.store.payments.move(tx, r.outTradeNo, ['refunding'], 'refunded');
      // The stay's refund (退款中) becomes 已退 when the gateway confirmed every part of it: same transaction.
      if (r.refundId !== null) gatewayPartConfirmed(tx, this.store, r.refundId);
      this.store.audit.append(tx, { actor: `opter:${r.opterNo}`, action: 'payment.refunded', subject: `payment:${r.outTradeNo}`, detail: { outRequestNo: r.outRequestNo, amountFen: r.amountFen, reason: r.reason } });
    });
  }

  private refundAttempt(r: PaymentRefund, note: string): void {
    this.store.write((tx) => this.store.payments.countRefundAttempt(tx, r.outRequestNo, note));
  }
}

const REFUND_REASON: Record<PaymentRefund['reason'], string> = {
  'not-applied': '住院预交金未入账，原路退回',
  settlement: '出院结算多退',
  cancellation: '入院撤销退预交金',
};

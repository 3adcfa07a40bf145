import type { Refund } from '../../db/repositories/money.ts';
import type { Store } from '../../db/store.ts';
import type { Tx } from '../../db/tx.ts';

/**
 * How a refund moves after it was asked for (docs/payments.md "Refund states"), each in the transaction of the
 * fact that moves it:
 *   requested → done       every gateway refund of the row confirmed by the gateway (PaymentResolver), or the
 *                          cashier confirmed handing out the cash / the card refund (counter)
 *   requested → attention  the gateway refused (the operator queue, with its reason)
 *   attention → requested  an operator turned a refused gateway refund into cash at the counter, or asked the
 *                          gateway again (paced and capped: retryRefusedAtGateway)
 * Nothing else moves a refund, and nothing moves a done one.
 */

/** A gateway refund of the row was confirmed: the row is done once all of them are (a 多退 over several orders). */
export function gatewayPartConfirmed(tx: Tx, store: Store, refundId: number): void {
  const parts = store.payments.refundsFor(refundId);
  if (parts.length === 0 || parts.some((p) => p.state !== 'done')) return;
  if (store.money.moveRefund(tx, refundId, 'requested', 'done', { refundRef: parts.map((p) => p.outRequestNo).join(','), doneBy: 'gateway' })) {
    store.audit.append(tx, { actor: 'gateway', action: 'refund.done', subject: `refund:${refundId}`, detail: { refundRef: parts.map((p) => p.outRequestNo), amountFen: parts.reduce((n, p) => n + p.amountFen, 0) } });
  }
}

/** A gateway refund of the row was refused: the row waits for an operator, with the gateway's reason. */
export function gatewayPartRefused(tx: Tx, store: Store, refundId: number, reason: string): void {
  if (store.money.moveRefund(tx, refundId, 'requested', 'attention', { note: reason })) {
    store.audit.append(tx, { actor: 'gateway', action: 'refund.refused', subject: `refund:${refundId}`, detail: { reason } });
  }
}

export type CounterConfirmation = { ok: true; refund: Refund } | { ok: false; why: 'not-found' | 'not-counter' | 'not-requested' };

/**
 * The cashier handed out the cash (or made the card refund on the POS, `posRef`): the only way a counter
 * refund becomes done. A gateway refund cannot be confirmed by hand (only the gateway's word moves it).
 */
export function counterRefundHandedOut(tx: Tx, store: Store, refundId: number, cashierNo: string, posRef: string | null): CounterConfirmation {
  const r = store.money.refund(refundId);
  if (!r) return { ok: false, why: 'not-found' };
  if (isGatewayRefund(store, r)) return { ok: false, why: 'not-counter' };
  if (!store.money.moveRefund(tx, refundId, 'requested', 'done', { doneBy: cashierNo, ...(posRef ? { refundRef: posRef } : {}) })) return { ok: false, why: 'not-requested' };
  store.audit.append(tx, { actor: `opter:${cashierNo}`, action: 'refund.handed-out', subject: `refund:${refundId}`, detail: { visit: r.iptNo, amountFen: r.amountFen, method: r.method, posRef } });
  return { ok: true, refund: store.money.refund(refundId)! };
}

/**
 * A refund the gateway refused (or could not take) is paid in cash at the counter instead, by an operator's
 * decision with a reason: back to requested as a counter refund, which the cashier then confirms.
 */
export function refusedRefundToCash(tx: Tx, store: Store, refundId: number, operatorNo: string, reason: string): Refund | null {
  const r = store.money.refund(refundId);
  if (!r || r.state !== 'attention') return null;
  if (!store.money.moveRefund(tx, refundId, 'attention', 'requested', { method: 'cash', note: `${r.stateNote ?? ''}；改为窗口退现金：${reason}` })) return null;
  store.audit.append(tx, { actor: `opter:${operatorNo}`, action: 'refund.to-cash', subject: `refund:${refundId}`, detail: { visit: r.iptNo, amountFen: r.amountFen, reason } });
  return store.money.refund(refundId);
}

/** How many times an operator may ask the gateway again for one refused refund, and how far apart. */
export const GATEWAY_RETRY: GatewayRetryPace = { max: 3, gapMs: 60_000 };
export interface GatewayRetryPace {
  max: number;
  gapMs: number;
}

export type GatewayRetry =
  | { ok: true; refund: Refund; attempt: number }
  | { ok: false; why: 'not-found' | 'not-refused' | 'not-gateway' | 'cap-reached' }
  | { ok: false; why: 'too-soon'; waitMs: number };

/** The operator's earlier retries of this refund and when the gateway last refused it (the audit chain). */
export function gatewayRetries(store: Store, refundId: number): { count: number; lastAt: number | null } {
  const entries = store.audit.list({ subject: `refund:${refundId}` });
  const retries = entries.filter((e) => e.action === 'refund.gateway-retry');
  const last = entries.filter((e) => e.action === 'refund.gateway-retry' || e.action === 'refund.refused').at(-1);
  return { count: retries.length, lastAt: last?.at ?? null };
}

/**
 * A refund the gateway refused (退款失败，待人工处理) asked again at the gateway by an operator — after the
 * merchant account was topped up, say. Paced (at least a minute after the last refusal or retry) and capped
 * (3 retries; then 改为窗口退现金 is the way out). Each refused part goes back to pending with its own
 * out_request_no (one number is one refund, never a second), the row back to 退款中 until the gateway answers:
 * the PaymentResolver sends it, asks about a lost answer, and a new refusal brings it back here.
 */
export function retryRefusedAtGateway(tx: Tx, store: Store, refundId: number, operatorNo: string, pace: GatewayRetryPace = GATEWAY_RETRY): GatewayRetry {
  const r = store.money.refund(refundId);
  if (!r) return { ok: false, why: 'not-found' };
  if (r.state !== 'attention') return { ok: false, why: 'not-refused' };
  const refused = store.payments.refundsFor(refundId).filter((p) => p.state === 'attention');
  if (r.method !== 'alipay' || refused.length === 0) return { ok: false, why: 'not-gateway' };
  const done = gatewayRetries(store, refundId);
  if (done.count >= pace.max) return { ok: false, why: 'cap-reached' };
  const since = done.lastAt === null ? Infinity : tx.now.getTime() - done.lastAt;
  if (since < pace.gapMs) return { ok: false, why: 'too-soon', waitMs: pace.gapMs - since };
  const attempt = done.count + 1;
  const note = `已重新向支付平台发起退款（第 ${attempt} 次），等待确认`;
  for (const p of refused) store.payments.reopenRefund(tx, p.outRequestNo, note);
  if (!store.money.moveRefund(tx, refundId, 'attention', 'requested', { note })) return { ok: false, why: 'not-refused' };
  store.audit.append(tx, { actor: `opter:${operatorNo}`, action: 'refund.gateway-retry', subject: `refund:${refundId}`, detail: { visit: r.iptNo, amountFen: r.amountFen, attempt, outRequestNo: refused.map((p) => p.outRequestNo) } });
  return { ok: true, refund: store.money.refund(refundId)!, attempt };
}

/** Money that goes back through the gateway: its state is the gateway's to move. */
export function isGatewayRefund(store: Store, r: Refund): boolean {
  return r.method === 'alipay' && r.state !== 'attention' && store.payments.refundsFor(r.id).length > 0;
}

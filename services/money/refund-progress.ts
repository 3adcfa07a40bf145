import type { Refund } from '../../db/repositories/money.ts';
import type { Store } from '../../db/store.ts';
import type { Tx } from '../../db/tx.ts';

/**
 * How a refund moves after it was asked for (docs/payments.md "Refund states"), each in the transaction of the
 * fact that moves it:
 *   requested → done       every gateway refund of the row confirmed by the gateway (PaymentResolver), or the
 *                          cashier confirmed handing out the cash / the card refund (counter)
 *   requested → attention  the gateway refused (the operator queue, with its reason)
 *   attention → requested  an operator turned a refused gateway refund into cash at the counter
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

/** Money that goes back through the gateway: its state is the gateway's to move. */
export function isGatewayRefund(store: Store, r: Refund): boolean {
  return r.method === 'alipay' && r.state !== 'attention' && store.payments.refundsFor(r.id).length > 0;
}

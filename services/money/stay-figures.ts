import type { Store } from '../../db/store.ts';
import type { PaymentMethod } from '../../db/repositories/money.ts';

/**
 * The figures of a stay every screen shows, computed in one place so the stay list, the stay, the
 * pre-settlement and the documents never disagree (issue 13 · 8).
 */

/** Money the hospital holds for the visit: 预交金 and 补缴 received, less every refund (settlement, cancellation). */
export function heldFen(store: Store, iptNo: string): number {
  const received = store.money.deposits(iptNo).reduce((n, d) => n + d.amountFen, 0);
  const refunded = store.money.refunds(iptNo).reduce((n, r) => n + r.amountFen, 0);
  return received - refunded;
}

/** The bill: fee lines waiting for upload or accepted by the platform (refused and cancelled lines are not). */
export function billedFen(store: Store, iptNo: string): number {
  return store.feeLines.totalFen(iptNo);
}

/** How the deposits were paid, each channel once (the refund goes back the same way; cash at the window). */
export function depositMethods(store: Store, iptNo: string): PaymentMethod[] {
  return [...new Set(store.money.deposits(iptNo).map((d) => d.method))];
}

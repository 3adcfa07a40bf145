import type { Store } from '../../db/store.ts';
import type { Tx } from '../../db/tx.ts';

/**
 * Deposits of a cancelled admission go back the way they were paid (jiangsu-policy.md §6), in the same
 * transaction that marks the admission cancelled: either both are on disk or neither. Each refund carries
 * its own receipt number, derived from the deposit's, so a repeat can never pay twice (receipt_no UNIQUE).
 */
export function refundDepositsOnCancel(tx: Tx, store: Store, iptNo: string, opterNo: string | null): number {
  const refunded = new Set(store.money.refunds(iptNo).map((r) => r.receiptNo));
  let total = 0;
  for (const d of store.money.deposits(iptNo)) {
    if (d.kind !== 'deposit') continue;
    const receiptNo = `${d.receiptNo}-TK`;
    if (refunded.has(receiptNo)) continue;
    store.money.addRefund(tx, { iptNo, settlementId: null, reason: 'cancellation', amountFen: d.amountFen, method: d.method, receiptNo, opterNo });
    total += d.amountFen;
  }
  return total;
}

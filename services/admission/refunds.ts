import type { Store } from '../../db/store.ts';
import type { Tx } from '../../db/tx.ts';
import type { ResultApplier, ResultAppliers } from '../sync/appliers.ts';

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

/**
 * The relay's write-back of 2404 入院撤销: the admission is cancelled and its deposits refunded, in the relay's
 * one transaction (replaces the default 2404 applier of services/sync, which only sets the status).
 */
export const cancelAdmissionApplier: ResultApplier = {
  done(tx, store, item) {
    const adm = store.admissions.get(item.visitKey);
    if (!adm) return;
    store.admissions.setStatus(tx, adm.iptNo, 'cancelled');
    const total = refundDepositsOnCancel(tx, store, adm.iptNo, item.envelope.opter ?? null);
    store.audit.append(tx, {
      actor: item.envelope.opter ? `opter:${item.envelope.opter}` : 'relay',
      action: 'admission.cancelled',
      subject: `admission:${adm.iptNo}`,
      detail: { mdtrtId: adm.mdtrtId, refundedFen: total, msgid: item.msgid },
    });
  },
};

/**
 * The relay's appliers with the admission desk's money rules: a 2404 done, or a 2401 cancelled from the queue
 * (the stay never reached the platform), cancels the stay AND refunds its deposits in the same transaction.
 */
export function withAdmissionAppliers(base: ResultAppliers): ResultAppliers {
  const admit = base['2401'] ?? {};
  return {
    ...base,
    '2401': {
      ...admit,
      cancelled(tx, store, item) {
        admit.cancelled?.(tx, store, item);
        const adm = store.admissions.get(item.visitKey);
        if (adm && adm.status === 'cancelled') refundDepositsOnCancel(tx, store, adm.iptNo, item.envelope.opter ?? null);
      },
    },
    '2404': cancelAdmissionApplier,
  };
}

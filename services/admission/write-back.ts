import type { Store } from '../../db/store.ts';
import type { Tx } from '../../db/tx.ts';
import { Admit2401, CancelAdmission2404 } from '../../insurance/client/transactions/admission.ts';
import { operatorOf, writeBackOf } from '../sync/write-back.ts';
import { requestCancellationRefunds } from '../money/refund-requests.ts';

/**
 * The admission desk's write-backs. The visit key of an inpatient item is the local ipt_no; items whose visit
 * is not an admission of this store are left alone.
 */

/**
 * The stay is cancelled and its deposits go back the way they were paid (gateway deposits through the gateway
 * by their original orders, cash at the counter), in one transaction. Every cancel of a stay ends here: the
 * 2404's answer, a queued 2401 cancelled from the desk's queue panel, `kiosk queue cancel` or the desk's
 * cancel of a stay that never reached the platform.
 */
export function cancelStay(tx: Tx, store: Store, iptNo: string, opterNo: string | null, detail: Record<string, unknown>): void {
  const adm = store.admissions.get(iptNo);
  if (!adm || adm.status === 'cancelled') return;
  store.admissions.setStatus(tx, adm.iptNo, 'cancelled');
  const refundedFen = requestCancellationRefunds(tx, store, adm.iptNo, opterNo);
  store.audit.append(tx, {
    actor: opterNo ? `opter:${opterNo}` : 'relay',
    action: 'admission.cancelled',
    subject: `admission:${adm.iptNo}`,
    detail: { mdtrtId: adm.mdtrtId, refundedFen, ...detail },
  });
}

/** 2401 入院办理: the stay gets its mdtrt_id; refused, it waits for a person; cancelled from the queue, it is over. */
export const admit2401 = writeBackOf(Admit2401, {
  apply(tx, store, item, out) {
    const adm = store.admissions.get(item.visitKey);
    if (!adm) return;
    store.admissions.setMdtrtId(tx, adm.iptNo, out.result.mdtrt_id);
    store.admissions.setStatus(tx, adm.iptNo, 'admitted');
  },
  dead(tx, store, item) {
    if (store.admissions.get(item.visitKey)) store.admissions.setStatus(tx, item.visitKey, 'dead-letter');
  },
  // The stay never reached the platform: nothing to undo there, but the deposits it took go back.
  cancelled(tx, store, item) {
    cancelStay(tx, store, item.visitKey, operatorOf(item), { msgid: item.msgid, queued2401: item.id });
  },
});

/** 2404 入院撤销 done: the stay is cancelled and its deposits refunded. */
export const cancelAdmission2404 = writeBackOf(CancelAdmission2404, {
  apply(tx, store, item) {
    cancelStay(tx, store, item.visitKey, operatorOf(item), { msgid: item.msgid });
  },
});

import type { Store } from '../../db/store.ts';
import type { Tx } from '../../db/tx.ts';
import type { OutboxItem } from '../../db/outbox/types.ts';
import type { Settlement } from '../../db/repositories/settlements.ts';
import { defaultAppliers, splitFromSetlinfo, type ResultApplier, type ResultAppliers } from '../sync/appliers.ts';
import { balanceBefore, counterRecorded, recordCounterMovement } from './counter.ts';

function obj(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
function text(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
}

/**
 * The last steps of a discharge once 2304 is done, in the caller's transaction: the settlement row gets its
 * setl_id, split, the msgid that took effect and the balance against what the hospital holds; the 多退少补
 * movement is recorded; the stay is settled. Idempotent: run by the relay's result applier (same transaction
 * as the outbox item's completion) and again by a resumed `settle`, it changes nothing the second time.
 */
export function finishSettlement(tx: Tx, store: Store, item: OutboxItem, output: unknown, opterNo: string | null = null): Settlement | null {
  let s = store.settlements.byMsgid(item.msgid) ?? store.settlements.liveFor(item.visitKey);
  if (!s || s.iptNo !== item.visitKey || s.status === 'failed' || s.status === 'reversed') return s;
  if (!counterRecorded(store, s)) {
    const setlinfo = obj(obj(output).setlinfo);
    const setlId = text(setlinfo.setl_id) ?? s.setlId;
    if (!setlId) throw new Error(`2304 output of outbox item ${item.id} has no setlinfo.setl_id`);
    const split = splitFromSetlinfo(setlinfo);
    const balance = balanceBefore(store, s.iptNo, split.psnCashPayFen);
    s = store.settlements.markSettled(tx, s.id, {
      setlId,
      msgid: item.msgid,
      mdtrtId: text(setlinfo.mdtrt_id),
      split,
      depositFen: balance.depositFen,
      dueFen: balance.dueFen,
      setlTime: text(setlinfo.setl_time),
      output,
    });
    recordCounterMovement(tx, store, s, opterNo);
    store.audit.append(tx, {
      actor: 'discharge',
      action: 'discharge.settled',
      subject: `settlement:${s.id}`,
      detail: { visit: s.iptNo, setlId, msgid: item.msgid, medfeeFen: split.medfeeSumamtFen, psnCashPayFen: split.psnCashPayFen, depositFen: balance.depositFen, dueFen: balance.dueFen },
    });
  }
  if (store.admissions.get(s.iptNo)?.status !== 'settled') store.admissions.setStatus(tx, s.iptNo, 'settled');
  return store.settlements.get(s.id);
}

/** After 2305: the settlement is reversed with the supervisor's reason; the stay is open for a new settlement. */
export function finishReversal(tx: Tx, store: Store, item: OutboxItem): Settlement | null {
  const setlId = text(obj(obj(item.input).data).setl_id);
  const s = setlId ? store.settlements.bySetlId(setlId) : null;
  if (!s) return null;
  const requested = store.audit
    .list({ subject: `settlement:${s.id}` })
    .filter((e) => e.action === 'discharge.reverse-requested' && e.detail.outbox === item.id)
    .at(-1);
  const reason = typeof requested?.detail.reason === 'string' ? requested.detail.reason : '2305 住院结算撤销';
  if (s.status !== 'reversed' || s.reversalReason !== reason) store.settlements.markReversed(tx, s.id, reason);
  const adm = store.admissions.get(s.iptNo);
  if (adm && adm.status === 'settled') store.admissions.setStatus(tx, s.iptNo, 'discharged');
  return store.settlements.get(s.id);
}

const settle2304: ResultApplier = {
  ...defaultAppliers['2304'],
  done(tx, store, item, output) {
    finishSettlement(tx, store, item, output);
  },
};

const reverse2305: ResultApplier = {
  ...defaultAppliers['2305'],
  done(tx, store, item) {
    finishReversal(tx, store, item);
  },
};

/**
 * The relay's result appliers with the billing half's 2304 and 2305: give these to the Relay (RelayOptions
 * .appliers) so a settlement, its 多退少补 and the stay's status commit with the outbox item. Without them the
 * default appliers run and `discharge.settle` completes the same steps when it is called (or resumed).
 */
export const billingAppliers: ResultAppliers = { ...defaultAppliers, '2304': settle2304, '2305': reverse2305 };

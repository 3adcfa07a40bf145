import type { Store } from '../../../db/store.ts';
import type { JournalEntry } from '../../../insurance/sandbox/state/journal.ts';
import type { QueuedStay } from './sandbox-world.ts';

/** Transactions that change the platform's state: each must appear in its journal exactly once. */
const MUTATING = new Set(['2401', '2301', '2302', '2402', '2404', '2405', '2304', '2305']);
/** Fee batches: consecutive ones of a stay go out together (services/sync/relay.ts `alongside`). */
const FEE_BATCH = '2301';

export interface ExactlyOnceReport {
  operations: number;
  mutating: number;
  journalEntries: number;
  reversedEntries: number;
  reversals: number;
  problems: string[];
}

/**
 * Compares the platform's own record of what took effect (its journal) with what was queued:
 * - every mutating operation has exactly one entry that stands (not reversed by a 2601), under one of the
 *   msgids the outbox ever sent it with (outbox_attempts), and none is missing;
 * - no entry stands that no queued operation explains;
 * - every reversed entry was reversed by a 2601 that is itself in the journal;
 * - per stay, the standing entries are in the order the operations were queued, except that a run of
 *   consecutive 2301 batches (sent together by the relay: Outbox.claimNext `alongside`) may take effect in any
 *   order among themselves, all after what precedes the run and before what follows it;
 * - on the terminal's side every operation is done and the write-back matches the platform.
 */
export function checkExactlyOnce(store: Store, stays: readonly QueuedStay[], journal: readonly JournalEntry[]): ExactlyOnceReport {
  const problems: string[] = [];
  const msgidToItem = new Map<string, number>();
  for (const row of store.db.prepare<[], { outbox_id: number; msgid: string; infno: string }>("SELECT outbox_id, msgid, infno FROM outbox_attempts WHERE infno <> '2601'").all()) {
    msgidToItem.set(row.msgid, row.outbox_id);
  }
  for (const stay of stays) for (const item of stay.items) msgidToItem.set(item.msgid, item.id); // never-sent originals
  const itemMsgids = new Set(msgidToItem.keys());
  const journalMsgids = new Set(journal.map((j) => j.msgid));

  const standingByItem = new Map<number, JournalEntry[]>();
  let reversedEntries = 0;
  let reversals = 0;
  for (const e of journal) {
    if (e.infno === '9001' || e.infno === '9002') continue;
    if (e.infno === '2601') {
      reversals++;
      if (!e.omsgid || !itemMsgids.has(e.omsgid)) problems.push(`2601 ${e.msgid} reversed ${e.omsgid}, which no queued operation was sent as`);
      continue;
    }
    const itemId = msgidToItem.get(e.msgid);
    if (itemId === undefined) {
      problems.push(`journal entry ${e.seq} (${e.infno} ${e.msgid}) belongs to no queued operation`);
      continue;
    }
    if (e.reversed_by) {
      reversedEntries++;
      if (!journalMsgids.has(e.reversed_by)) problems.push(`entry ${e.seq} is marked reversed by ${e.reversed_by}, which is not in the journal`);
      continue;
    }
    const list = standingByItem.get(itemId) ?? [];
    list.push(e);
    standingByItem.set(itemId, list);
  }

  let operations = 0;
  let mutating = 0;
  for (const stay of stays) {
    const admission = store.admissions.get(stay.iptNo);
    let floor = 0; // every entry of this step must come after this seq
    let top = 0; // the last seq so far
    let previous = '';
    for (const queued of stay.items) {
      operations++;
      if (!(queued.infno === FEE_BATCH && previous === FEE_BATCH)) floor = top; // a new step: after all before it
      previous = queued.infno;
      const item = store.outbox.get(queued.id);
      if (!item || item.state !== 'done') problems.push(`stay ${stay.iptNo}: item ${queued.id} (${queued.infno}) is ${item?.state ?? 'missing'}: ${item?.lastError ?? ''}`);
      const standing = standingByItem.get(queued.id) ?? [];
      if (!MUTATING.has(queued.infno)) {
        if (standing.length > 0) problems.push(`stay ${stay.iptNo}: read-only ${queued.infno} item ${queued.id} has journal entries`);
        continue;
      }
      mutating++;
      if (standing.length !== 1) {
        problems.push(`stay ${stay.iptNo}: ${queued.infno} item ${queued.id} took effect ${standing.length} times (${standing.map((s) => s.msgid).join(', ')})`);
        continue;
      }
      const entry = standing[0]!;
      if (item && entry.msgid !== item.msgid) problems.push(`stay ${stay.iptNo}: item ${queued.id} stands under ${entry.msgid} but the outbox recorded ${item.msgid}`);
      if (entry.seq <= floor) problems.push(`stay ${stay.iptNo}: ${queued.infno} item ${queued.id} took effect out of order (seq ${entry.seq} after ${floor})`);
      top = Math.max(top, entry.seq);
      if (entry.ipt_no !== null && entry.ipt_no !== stay.iptNo) problems.push(`stay ${stay.iptNo}: item ${queued.id} took effect on stay ${entry.ipt_no}`);
      if (queued.infno === '2401' && admission?.mdtrtId !== entry.mdtrt_id) problems.push(`stay ${stay.iptNo}: local mdtrt_id ${admission?.mdtrtId} ≠ platform ${entry.mdtrt_id}`);
      if (queued.infno === '2304') {
        const setl = store.settlements.liveFor(stay.iptNo);
        if (setl?.setlId !== entry.setl_id || setl?.status !== 'settled') problems.push(`stay ${stay.iptNo}: local settlement ${setl?.setlId}/${setl?.status} ≠ platform ${entry.setl_id}`);
      }
    }
    if (admission?.status !== 'settled') problems.push(`stay ${stay.iptNo}: admission is ${admission?.status}`);
  }
  return { operations, mutating, journalEntries: journal.length, reversedEntries, reversals, problems };
}

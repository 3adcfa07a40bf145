import type { Store } from '../../db/store.ts';
import type { OutboxItem } from '../../db/outbox/types.ts';
import { OutboxStateError } from '../../db/outbox/outbox.ts';
import { placeholdersIn } from '../../db/outbox/placeholders.ts';
import { KioskError } from '../../contract/errors.ts';
import type { WriteBackTable } from './write-back.ts';
import { isReversible } from '../../insurance/client/infno-catalog.ts';

/**
 * What a person can do about a queue item: retry, edit its input, cancel. Each action and its audit row commit
 * in one transaction (the audit log says who did what to which item, and why). Used by the desk screens
 * (KioskApi queue.*) and by `kiosk queue`.
 */
export interface Actor {
  /** `opter:<no>` at a desk, `cli:<user>` from the command line. */
  actor: string;
}

/** What a cancelled item would have produced for later items of its visit. */
const PRODUCES: Readonly<Record<string, 'mdtrt_id' | 'setl_id'>> = { '2401': 'mdtrt_id', '2304': 'setl_id' };

function notFound(id: number): KioskError {
  return new KioskError('QUEUE_ITEM_NOT_FOUND', `队列中没有编号为 ${id} 的交易。`, ['请刷新队列后重试。']);
}

function wrongState(err: OutboxStateError, action: string): KioskError {
  const state = err.item.state;
  const why =
    err.item.deadReason === 'output-invalid'
      ? '医保平台已受理该交易，但返回结果无法读取；请点“重试”（可冲正的交易先冲正再重发），不能直接取消。'
      : state === 'unknown-outcome' || state === 'reversing'
      ? '该交易结果未明，正在冲正（2601），冲正完成前不能操作。'
      : state === 'in-flight'
        ? '该交易正在发送中。'
        : state === 'done'
          ? '该交易已成功完成。'
          : state === 'cancelled'
            ? '该交易已取消。'
            : state === 'pending'
              ? '该交易正在排队等待发送，无需重试。'
              : '该交易当前状态不允许此操作。';
  return new KioskError('QUEUE_ITEM_STATE', `无法${action}队列交易 #${err.item.id}：${why}`, []);
}

function guard<T>(id: number, action: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof OutboxStateError) throw wrongState(err, action);
    if (err instanceof Error && /not found/.test(err.message)) throw notFound(id);
    throw err;
  }
}

/**
 * Retry a dead item. Refused, unresolvable or at its reversal cap: it goes again under a NEW msgid (the refused
 * one is answered from the platform's memory of that msgid). Reversal refused: the reversal is tried again,
 * never the item. Output invalid: it took effect, so a reversible one is reversed before it goes again.
 */
export function retryItem(store: Store, id: number, by: Actor, note = ''): OutboxItem {
  return guard(id, '重试', () =>
    store.write((tx) => {
      const before = store.outbox.mustGet(id);
      const fresh = before.deadReason === 'reversal-refused' ? before.msgid : store.msgids.next(tx.now);
      const after = store.outbox.retryDead(tx, id, fresh, isReversible);
      if (before.visitKey && store.admissions.get(before.visitKey)?.status === 'dead-letter' && before.infno === '2401') {
        store.admissions.setStatus(tx, before.visitKey, 'queued');
      }
      store.audit.append(tx, {
        actor: by.actor,
        action: 'outbox.retry',
        subject: `outbox:${id}`,
        detail: { infno: before.infno, visit: before.visitKey, deadReason: before.deadReason, oldMsgid: before.msgid, newMsgid: after.msgid, note },
      });
      return after;
    }),
  );
}

/** Replace a dead item's input (e.g. a corrected diagnosis code) and send it under a new msgid. */
export function editItem(store: Store, id: number, input: unknown, by: Actor, note = ''): OutboxItem {
  if (input === null || typeof input !== 'object') {
    throw new KioskError('INVALID_ARGUMENT', '修改后的交易输入必须是 JSON 对象。', []);
  }
  return guard(id, '修改', () =>
    store.write((tx) => {
      const before = store.outbox.mustGet(id);
      const after = store.outbox.editDead(tx, id, input, store.msgids.next(tx.now));
      if (before.infno === '2401' && store.admissions.get(before.visitKey)?.status === 'dead-letter') {
        store.admissions.setStatus(tx, before.visitKey, 'queued');
      }
      store.audit.append(tx, {
        actor: by.actor,
        action: 'outbox.edit',
        subject: `outbox:${id}`,
        // Which fields changed, not their values: inputs carry personal data, the audit log never does.
        detail: { infno: before.infno, visit: before.visitKey, oldMsgid: before.msgid, newMsgid: after.msgid, changedFields: changedPaths(before.input, input), note },
      });
      return after;
    }),
  );
}

/**
 * Cancel a pending or dead item. Later items of the visit that cannot go without it are cancelled with it:
 * everything after a 2401 (no admission, no mdtrt_id), and items waiting for a 2304's setl_id. A dead item
 * whose 2601 the platform refused is cancelled only after a supervisor checked the platform (3202): its
 * reversal is closed as resolved manually, which unblocks the visit in the client. Each cancelled item's
 * write-back runs in the same transaction (a queued 2401's deposits are refunded with it).
 */
export function cancelItem(store: Store, writeBack: WriteBackTable, id: number, reason: string, by: Actor): OutboxItem[] {
  if (!reason.trim()) throw new KioskError('INVALID_ARGUMENT', '取消队列交易必须填写原因。', []);
  return guard(id, '取消', () =>
    store.write((tx) => {
      const item = store.outbox.mustGet(id);
      const produced = PRODUCES[item.infno];
      const later = store.outbox.laterOpen(item.visitKey, item.id);
      const dependent = item.infno === '2401' ? later : produced ? later.filter((l) => placeholdersIn(l.input).has(produced)) : [];
      const cancelled = store.outbox.cancel(tx, id, { reason, alsoIds: dependent.map((d) => d.id) });
      if (item.deadReason === 'reversal-refused') {
        store.reversals.complete(item.msgid, tx.now.toISOString(), 'resolved-manually', `${by.actor}: ${reason}`);
      }
      for (const c of cancelled) writeBack[c.infno]?.cancelled?.(tx, store, c);
      store.audit.append(tx, {
        actor: by.actor,
        action: 'outbox.cancel',
        subject: `outbox:${id}`,
        detail: { infno: item.infno, visit: item.visitKey, msgid: item.msgid, state: item.state, deadReason: item.deadReason, reason, alsoCancelled: dependent.map((d) => d.id) },
      });
      return cancelled;
    }),
  );
}

/** Dotted paths whose values differ between two JSON values (for the audit row of an edit). */
export function changedPaths(a: unknown, b: unknown, prefix = ''): string[] {
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    return [...keys].sort().flatMap((k) => changedPaths((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix || '(root)'];
}

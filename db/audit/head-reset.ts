import type { Store } from '../store.ts';
import { keptHeadRecord, readKeptHead, writeKeptHead } from './kept-head.ts';

/** The action of the audit row saying the kept head was moved back on purpose (`kiosk store restore`). */
export const KEPT_HEAD_RESET_ACTION = 'audit.head-reset';

/**
 * After a restore the chain legitimately ends below the kept head: records why in the chain (the head kept before,
 * the restored chain's head and whether it verifies), then keeps the new head, so the next start does not alarm.
 */
export function resetKeptHead(store: Store, options: { actor: string; reason: string; detail?: Record<string, unknown> }): { seq: number; hash: string } {
  const before = readKeptHead(store.audit, store.path);
  const restored = store.audit.verify();
  const entry = store.write((tx) =>
    store.audit.append(tx, {
      actor: options.actor,
      action: KEPT_HEAD_RESET_ACTION,
      subject: 'audit_log',
      detail: {
        reason: options.reason,
        keptBefore: keptHeadRecord(before),
        restoredHead: restored.head,
        restoredChainOk: restored.ok,
        ...options.detail,
      },
    }),
  );
  const head = { seq: entry.seq, hash: entry.hash };
  writeKeptHead(store.audit, store.path, head, 'restore', store.clock.now());
  return head;
}

import type { z } from 'zod';
import type { QueueItem, QueueStatus } from '../../contract/dto/operations.ts';
import type { Store } from '../../db/store.ts';
import type { OutboxItem } from '../../db/outbox/types.ts';
import type { QueueStatusSummary } from '../../db/outbox/types.ts';

export type QueueStatusDto = z.infer<typeof QueueStatus>;
export type QueueItemDto = z.infer<typeof QueueItem>;

/** One queue item as screens and `kiosk queue --json` show it. Inputs stay out: they carry personal data. */
export function queueItemDto(item: OutboxItem): QueueItemDto {
  return {
    id: String(item.id),
    infno: item.infno,
    visit: item.visitKey,
    // A 2601 in progress is still, for the person at the desk, an outcome being cleared up.
    state: item.state === 'reversing' ? 'unknown-outcome' : item.state,
    attempts: item.attempts,
    lastError: item.lastError,
    createdAt: new Date(item.createdAt).toISOString(),
    nextAttemptAt: item.state === 'pending' || item.state === 'unknown-outcome' ? new Date(item.nextAttemptAt).toISOString() : null,
    deadReason: item.deadReason,
    reversals: item.reversals,
  };
}

/** Depth (open items), age of the oldest, dead letters, and the open items themselves (oldest first). */
export function queueStatus(store: Store, now: Date, limit = 100): QueueStatusDto & { summary: QueueStatusSummary } {
  return store.read(() => {
    const summary = store.outbox.status(now);
    return {
      depth: summary.depth,
      oldestAgeSeconds: summary.oldestAgeSeconds,
      deadLetters: summary.deadLetters,
      items: store.outbox.list({ limit }).map(queueItemDto),
      summary,
    };
  });
}

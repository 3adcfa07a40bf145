import type { KioskServices } from '../../contract/api.ts';
import { KioskError } from '../../contract/errors.ts';
import type { OutboxItem } from '../../db/outbox/types.ts';
import { cancelItem, retryItem } from '../sync/operator-actions.ts';
import type { ResultAppliers } from '../sync/appliers.ts';
import type { ServiceContext } from '../context.ts';

type QueueContext = Pick<ServiceContext, 'store' | 'clock' | 'operators' | 'outbox'>;

/**
 * The KioskApi `queue` group: what is waiting for the platform, and the desk's retry and cancel (the actions
 * of services/sync/operator-actions.ts, audited under the signed-in operator).
 */
export function createQueueGroup(ctx: QueueContext, appliers: ResultAppliers): KioskServices['queue'] {
  const status = () => {
    const summary = ctx.store.outbox.status(ctx.clock.now());
    const items = ctx.store.outbox.list({ limit: 100 }).map(toDto);
    return { depth: summary.depth, oldestAgeSeconds: summary.oldestAgeSeconds, deadLetters: summary.deadLetters, items };
  };
  const id = (raw: string): number => {
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n <= 0) throw new KioskError('QUEUE_ITEM_NOT_FOUND', `队列中没有编号为 ${raw} 的交易。`, ['请刷新队列后重试。']);
    return n;
  };
  const actor = () => ({ actor: `opter:${ctx.operators.requireStaff().opterNo}` });
  return {
    status: async () => status(),
    retry: async ({ id: raw }) => {
      retryItem(ctx.store, id(raw), actor());
      ctx.outbox.kick();
      return status();
    },
    cancel: async ({ id: raw, reason }) => {
      cancelItem(ctx.store, id(raw), reason, actor(), appliers);
      return status();
    },
  };
}

function toDto(i: OutboxItem) {
  const state = i.state === 'reversing' ? 'unknown-outcome' : i.state;
  return {
    id: String(i.id),
    infno: i.infno,
    visit: i.visitKey || null,
    state,
    attempts: i.attempts,
    lastError: i.lastError,
    createdAt: new Date(i.createdAt).toISOString(),
    nextAttemptAt: i.state === 'pending' || i.state === 'unknown-outcome' ? new Date(i.nextAttemptAt).toISOString() : null,
  };
}

import type { KioskServices } from '../../contract/api.ts';
import { KioskError } from '../../contract/errors.ts';
import { cancelItem, retryItem } from '../sync/operator-actions.ts';
import { queueStatus } from '../sync/queue-view.ts';
import type { ServiceContext } from '../context.ts';

type QueueContext = Pick<ServiceContext, 'store' | 'clock' | 'operators' | 'outbox' | 'writeBack'>;

/**
 * The KioskApi `queue` group: the queue view and operator actions of services/sync, audited under the
 * signed-in operator, with the terminal's write-back table (so cancelling a queued admission refunds its
 * deposits in the same transaction).
 */
export function createQueueGroup(ctx: QueueContext): KioskServices['queue'] {
  const view = () => {
    const { summary: _summary, ...dto } = queueStatus(ctx.store, ctx.clock.now());
    return dto;
  };
  const idOf = (raw: string): number => {
    if (!/^\d{1,15}$/.test(raw)) throw new KioskError('QUEUE_ITEM_NOT_FOUND', `队列中没有编号为 ${raw} 的交易。`, ['请刷新队列后重试。']);
    return Number(raw);
  };
  const actor = () => ({ actor: `opter:${ctx.operators.requireStaff().opterNo}` });
  return {
    status: async () => view(),
    retry: async ({ id }) => {
      retryItem(ctx.store, idOf(id), actor());
      ctx.outbox.kick();
      return view();
    },
    cancel: async ({ id, reason }) => {
      cancelItem(ctx.store, ctx.writeBack, idOf(id), reason, actor());
      ctx.outbox.kick();
      return view();
    },
  };
}

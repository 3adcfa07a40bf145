import type { KioskServices } from '../../contract/api.ts';
import { KioskError } from '../../contract/errors.ts';
import type { Store } from '../../db/store.ts';
import { cancelItem, retryItem } from './operator-actions.ts';
import { queueStatus } from './queue-view.ts';

/**
 * KioskApi `queue.*`: the queue panel of the desk screens. The actor is the signed-in operator (audit).
 */
export function createQueueService(deps: { store: Store; actor: () => string; kick: () => void }): KioskServices['queue'] {
  const { store } = deps;
  const view = () => {
    const { summary: _summary, ...dto } = queueStatus(store, store.clock.now());
    return dto;
  };
  const idOf = (id: string): number => {
    if (!/^\d{1,15}$/.test(id)) throw new KioskError('QUEUE_ITEM_NOT_FOUND', `队列中没有编号为 ${id} 的交易。`, ['请刷新队列后重试。']);
    return Number(id);
  };
  return {
    status: async () => view(),
    retry: async ({ id }) => {
      retryItem(store, idOf(id), { actor: deps.actor() });
      deps.kick();
      return view();
    },
    cancel: async ({ id, reason }) => {
      cancelItem(store, idOf(id), reason, { actor: deps.actor() });
      deps.kick();
      return view();
    },
  };
}

import type { Store } from '../../db/store.ts';
import type { OutboxItemState } from '../../db/outbox/types.ts';
import type { OutboxOutcome, OutboxPort } from '../context.ts';
import type { Relay, RelayEvent } from './relay.ts';

/**
 * The relay as the services see it (services/context.ts OutboxPort): enqueue in the domain transaction, then
 * `settle(id)` to learn quickly whether the platform took it. A service never waits for an outage to end: the
 * first sign that the item will not go soon (offline, unknown outcome awaiting its 2601) returns `waiting`,
 * and the screen says the work is queued.
 */
export function createOutboxPort(relay: Relay, store: Store): OutboxPort {
  return {
    kick: () => relay.kick(),
    claimWith: (tx, queued) => void relay.claimWith(tx, queued),
    get online() {
      return relay.online;
    },
    settle(itemId, options = {}) {
      const timeoutMs = options.timeoutMs ?? 15_000;
      const now = store.outbox.stateOf(itemId);
      if (!now) return Promise.reject(new Error(`outbox item ${itemId} not found`));
      const known = outcomeOf(now) ?? unknownSoFar(now);
      if (known) return Promise.resolve(known);
      return new Promise<OutboxOutcome>((resolve) => {
        let settled = false;
        const finish = (outcome: OutboxOutcome) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          unsubscribe();
          resolve(outcome);
        };
        const timer = setTimeout(() => finish({ state: 'waiting', item: store.outbox.stateOf(itemId) ?? now, reason: 'timeout' }), timeoutMs);
        const unsubscribe = relay.subscribe((event: RelayEvent) => {
          if (event.type === 'offline') {
            // An item in flight hears its own result next: the relay goes offline the moment a send (or the inline
            // 2601 after a lost answer) finds no connection, before that result is committed, and an answer lost
            // after the platform committed is "unknown", never "offline, not done".
            const item = store.outbox.stateOf(itemId);
            if (item && !outcomeOf(item) && item.state !== 'in-flight') finish({ state: 'waiting', item, reason: 'offline' });
            return;
          }
          if (!('item' in event) || event.item.id !== itemId) return;
          const decided = outcomeOf(event.item);
          if (decided) finish(decided);
          else if (event.item.state === 'unknown-outcome') finish({ state: 'waiting', item: event.item, reason: 'unknown' });
          else if (event.type === 'retry' && event.kind === 'offline') finish({ state: 'waiting', item: event.item, reason: 'offline' });
        });
        if (!relay.online) finish({ state: 'waiting', item: now, reason: 'offline' });
        // An item in flight is the relay's already (claimed with its enqueue, or by an earlier commit): its result
        // comes back to a commit of its own, and a kick would only run an empty one.
        else if (now.state !== 'in-flight' && now.state !== 'reversing') relay.kick();
      });
    },
  };
}

/**
 * An item whose last send has an unknown outcome waits for its 2601 before it can go again, whenever that was
 * found: the relay's unknown-outcome event may have come before this settle subscribed (an item claimed with
 * its enqueue is sent the moment that commits), so the state is read, not only the events: unknown-outcome (its
 * 2601 is due) or reversing (the 2601 is out) answers as the event would have. An item already reversed and
 * pending its fresh send is waited for, as when the event is heard.
 */
function unknownSoFar(item: OutboxItemState): OutboxOutcome | null {
  const reversalUnderWay = item.state === 'unknown-outcome' || item.state === 'reversing';
  return reversalUnderWay ? { state: 'waiting', item, reason: 'unknown' } : null;
}

function outcomeOf(item: OutboxItemState): OutboxOutcome | null {
  if (item.state === 'done') return { state: 'done', item };
  if (item.state === 'dead') return { state: 'dead', item };
  if (item.state === 'cancelled') return { state: 'cancelled', item };
  return null;
}

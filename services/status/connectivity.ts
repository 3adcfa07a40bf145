import type { OutboxItem } from '../../db/outbox/types.ts';
import type { ExchangeEvent, PlatformEvent } from '../../insurance/client/platform-client.ts';
import type { Relay, RelayEvent } from '../sync/relay.ts';
import type { Clock } from '../clock.ts';
import type { OutboxOutcome, OutboxPort } from '../context.ts';

/** Failures that say the platform could not be reached (as opposed to a business refusal). */
const UNREACHABLE: ReadonlySet<ExchangeEvent['result']> = new Set(['unreachable', 'timeout', 'connection-lost', 'http-status']);

type Waiter = { id: number; resolve: (o: OutboxOutcome) => void };

/**
 * The terminal's view of the platform: online or offline, and when it last learned so. Two witnesses:
 * every exchange the client makes (live calls and the relay's sends), and the relay's own state (it stops
 * claiming when a send finds the platform unreachable, and its connectivity probe says when it is back).
 *
 * Also the OutboxPort of ServiceContext: services enqueue, then `settle` an item to learn quickly whether it
 * went through, was refused, or is waiting for the network.
 */
export class Connectivity implements OutboxPort {
  private relay: Relay | null = null;
  private lastExchange: { ok: boolean; at: Date } | null = null;
  private relayOnline = true;
  private readonly waiters = new Set<Waiter>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly clock: Clock,
    private readonly getItem: (id: number) => OutboxItem | null,
    private readonly defaultTimeoutMs: number,
  ) {}

  attach(relay: Relay): void {
    this.relay = relay;
  }

  /** Online unless the last exchange or the relay says the platform cannot be reached. */
  get online(): boolean {
    return this.relayOnline && (this.lastExchange?.ok ?? true);
  }

  get checkedAt(): Date | null {
    return this.lastExchange?.at ?? null;
  }

  /** Called on any change of `online` (and on every outbox state change, for the queue depth). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The platform client's event hook. */
  onPlatformEvent = (e: PlatformEvent): void => {
    if (e.type !== 'exchange') return;
    const ok = !UNREACHABLE.has(e.result);
    const changed = ok !== (this.lastExchange?.ok ?? true);
    this.lastExchange = { ok, at: this.clock.now() };
    if (ok && !this.relayOnline) {
      // A live call got through: let the relay try now rather than wait for its probe's next tick.
      this.relay?.kick();
    }
    if (changed) this.changed();
  };

  /** The relay's event hook. */
  onRelayEvent = (e: RelayEvent): void => {
    if (e.type === 'online' || e.type === 'offline') {
      this.relayOnline = e.type === 'online';
      if (e.type === 'online') this.lastExchange = { ok: true, at: this.clock.now() };
      for (const w of [...this.waiters]) {
        if (e.type === 'offline') this.finish(w, { state: 'waiting', item: this.itemOf(w.id), reason: 'offline' });
      }
    }
    if (e.type === 'done' || e.type === 'dead' || e.type === 'retry' || e.type === 'reversed') {
      for (const w of [...this.waiters]) {
        if (w.id !== e.item.id) continue;
        if (e.type === 'done') this.finish(w, { state: 'done', item: e.item });
        else if (e.type === 'dead') this.finish(w, { state: 'dead', item: e.item });
        else if (e.type === 'retry') this.finish(w, { state: 'waiting', item: e.item, reason: e.kind === 'offline' ? 'offline' : 'unknown' });
        // reversed: the item goes again under a new msgid at once; keep waiting.
      }
    }
    this.changed();
  };

  kick(): void {
    this.relay?.kick();
  }

  /** A first-hand fact about reachability (the demo's network switch): shown at once, not at the next call. */
  note(ok: boolean): void {
    this.onPlatformEvent({ type: 'exchange', infno: '----', msgid: '', durationMs: 0, result: ok ? 'ok' : 'unreachable' });
  }

  settle(itemId: number, options: { timeoutMs?: number } = {}): Promise<OutboxOutcome> {
    const now = this.getItem(itemId);
    if (!now) return Promise.reject(new Error(`outbox item ${itemId} not found`));
    const final = finalOutcome(now);
    if (final) return Promise.resolve(final);
    if (!this.online) {
      this.kick();
      return Promise.resolve({ state: 'waiting', item: now, reason: 'offline' });
    }
    return new Promise((resolve) => {
      const waiter: Waiter = { id: itemId, resolve };
      this.waiters.add(waiter);
      const timer = setTimeout(() => this.finish(waiter, { state: 'waiting', item: this.itemOf(itemId), reason: 'timeout' }), options.timeoutMs ?? this.defaultTimeoutMs);
      timer.unref?.();
      waiter.resolve = (o) => {
        clearTimeout(timer);
        resolve(o);
      };
      // The relay may have finished it between the read above and now (events are synchronous with writes).
      const again = this.getItem(itemId);
      const done = again ? finalOutcome(again) : null;
      if (done) this.finish(waiter, done);
      else this.kick();
    });
  }

  /** Forget every waiter (shutdown). */
  close(): void {
    for (const w of [...this.waiters]) this.finish(w, { state: 'waiting', item: this.itemOf(w.id), reason: 'timeout' });
    this.listeners.clear();
  }

  private itemOf(id: number): OutboxItem {
    const item = this.getItem(id);
    if (!item) throw new Error(`outbox item ${id} vanished`);
    return item;
  }

  private finish(w: Waiter, outcome: OutboxOutcome): void {
    if (!this.waiters.delete(w)) return;
    w.resolve(outcome);
  }

  private changed(): void {
    for (const l of this.listeners) {
      try {
        l();
      } catch {
        // a listener's failure (a closed screen) must not stop the relay's event delivery
      }
    }
  }
}

function finalOutcome(item: OutboxItem): OutboxOutcome | null {
  if (item.state === 'done') return { state: 'done', item };
  if (item.state === 'dead') return { state: 'dead', item };
  if (item.state === 'cancelled') return { state: 'cancelled', item };
  return null;
}

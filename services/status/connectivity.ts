import type { ExchangeEvent, PlatformEvent } from '../../insurance/client/platform-client.ts';
import type { Relay, RelayEvent } from '../sync/relay.ts';
import type { Clock } from '../../base/clock.ts';

/** Failures that say the platform could not be reached (as opposed to a business refusal). */
const UNREACHABLE: ReadonlySet<ExchangeEvent['result']> = new Set(['unreachable', 'timeout', 'connection-lost', 'http-status']);

/**
 * The status bar's "platform online/offline", from two witnesses: every exchange the client makes (live calls
 * and the relay's sends), and the relay itself (it stops claiming when a send finds the platform unreachable;
 * its connectivity probe says when it is back). Listeners hear about every change, and about every relay event
 * (the queue depth moves with them).
 */
export class Connectivity {
  private relay: Relay | null = null;
  private lastExchange: { ok: boolean; at: Date } | null = null;
  private relayOnline = true;
  private readonly listeners = new Set<() => void>();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly clock: Clock) {}

  attach(relay: Relay): void {
    this.relay = relay;
    this.unsubscribe = relay.subscribe(this.onRelayEvent);
  }

  /** Online unless the last exchange or the relay says the platform cannot be reached. */
  get online(): boolean {
    return this.relayOnline && (this.lastExchange?.ok ?? true);
  }

  /** The relay's view of the local store: degraded while it refuses commits. */
  get store(): { degraded: boolean; since: Date | null; reason: string | null } {
    const d = this.relay?.storeDegraded ?? null;
    return d ? { degraded: true, since: new Date(d.since), reason: d.error } : { degraded: false, since: null, reason: null };
  }

  get checkedAt(): Date | null {
    return this.lastExchange?.at ?? null;
  }

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
    // A live call got through while the relay waits for its probe: let it try now.
    if (ok && !this.relayOnline) this.relay?.kick();
    if (changed) this.changed();
  };

  /** A first-hand fact about reachability (the demo's network switch): shown at once, not at the next call. */
  note(ok: boolean): void {
    this.onPlatformEvent({ type: 'exchange', infno: '----', msgid: '', durationMs: 0, result: ok ? 'ok' : 'unreachable' });
    if (ok) this.relay?.kick();
  }

  close(): void {
    this.unsubscribe?.();
    this.listeners.clear();
  }

  private onRelayEvent = (e: RelayEvent): void => {
    if (e.type === 'online' || e.type === 'offline') {
      this.relayOnline = e.type === 'online';
      if (e.type === 'online') this.lastExchange = { ok: true, at: this.clock.now() };
    }
    this.changed();
  };

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

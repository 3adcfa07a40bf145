import { describe, expect, it } from 'vitest';
import type { RelayEvent } from '../../../../services/sync/relay.ts';
import type { Relay } from '../../../../services/sync/relay.ts';
import { Connectivity } from '../../../../services/status/connectivity.ts';

/** The status bar's online/offline from the client's exchanges and the relay's events (relay stand-in: its two hooks). */
function setup() {
  let listener: (e: RelayEvent) => void = () => undefined;
  let kicks = 0;
  const relay = {
    subscribe(l: (e: RelayEvent) => void) {
      listener = l;
      return () => undefined;
    },
    kick() {
      kicks++;
    },
  } as unknown as Relay;
  const c = new Connectivity({ now: () => new Date('2026-11-20T02:00:00Z') });
  c.attach(relay);
  let changes = 0;
  c.onChange(() => changes++);
  return { c, relayEvent: (e: RelayEvent) => listener(e), kicks: () => kicks, changes: () => changes };
}

const exchange = (result: 'ok' | 'unreachable' | 'refused' | 'timeout') => ({ type: 'exchange' as const, infno: '1101', msgid: 'm', durationMs: 3, result });

describe('connectivity', () => {
  it('starts online with no check yet', () => {
    const { c } = setup();
    expect(c.online).toBe(true);
    expect(c.checkedAt).toBeNull();
  });

  it('an unreachable platform or a timeout is offline; a business refusal is not', () => {
    const { c, changes } = setup();
    c.onPlatformEvent(exchange('refused'));
    expect(c.online).toBe(true);
    c.onPlatformEvent(exchange('unreachable'));
    expect(c.online).toBe(false);
    expect(changes()).toBe(1);
    c.onPlatformEvent(exchange('ok'));
    expect(c.online).toBe(true);
    c.onPlatformEvent(exchange('timeout'));
    expect(c.online).toBe(false);
    expect(c.checkedAt?.toISOString()).toBe('2026-11-20T02:00:00.000Z');
  });

  it('the relay going offline is offline until its probe says online; a live success then kicks it', () => {
    const { c, relayEvent, kicks } = setup();
    relayEvent({ type: 'offline', error: 'ECONNREFUSED' });
    expect(c.online).toBe(false);
    c.onPlatformEvent(exchange('ok'));
    expect(kicks()).toBe(1);
    expect(c.online).toBe(false); // the relay itself has not said so yet
    relayEvent({ type: 'online' });
    expect(c.online).toBe(true);
  });

  it('the demo switch is a first-hand fact, shown at once', () => {
    const { c, kicks } = setup();
    c.note(false);
    expect(c.online).toBe(false);
    c.note(true);
    expect(c.online).toBe(true);
    expect(kicks()).toBeGreaterThanOrEqual(1);
  });
});

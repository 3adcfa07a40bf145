import { kioskContract, type KioskApi, type KioskEventName, type KioskEventPayloads } from '../../contract/api.ts';
import { KioskError } from '../../contract/errors.ts';
import type { TerminalStatus } from '../../contract/dto/status.ts';
import { sampleStatus } from './fake-services.ts';

type Methods = Omit<KioskApi, 'on'>;
export type FakeOverrides = { [G in keyof Methods]?: Partial<Methods[G]> };

export interface FakeKiosk {
  api: KioskApi;
  /** Every call made, in order: "group.method" and its arguments. */
  calls: Array<{ method: string; args: unknown }>;
  callsTo(method: string): unknown[];
  /** Deliver a terminal event to the renderer's subscribers. */
  emit<E extends KioskEventName>(event: E, payload: KioskEventPayloads[E]): void;
  /** Change the status and emit it, as the host does. */
  setStatus(over: Partial<TerminalStatus>): void;
  listenerCount(event: KioskEventName): number;
}

/**
 * The renderer's test double for window.kiosk (the VotingWorks fakeKiosk pattern). Every method answers
 * NOT_AVAILABLE (a real KioskError with Chinese text) unless the test provides it, so a test states exactly
 * the behaviour it relies on; system.status and system.resetSession work out of the box.
 */
export function fakeKiosk(overrides: FakeOverrides = {}, status: Partial<TerminalStatus> = {}): FakeKiosk {
  let current = sampleStatus(status);
  const calls: FakeKiosk['calls'] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const defaults: FakeOverrides = {
    system: { status: async () => current, resetSession: async () => ({ ok: true as const }) },
  };
  const api: Record<string, unknown> = {};
  for (const [group, methods] of Object.entries(kioskContract)) {
    const g: Record<string, (args: unknown) => Promise<unknown>> = {};
    for (const name of Object.keys(methods)) {
      const impl =
        (overrides as Record<string, Record<string, (a: unknown) => Promise<unknown>> | undefined>)[group]?.[name] ??
        (defaults as Record<string, Record<string, (a: unknown) => Promise<unknown>> | undefined>)[group]?.[name];
      g[name] = async (args: unknown) => {
        calls.push({ method: `${group}.${name}`, args });
        if (!impl) throw new KioskError('NOT_AVAILABLE', `测试中未提供该功能（${group}.${name}）。`, ['请在测试中提供该方法。']);
        return impl(args);
      };
    }
    api[group] = g;
  }
  api.on = (event: string, listener: (p: unknown) => void) => {
    const set = listeners.get(event) ?? new Set();
    set.add(listener);
    listeners.set(event, set);
    return () => set.delete(listener);
  };
  const emit = (event: string, payload: unknown) => {
    for (const l of [...(listeners.get(event) ?? [])]) l(payload);
  };
  return {
    api: api as unknown as KioskApi,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method).map((c) => c.args),
    emit: emit as FakeKiosk['emit'],
    setStatus(over) {
      current = { ...current, ...over };
      emit('status', current);
    },
    listenerCount: (event) => listeners.get(event)?.size ?? 0,
  };
}

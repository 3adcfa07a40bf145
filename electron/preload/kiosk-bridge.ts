import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { createKioskClient } from '../../contract/client.ts';
import { EVENT_CHANNEL } from '../../contract/define.ts';
import type { KioskApi } from '../../contract/api.ts';

export type BridgeIpc = Pick<IpcRenderer, 'invoke' | 'on'>;

/**
 * What a rejected call carries into the page. contextBridge copies a thrown Error with its message only
 * (custom properties such as `code` and `guidance` are dropped: electron/electron#25596), so calls reject
 * with this plain object instead, which the bridge copies whole. The renderer reads `code`, `message` and
 * `guidance` exactly as on a KioskError (KioskError.fromDto rebuilds one if it wants the class).
 */
export interface BridgedKioskError {
  name: 'KioskError';
  code: string;
  message: string;
  guidance: string[];
}

/**
 * window.kiosk for the sandboxed preload: exactly the contract's groups and methods plus `on`, built by the
 * same createKioskClient as every other transport. Each method sends one ipcRenderer.invoke on its own
 * "kiosk:<group>.<method>" channel; nothing generic (no invoke, no send, no ipcRenderer) is reachable.
 * Events arrive on one listener and are fanned out to the page's subscribers.
 */
export function buildKioskBridge(ipc: BridgeIpc): KioskApi {
  const listeners = new Set<(name: string, payload: unknown) => void>();
  ipc.on(EVENT_CHANNEL, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
    if (typeof name !== 'string') return;
    for (const l of listeners) l(name, payload);
  });
  const client = createKioskClient({
    request: (channel, args) => ipc.invoke(channel, args),
    onEvent(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  });

  const api: Record<string, unknown> = {};
  for (const [group, methods] of Object.entries(client)) {
    if (group === 'on') continue;
    const wrapped: Record<string, (args?: unknown) => Promise<unknown>> = {};
    for (const [name, fn] of Object.entries(methods as Record<string, (args?: unknown) => Promise<unknown>>)) {
      wrapped[name] = async (args?: unknown) => {
        try {
          return await fn(args);
        } catch (err) {
          throw toBridgedError(err);
        }
      };
    }
    api[group] = Object.freeze(wrapped);
  }
  api.on = (event: string, listener: (payload: unknown) => void) => {
    try {
      return (client.on as (e: string, l: (p: unknown) => void) => () => void)(event, listener);
    } catch (err) {
      throw toBridgedError(err);
    }
  };
  return Object.freeze(api) as unknown as KioskApi;
}

export function toBridgedError(err: unknown): BridgedKioskError {
  const e = err as { name?: unknown; code?: unknown; message?: unknown; guidance?: unknown };
  if (e && typeof e.code === 'string' && typeof e.message === 'string') {
    return {
      name: 'KioskError',
      code: e.code,
      message: e.message,
      guidance: Array.isArray(e.guidance) ? e.guidance.filter((g): g is string => typeof g === 'string') : [],
    };
  }
  // Not ours (an IPC failure while main restarts): a Chinese message, never an English stack.
  return { name: 'KioskError', code: 'INTERNAL', message: '终端内部通信失败，操作未完成。', guidance: ['请重试；如仍出现，请联系信息科。'] };
}

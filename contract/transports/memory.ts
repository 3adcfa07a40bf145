import type { KioskApi } from '../api.ts';
import { createKioskClient } from '../client.ts';
import type { Dispatcher } from '../dispatcher.ts';

/**
 * An in-process client for tests and the CLI: the same dispatcher as IPC and WebSocket, with arguments and
 * replies passed through structuredClone so nothing is shared by reference, as on a real wire.
 */
export function createMemoryClient(dispatcher: Dispatcher): KioskApi & { close(): void } {
  const unsubscribers = new Set<() => void>();
  const client = createKioskClient({
    request: async (channel, args) => structuredClone(await dispatcher.call(channel, structuredClone(args), { transport: 'memory' })),
    onEvent: (listener) => {
      const off = dispatcher.subscribe((name, payload) => listener(name, structuredClone(payload)));
      unsubscribers.add(off);
      return () => {
        off();
        unsubscribers.delete(off);
      };
    },
  });
  return {
    ...client,
    close() {
      for (const off of unsubscribers) off();
      unsubscribers.clear();
    },
  };
}

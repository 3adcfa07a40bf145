import { kioskContract, kioskEvents, type KioskApi, type KioskEventName } from './api.ts';
import { channelOf } from './define.ts';
import { KioskError } from './errors.ts';
import { Reply } from './wire.ts';

/** What a client transport provides: send one call, and deliver events. */
export interface ClientTransport {
  request(channel: string, args: unknown): Promise<unknown>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
}

/**
 * Builds the typed KioskApi over any transport. Replies are parsed; errors come back as KioskError with
 * their Chinese message and guidance. The object has exactly the contract's groups and methods plus `on`.
 */
export function createKioskClient(transport: ClientTransport): KioskApi {
  const api: Record<string, unknown> = {};
  for (const [group, methods] of Object.entries(kioskContract)) {
    const g: Record<string, (args?: unknown) => Promise<unknown>> = {};
    for (const name of Object.keys(methods)) {
      const channel = channelOf(group, name);
      g[name] = async (args?: unknown) => {
        const raw = await transport.request(channel, args ?? {});
        const reply = Reply.safeParse(raw);
        if (!reply.success) throw new KioskError('INTERNAL', '终端返回了无法识别的应答。', ['请重试；如仍出现，请联系信息科。']);
        if (!reply.data.ok) throw KioskError.fromDto(reply.data.error);
        return reply.data.value;
      };
    }
    api[group] = Object.freeze(g);
  }
  api.on = (event: KioskEventName, listener: (payload: unknown) => void) => {
    if (!(event in kioskEvents)) throw new KioskError('INVALID_ARGUMENT', `未知事件：${String(event)}`);
    return transport.onEvent((name, payload) => {
      if (name === event) listener(payload);
    });
  };
  return Object.freeze(api) as unknown as KioskApi;
}

import { z } from 'zod';
import { KioskErrorDto } from './errors.ts';

/** The messages every transport carries (WebSocket frames, IPC replies, the in-memory pair). */
export const Reply = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: KioskErrorDto }),
]);
export type Reply = z.infer<typeof Reply>;

export const WsClientMessage = z.object({
  t: z.literal('call'),
  id: z.number().int().nonnegative(),
  channel: z.string().max(100),
  args: z.unknown(),
});
export type WsClientMessage = z.infer<typeof WsClientMessage>;

export const WsServerMessage = z.discriminatedUnion('t', [
  z.object({ t: z.literal('reply'), id: z.number().int(), reply: Reply }),
  z.object({ t: z.literal('event'), name: z.string(), payload: z.unknown() }),
]);
export type WsServerMessage = z.infer<typeof WsServerMessage>;

/** WebSocket close code for a connection without the host's session cookie (electron/host/session-cookie.ts). */
export const WS_CLOSE_UNAUTHORIZED = 4401;

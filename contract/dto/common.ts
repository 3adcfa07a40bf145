import { z } from 'zod';

/** Integer fen (分). Never floats; yuan strings exist only at the platform wire and on screen. */
export const Fen = z.number().int().safe();
export type Fen = z.infer<typeof Fen>;

export const Id = z.string().min(1).max(64);
/** Calendar day in China time, YYYY-MM-DD. */
export const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** Local date-time in China time, YYYY-MM-DD HH:mm:ss (the platform's 日期时间型). */
export const DateTime = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

export const Mode = z.enum(['admission', 'self-service', 'discharge']);
export type Mode = z.infer<typeof Mode>;

export const Empty = z.object({}).strict();
export const Ok = z.object({ ok: z.literal(true) });

/** A reason or a step of guidance, always Chinese text with a stable code for tests and voice prompts. */
export const Reason = z.object({ code: z.string(), text: z.string() });
export type Reason = z.infer<typeof Reason>;

import { z } from 'zod';

/** Integer fen (分). Never floats; yuan strings exist only at the platform wire and on screen. */
export const Fen = z.number().int().safe();
export type Fen = z.infer<typeof Fen>;

export const Id = z.string().min(1).max(64);
/** Calendar day in China time, YYYY-MM-DD. */
export const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** Local date-time in China time, YYYY-MM-DD HH:mm:ss (the platform's 日期时间型). */
export const DateTime = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

/**
 * The audit chain as verified for a report (services/security/audit-head.ts): its head, printed on the report, and
 * what was found — `problems` holds the first 20 findings (one line each, for IT), `problemCount` all of them.
 */
export const AuditChainCheck = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  headSeq: z.number().int(),
  headHash: z.string(),
  problems: z.array(z.string()),
  problemCount: z.number().int(),
  /** Findings an IT administrator accepted earlier (`kiosk store audit --accept`): not in problemCount, still said. */
  acceptedCount: z.number().int().optional(),
});
export type AuditChainCheck = z.infer<typeof AuditChainCheck>;

export const Mode = z.enum(['admission', 'self-service', 'discharge']);
export type Mode = z.infer<typeof Mode>;

export const Empty = z.object({}).strict();
export const Ok = z.object({ ok: z.literal(true) });

/** A reason or a step of guidance, always Chinese text with a stable code for tests and voice prompts. */
export const Reason = z.object({ code: z.string(), text: z.string() });
export type Reason = z.infer<typeof Reason>;

/**
 * Why work is not final yet, though nothing failed: it goes on in the outbox and the screen says so.
 * offline: the platform cannot be reached; reversal: an answer was lost and its 2601 must come first;
 * slow: no answer within the wait; not-registered: the stay's 2401 is still queued.
 */
export const WaitReason = z.enum(['offline', 'reversal', 'slow', 'not-registered']);
export type WaitReason = z.infer<typeof WaitReason>;

/** An expected outcome that is not success, told to the person at the screen: Chinese text and what to do next. */
export const Explained = { message: z.string(), guidance: z.array(z.string()) };

/** Waiting, as an outcome value (never a thrown error the screen has to recognise). */
export const Waiting = z.object({ outcome: z.literal('waiting'), reason: WaitReason, ...Explained });
export type Waiting = z.infer<typeof Waiting>;

/**
 * Who said no, so each screen can word it for the person in front of it (the texts are written for staff):
 * platform — the 医保 platform refused a transaction (staff look at the queue or ask the 医保办);
 * confirm-again — the figures changed since the patient confirmed them; card — the card refused (its PIN locked,
 * or no PIN can be checked here: the card's own words, fit for the patient); stay — the stay is not in a state
 * for this (nothing uploaded to settle, no settlement under way, a cancelled transaction).
 */
export const RefusalKind = z.enum(['platform', 'confirm-again', 'card', 'stay']);
export type RefusalKind = z.infer<typeof RefusalKind>;

/** The platform (or a rule the platform applies) said no: the reasons, in Chinese, and what to do next. */
export const Refused = z.object({ outcome: z.literal('refused'), kind: RefusalKind, reasons: z.array(z.string()).min(1), guidance: z.array(z.string()) });
export type Refused = z.infer<typeof Refused>;

import { z } from 'zod';
import { Day, DateTime, Mode } from './common.ts';
import { StaffRole } from './roles.ts';

export const ReaderState = z.enum(['none', 'idle', 'card-present', 'reading', 'error']);

/**
 * The resident ID card reader (readers.idcard) for the staff status bar: checking until the first probe, ready,
 * reading, or error with the reason. Patient screens never show it (no device words for patients).
 */
export const IdCardReaderStatus = z.object({
  state: z.enum(['checking', 'ready', 'reading', 'error']),
  message: z.string().nullable(),
  /** What staff can do about an unusable reader (check the cable…). Optional (added after the first release). */
  guidance: z.string().nullable().optional(),
});
export type IdCardReaderStatus = z.infer<typeof IdCardReaderStatus>;

export const TerminalStatus = z.object({
  mode: Mode,
  demo: z.boolean(),
  hospital: z.object({
    code: z.string(),
    name: z.string(),
    level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    /** Where patients are sent (configuration): the cashier window, the 医保 window, the 医保 phone. Optional for older hosts. */
    help: z.object({ cashierWindow: z.string(), insuranceWindow: z.string(), phone: z.string() }).optional(),
  }),
  terminalName: z.string(),
  reader: z.object({ state: ReaderState, name: z.string().nullable(), message: z.string().nullable() }),
  /** Null when this terminal has no ID card reader. Optional (added after the first release). */
  idCardReader: IdCardReaderStatus.nullable().optional(),
  platform: z.object({ online: z.boolean(), checkedAt: z.string().nullable() }),
  queue: z.object({ depth: z.number().int(), deadLetters: z.number().int(), oldestAgeSeconds: z.number().nullable() }),
  /**
   * The local store refuses the relay's commits (disk full, I/O error): nothing is lost (results wait in memory,
   * the relay retries with backoff and resumes by itself), but nothing new is uploaded meanwhile. Optional
   * (added after the first release): absent = healthy.
   */
  store: z.object({ degraded: z.boolean(), since: z.string().nullable(), reason: z.string().nullable() }).optional(),
  /**
   * The signed-in staff operator. roles and locked were added with operator accounts (optional for older
   * hosts): locked = the desk is locked at idle and waits for this operator's password.
   */
  operator: z.object({ opterNo: z.string(), name: z.string(), roles: z.array(StaffRole).optional(), locked: z.boolean().optional() }).nullable(),
  idleTimeoutSeconds: z.number().int().positive(),
  /**
   * The terminal's calendar day in China time (its clock, which tests and the demo may shift): the default
   * for day-end reconciliation and the day's settlements. Optional (added after the first release); screens
   * fall back to the day of platform.checkedAt, then to the browser's clock.
   */
  today: Day.optional(),
  /**
   * The terminal's China date-time when this status was made (yyyy-MM-dd HH:mm:ss): the default of a time a
   * clerk confirms (入院时间), asked for when the form opens. Optional (added after the first release).
   */
  now: DateTime.optional(),
});
export type TerminalStatus = z.infer<typeof TerminalStatus>;

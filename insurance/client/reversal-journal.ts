import type { Operator } from './envelope.ts';
import type { MaybePromise } from './maybe-promise.ts';

/**
 * A reversal (2601) the client owes the platform: a reversible transaction whose outcome is unknown. It is
 * written before the first 2601 is sent and stays until a 2601 is answered, so a restart continues it.
 */
export interface PendingReversal {
  /** The original transaction's msgid (2601 omsgid) and code (oinfno). */
  omsgid: string;
  oinfno: string;
  psn_no: string;
  insuplc_admdvs: string;
  /** The visit it blocks: no other transaction of this visit is sent until the reversal is definite. */
  visitKey: string;
  /** The 2601's own msgid, taken once and reused by every attempt: never a retry under a new msgid. */
  msgid: string;
  /** Who sent the original; the 2601 goes out under the same operator. */
  operator: Operator;
  /** ISO instant. */
  createdAt: string;
  attempts: number;
  lastAttemptAt: string | null;
  /** How the last 2601 attempt ended: refused by the platform (a person must look), or failed (try again). */
  lastOutcome: AttemptOutcome | null;
  /** The last failure of a 2601 attempt: the platform's err_msg when it refused, else the error kind. */
  lastError: string | null;
}

export type AttemptOutcome = 'refused' | 'failed';

/** A 2601 attempt that did not reverse: how it ended, and why. */
export interface AttemptFailure {
  outcome: AttemptOutcome;
  error: string;
}

export type ReversalResolution = 'reversed' | 'resolved-manually';

/**
 * Durable list of pending reversals. The production journal is SQLite (db/); tests use the in-memory one.
 * `add` must be durable when it returns and must ignore an omsgid it already holds.
 */
export interface ReversalJournal {
  add(entry: PendingReversal): MaybePromise<void>;
  /** Entries not yet completed, oldest first. */
  pending(): MaybePromise<PendingReversal[]>;
  recordAttempt(omsgid: string, at: string, failure: AttemptFailure): MaybePromise<void>;
  complete(omsgid: string, at: string, resolution: ReversalResolution, note?: string): MaybePromise<void>;
}

export interface CompletedReversal extends PendingReversal {
  completedAt: string;
  resolution: ReversalResolution;
  note: string | null;
}

export class InMemoryReversalJournal implements ReversalJournal {
  private readonly open = new Map<string, PendingReversal>();
  private readonly done = new Map<string, CompletedReversal>();

  add(entry: PendingReversal): void {
    if (this.open.has(entry.omsgid) || this.done.has(entry.omsgid)) return;
    this.open.set(entry.omsgid, { ...entry });
  }

  pending(): PendingReversal[] {
    return [...this.open.values()].map((e) => ({ ...e })).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  recordAttempt(omsgid: string, at: string, failure: AttemptFailure): void {
    const entry = this.open.get(omsgid);
    if (!entry) return;
    entry.attempts += 1;
    entry.lastAttemptAt = at;
    entry.lastOutcome = failure.outcome;
    entry.lastError = failure.error;
  }

  complete(omsgid: string, at: string, resolution: ReversalResolution, note?: string): void {
    const entry = this.open.get(omsgid);
    if (!entry) return;
    this.open.delete(omsgid);
    this.done.set(omsgid, { ...entry, completedAt: at, resolution, note: note ?? null });
  }

  /** Completed reversals (for tests and diagnostics). */
  completed(): CompletedReversal[] {
    return [...this.done.values()].map((e) => ({ ...e }));
  }
}

import type { Clock } from '../../base/clock.ts';
import { isPlatformError, PlatformRefusedError, ReversalPendingError, type CallContext, type ReversalStatus } from './errors.ts';
import type { AttemptFailure, PendingReversal, ReversalJournal } from './reversal-journal.ts';

/** Sends the 2601 for an entry; resolves when the platform answered infcode 0, throws a PlatformError otherwise. */
export type ReversalSender = (entry: PendingReversal) => Promise<void>;

export interface ReversalEvent {
  type: 'reversal';
  omsgid: string;
  oinfno: string;
  result: 'reversed' | 'failed';
  error: string | null;
}

export interface ReversalOptions {
  /** Delays before each inline attempt right after the unknown outcome; [0, 2000] = now, then 2 s later. */
  inlineDelaysMs: readonly number[];
}

/**
 * Drives pending reversals to a definite answer. A reversal is attempted inline right after the unknown
 * outcome (so the person at the desk usually learns "reversed, please redo" at once), again before any other
 * transaction of its visit, and by `drain()` (at start-up and on a timer) until the platform answers.
 */
export class ReversalCoordinator {
  private readonly inflight = new Map<string, Promise<AttemptFailure | null>>();
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<unknown> | null = null;

  constructor(
    private readonly journal: ReversalJournal,
    private readonly send: ReversalSender,
    private readonly clock: Clock,
    private readonly options: ReversalOptions,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly onEvent: (event: ReversalEvent) => void,
  ) {}

  /** Journals the reversal (durably, before any 2601 is sent) and attempts it inline. */
  async begin(entry: PendingReversal): Promise<ReversalStatus> {
    await this.journal.add(entry);
    for (const delay of this.options.inlineDelaysMs) {
      if (delay > 0) await this.sleep(delay);
      if ((await this.attempt(entry)) === null) return 'reversed';
    }
    return 'pending';
  }

  /**
   * The gate in front of every transaction of a visit: reversals pending for it are attempted now; if any is
   * still not definite, the transaction is not sent (ReversalPendingError). A 2401 is also held back by any
   * pending 2401 of the same person, whatever key its caller used (a second admission would be refused anyway).
   * `pending`: the journal's pending reversals, as the caller just read them (PlatformClient reads them once for
   * this gate and its msgid check).
   */
  async clearVisit(visitKey: string, context: CallContext, psnNo: string | undefined, pending: readonly PendingReversal[]): Promise<void> {
    const blocking = pending.filter(
      (e) => e.visitKey === visitKey || (context.infno === '2401' && e.oinfno === '2401' && psnNo !== undefined && e.psn_no === psnNo),
    );
    if (blocking.length === 0) return;
    const still: ReversalPendingError['pending'] = [];
    for (const entry of blocking) {
      const failure = await this.attempt(entry);
      if (failure !== null) still.push({ omsgid: entry.omsgid, oinfno: entry.oinfno, lastOutcome: failure.outcome, lastError: failure.error });
    }
    if (still.length > 0) throw new ReversalPendingError(context, visitKey, still);
  }

  /** One attempt at every pending reversal. Returns how many were reversed and how many remain. */
  async drain(): Promise<{ reversed: number; pending: number }> {
    if (this.draining) await this.draining.catch(() => undefined);
    const run = (async () => {
      let reversed = 0;
      let remaining = 0;
      for (const entry of await this.journal.pending()) {
        if ((await this.attempt(entry)) === null) reversed += 1;
        else remaining += 1;
      }
      return { reversed, pending: remaining };
    })();
    this.draining = run;
    try {
      return await run;
    } finally {
      if (this.draining === run) this.draining = null;
    }
  }

  /** Drains now and then every `intervalMs` until stop(). The timer does not keep the process alive. */
  start(intervalMs: number): void {
    if (this.timer) return;
    const tick = (): void => {
      this.drain()
        .catch(() => undefined)
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs).unref();
        });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * One 2601 for the entry, shared by concurrent callers. Returns null when the platform answered (the entry
   * is completed), else how it failed (recorded on the entry: refused by the platform, or no answer).
   */
  private attempt(entry: PendingReversal): Promise<AttemptFailure | null> {
    const running = this.inflight.get(entry.omsgid);
    if (running) return running;
    const run = (async (): Promise<AttemptFailure | null> => {
      let failure: AttemptFailure | null = null;
      try {
        await this.send(entry);
      } catch (e) {
        failure = describeFailure(e);
      }
      const at = this.clock.now().toISOString();
      if (failure === null) await this.journal.complete(entry.omsgid, at, 'reversed');
      else await this.journal.recordAttempt(entry.omsgid, at, failure);
      this.onEvent({ type: 'reversal', omsgid: entry.omsgid, oinfno: entry.oinfno, result: failure === null ? 'reversed' : 'failed', error: failure?.error ?? null });
      return failure;
    })();
    this.inflight.set(entry.omsgid, run);
    return run.finally(() => this.inflight.delete(entry.omsgid));
  }
}

function describeFailure(e: unknown): AttemptFailure {
  if (e instanceof PlatformRefusedError) return { outcome: 'refused', error: e.errMsg };
  if (isPlatformError(e)) return { outcome: 'failed', error: e.kind };
  return { outcome: 'failed', error: e instanceof Error ? `error: ${e.message}` : 'error' };
}

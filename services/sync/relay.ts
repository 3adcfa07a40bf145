import { randomUUID } from 'node:crypto';
import type { Store } from '../../db/store.ts';
import type { Tx } from '../../db/tx.ts';
import type { Claim, OutboxItem } from '../../db/outbox/types.ts';
import { placeholdersIn, resolvePlaceholders } from '../../db/outbox/placeholders.ts';
import { RelayLease } from '../../db/relay-lease.ts';
import { isStoreFault } from '../../db/store-fault.ts';
import { isReversible as catalogueIsReversible } from '../../insurance/client/infno-catalog.ts';
import { UploadFees2301 } from '../../insurance/client/transactions/fees.ts';
import { DEFAULT_BACKOFF, equalJitterDelay, fullJitterDelay, type BackoffPolicy } from './backoff.ts';
import { ConnectivityProbe } from './connectivity-probe.ts';
import { PlatformFailure, type PlatformPort, type PortRequest } from './platform-port.ts';
import type { WriteBackTable } from './write-back.ts';

/** Synchronous: a fresh msgid is taken inside the transaction that records why it is needed. */
export interface MsgidSource {
  next(now: Date): string;
}

export interface RelayOptions {
  store: Store;
  platform: PlatformPort;
  /** Fresh msgids after a definite reversal or an operator retry. Default: the store's sequence. */
  msgids?: MsgidSource;
  /** What each infno's answer changes in the store (services/write-back-table.ts): required, never defaulted. */
  writeBack: WriteBackTable;
  /** Items of different visits in flight at once. Items of one visit are always one at a time. */
  concurrency?: number;
  /** Backoff of an item after a failed attempt. */
  backoff?: BackoffPolicy;
  /** Backoff of the connectivity probe while the platform is unreachable. */
  probeBackoff?: BackoffPolicy;
  /**
   * Wait before an item goes again after a definite 2601 (equal jitter, doubling per reversal of the item).
   * Default 10 s doubling to 5 min: a gateway that garbles every committed reply cannot make a storm.
   */
  reversalBackoff?: BackoffPolicy;
  /** Reversals of one item after which it waits for a person instead of going again. Default 5. */
  maxReversals?: number;
  /** Wait before the relay tries a commit the store refused again (disk full, I/O error). Default 0.5 s → 30 s. */
  storeBackoff?: BackoffPolicy;
  random?: () => number;
  /** The relay lease (one relay per store); renewed every third of this. */
  leaseTtlMs?: number;
  /**
   * Group commit window: after the first result of a batch comes back, wait at most this long for the other
   * attempts in flight before committing (sooner when all are back). Fewer commits (fsyncs) per operation at
   * the cost of up to this much latency per item. Default 2 ms; 0 = commit at the next turn of the event loop.
   */
  commitWindowMs?: number;
  /**
   * Claim the next sends ahead, while every slot is taken, so that a slot freed by a result is refilled at once
   * instead of after that result's commit (see Relay.refill). Default true; false only to measure without it.
   */
  claimAhead?: boolean;
  /**
   * The infno whose consecutive items of one visit may be in flight together (Outbox.claimNext `alongside`).
   * Default 2301: a stay's fee batches are independent of one another; null = strictly one at a time.
   */
  alongside?: string | null;
  /** Names this relay in the lease (default: a random id). */
  holder?: string;
  isReversible?: (infno: string) => boolean;
  /**
   * Looks at the outbox at least this often even without a kick: items enqueued or retried by another
   * process (`kiosk queue retry`) are picked up within this time. Default 2 s.
   */
  pollIntervalMs?: number;
  onEvent?: (event: RelayEvent) => void;
}

export type RelayEvent =
  | { type: 'done'; item: OutboxItem }
  | { type: 'dead'; item: OutboxItem; error: string }
  | { type: 'retry'; item: OutboxItem; kind: string; error: string; nextAttemptAt: number }
  | { type: 'reversed'; item: OutboxItem; omsgid: string; newMsgid: string; nextAttemptAt: number }
  | { type: 'recovered'; items: OutboxItem[] }
  | { type: 'online' }
  | { type: 'offline'; error: string }
  | { type: 'lease-wait'; holder: string }
  | { type: 'lease-lost' }
  /** The store refused a commit: nothing is lost (the results wait in memory, the items stay in flight in the file); retried. */
  | { type: 'store-degraded'; error: string; failures: number; retryInMs: number }
  /** A commit went through again after the store refused one. */
  | { type: 'store-recovered'; degradedMs: number }
  | { type: 'error'; error: unknown };

const FINAL = new Set(['done', 'cancelled', 'dead']);

/**
 * The outbox relay: drains the store's outbox to the platform, at least once, exactly once in effect.
 *
 * - Group commit: the results that came back during one turn of the event loop, and the claims that refill the
 *   free slots, are written in ONE transaction (one fsync with synchronous=FULL), each result in its own
 *   savepoint. A result is on disk before the next item of its visit is claimed.
 * - Claims the head item of each visit (outbox.claimNext), so a visit's items go in order
 *   (2401 → 2301… → 2402 → 2303 → 2304), while different visits interleave up to `concurrency`. A run of
 *   consecutive 2301 batches of a visit goes out together (`alongside`): they are independent of one another.
 * - Claims ahead (`refill`): while every slot is taken, the group commit also claims the next non-reversible
 *   sends, so a slot freed by a result is refilled at once instead of after that result's commit. Nothing is
 *   sent that is not claimed on disk; never more than `concurrency` requests out.
 * - Sends outside any transaction, under the item's msgid; the platform treats a repeated msgid as the same
 *   message (the idempotency key). Writes the result (item done + the admission's mdtrt_id, the settlement's
 *   setl_id…) in ONE transaction.
 * - Offline (not sent): the item waits with full-jitter backoff and the relay stops claiming until the
 *   connectivity probe gets an answer. Unknown outcome of a non-reversible transaction: the same msgid again.
 * - Unknown outcome of a reversible transaction (2401, 2304, 2305, 2207, 2208): never resent under its msgid
 *   and never under a new one until a 2601 for it has been answered. Then, and only then, the item gets a NEW
 *   msgid and goes again. See docs/store.md "Reversal rule".
 * - Reversals are paced: after each definite 2601 the item waits (equal jitter, doubling), and after
 *   `maxReversals` of them it waits for a person (dead, reversal-cap) with the reason.
 * - Business refusal (infcode -1): a dead letter, audited; the visit waits for an operator
 *   (operator-actions.ts: retry, edit, cancel). So does an accepted item whose output cannot be read or
 *   written back (dead, output-invalid): it took effect, so it is never marked done without its write-back.
 * - A commit the store refuses (disk full, I/O error) loses nothing: the results stay queued in memory and the
 *   commit is retried with backoff; `storeDegraded` says so meanwhile, and draining resumes by itself.
 * - After a crash, `start` turns the items left in flight into pending (same msgid) or unknown-outcome.
 */
export class Relay {
  private readonly store: Store;
  private readonly platform: PlatformPort;
  private readonly msgids: MsgidSource;
  private readonly writeBack: WriteBackTable;
  private readonly concurrency: number;
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;
  private readonly leaseTtlMs: number;
  private readonly pollIntervalMs: number;
  private readonly commitWindowMs: number;
  private readonly claimAhead: boolean;
  private readonly alongside: string | undefined;
  private readonly isReversible: (infno: string) => boolean;
  private readonly reversalBackoff: BackoffPolicy;
  private readonly maxReversals: number;
  private readonly storeBackoff: BackoffPolicy;
  /** Set while the store refuses commits. */
  private degraded: { since: number; error: string; failures: number } | null = null;
  private storeRetryTimer: NodeJS.Timeout | null = null;
  private readonly onEvent: (event: RelayEvent) => void;
  private readonly lease: RelayLease;
  private readonly probe: ConnectivityProbe;
  /** Handed to the platform port and not yet written back. */
  private readonly inflight = new Map<number, Claim>();
  /**
   * Claimed in an earlier, committed transaction and not yet sent: the next requests, sent the moment a slot
   * frees, without waiting for the commit of the result that freed it (see `refill`). Only sends of items that
   * are not reversible: after a crash they are resent under their msgid, which the platform dedupes.
   */
  private readonly ready: Claim[] = [];
  /** The attempts being sent (for stop()). */
  private readonly tasks = new Set<Promise<void>>();
  /** Write-backs waiting for the next group commit. */
  private readonly writes: PendingWrite[] = [];
  private readonly waiters = new Map<number, Array<(item: OutboxItem) => void>>();
  private readonly listeners = new Set<(event: RelayEvent) => void>();
  private running = false;
  private flushScheduled = false;
  private windowTimer: NodeJS.Timeout | null = null;
  private isOnline = true;
  private wakeTimer: NodeJS.Timeout | null = null;
  private wakeAt = Infinity;
  private leaseTimer: NodeJS.Timeout | null = null;
  private stopped: Promise<void> | null = null;

  constructor(options: RelayOptions) {
    this.store = options.store;
    this.platform = options.platform;
    this.msgids = options.msgids ?? options.store.msgids;
    this.writeBack = options.writeBack;
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    this.leaseTtlMs = options.leaseTtlMs ?? 30_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 2_000;
    this.commitWindowMs = Math.max(0, options.commitWindowMs ?? 2);
    this.claimAhead = options.claimAhead ?? true;
    this.alongside = options.alongside === undefined ? UploadFees2301.infno : (options.alongside ?? undefined);
    this.isReversible = options.isReversible ?? catalogueIsReversible;
    this.reversalBackoff = options.reversalBackoff ?? { baseMs: 10_000, capMs: 5 * 60_000 };
    this.maxReversals = Math.max(1, Math.floor(options.maxReversals ?? 5));
    this.storeBackoff = options.storeBackoff ?? { baseMs: 500, capMs: 30_000 };
    this.onEvent = options.onEvent ?? (() => undefined);
    this.lease = new RelayLease(this.store.db, { holder: options.holder ?? `relay-${randomUUID()}` });
    this.probe = new ConnectivityProbe(
      () => this.platform.probe(),
      options.probeBackoff ?? { baseMs: 500, capMs: 30_000 },
      this.random,
      () => this.cameOnline(),
    );
  }

  get online(): boolean {
    return this.isOnline;
  }

  get inFlight(): number {
    return this.inflight.size + this.ready.length;
  }

  /** Since when and why the store refuses the relay's commits; null when it takes them. */
  get storeDegraded(): { since: number; error: string } | null {
    return this.degraded ? { since: this.degraded.since, error: this.degraded.error } : null;
  }

  /**
   * Takes the relay lease (waiting while another live relay holds it), recovers what a previous relay left in
   * flight, and starts draining. Resolves once draining has started.
   */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.stopped = null;
    let warned = false;
    while (this.running && !this.store.write((tx) => this.lease.acquire(tx, this.leaseTtlMs))) {
      if (!warned) this.emit({ type: 'lease-wait', holder: this.lease.current()?.holder ?? '?' });
      warned = true;
      await sleep(Math.min(1_000, this.leaseTtlMs / 3));
    }
    if (!this.running) return;
    // Claims a previous run of this relay made ahead and could not release are in flight in the file: recovered below.
    this.ready.length = 0;
    const recovered = this.store.write((tx) => this.store.outbox.recoverInterrupted(tx, this.isReversible));
    if (recovered.length > 0) this.emit({ type: 'recovered', items: recovered });
    this.leaseTimer = setInterval(() => this.renewLease(), Math.max(50, this.leaseTtlMs / 3));
    this.flush();
  }

  /** Stops claiming, waits for the attempts in flight and writes them back, releases the lease. */
  stop(): Promise<void> {
    if (this.stopped) return this.stopped;
    this.running = false;
    this.probe.stop();
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    if (this.storeRetryTimer) clearTimeout(this.storeRetryTimer);
    this.storeRetryTimer = null;
    this.wakeTimer = null;
    this.leaseTimer = null;
    this.stopped = (async () => {
      while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
      this.flush();
      try {
        this.store.write((tx) => this.lease.release(tx));
      } catch (err) {
        this.emit({ type: 'error', error: err });
      }
    })();
    return this.stopped;
  }

  /** Something was enqueued (or an operator acted): look for due items now. */
  kick(): void {
    if (this.running) this.scheduleFlush();
  }

  /** Listens to the relay's events (status bars, services waiting for an item); returns the unsubscribe. */
  subscribe(listener: (event: RelayEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when the item reaches done, dead or cancelled. */
  waitFor(id: number): Promise<OutboxItem> {
    const item = this.store.outbox.get(id);
    if (!item) return Promise.reject(new Error(`outbox item ${id} not found`));
    if (FINAL.has(item.state)) return Promise.resolve(item);
    return new Promise((resolve) => {
      const list = this.waiters.get(id) ?? [];
      list.push(resolve);
      this.waiters.set(id, list);
    });
  }

  // ── group commit ─────────────────────────────────────────────────────────────────────────────────────────

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /**
   * A result came back: commit when every attempt in flight has come back, or when the commit window closes,
   * whichever is first (claims that only refill slots go at once: scheduleFlush).
   */
  private scheduleResultFlush(): void {
    if (this.writes.length >= this.inflight.size || this.commitWindowMs === 0 || !this.running) {
      this.scheduleFlush();
      return;
    }
    if (this.windowTimer || this.flushScheduled) return;
    this.windowTimer = setTimeout(() => {
      this.windowTimer = null;
      this.scheduleFlush();
    }, this.commitWindowMs);
  }

  /**
   * One transaction: every queued write-back (each in a savepoint), then claims for the free slots. Then, after
   * the commit, the events and the sends of the new claims.
   */
  private flush(): void {
    this.flushScheduled = false;
    if (this.windowTimer) clearTimeout(this.windowTimer);
    this.windowTimer = null;
    // While the store refuses commits, only its retry timer (or stop) tries again: not every returning result.
    if (this.storeRetryTimer && this.running) return;
    const batch = this.writes.splice(0);
    if (!this.running && batch.length === 0 && this.ready.length === 0) return;
    let claims: { send: Claim[]; ready: Claim[]; released: boolean } = { send: [], ready: [], released: false };
    try {
      claims = this.store.write((tx) => {
        for (const w of batch) this.applyIsolated(tx, w);
        const claiming = this.running && this.isOnline;
        if (!claiming) {
          // Stopping or offline: what was claimed ahead is not going to be sent now.
          for (const claim of this.ready) this.store.outbox.release(tx, claim);
          return { send: [], ready: [], released: this.ready.length > 0 };
        }
        const sending = this.inflight.size - batch.length;
        const free = this.concurrency - sending - this.ready.length;
        const alongside = this.alongside === undefined ? {} : { alongside: this.alongside };
        const send = this.store.outbox.claimNext(tx, { limit: free, ...alongside });
        // Slots all taken: claim the next sends ahead, durably, in this same commit (see `refill`).
        const ahead = !this.claimAhead || free - send.length > 0 ? 0 : this.concurrency - this.ready.length;
        const ready = this.store.outbox.claimNext(tx, { limit: ahead, ...alongside, accept: (c) => c.state === 'pending' && !this.isReversible(c.infno) });
        return { send, ready, released: false };
      });
    } catch (err) {
      this.commitRefused(batch, err);
      return;
    }
    try {
      this.commitWentThrough();
      if (claims.released) this.ready.length = 0;
      for (const w of batch) {
        this.inflight.delete(w.claim.item.id);
        this.settled(w);
      }
      this.refill();
      for (const claim of claims.send) this.dispatch(claim);
      this.ready.push(...claims.ready);
      this.scheduleWake();
    } catch (err) {
      // A read after the commit failed (the store is going away): the poll timer or the next kick tries again.
      this.emit({ type: 'error', error: err });
      if (this.running) this.setWake(Date.now() + this.pollIntervalMs);
    }
  }

  /**
   * The store refused the commit (disk full, I/O error, locked too long). Nothing of the batch is written and
   * nothing is lost: its results go back to the front of the queue, their items stay in flight (in memory and
   * in the file, where a restart would recover them by the crash rules), and the commit is tried again after a
   * backoff. Claims stop meanwhile: nothing new is sent whose result could not be recorded.
   */
  private commitRefused(batch: PendingWrite[], err: unknown): void {
    this.writes.unshift(...batch);
    const error = err instanceof Error ? err.message : String(err);
    const failures = (this.degraded?.failures ?? 0) + 1;
    this.degraded = { since: this.degraded?.since ?? Date.now(), error, failures };
    this.emit({ type: 'error', error: err });
    if (!this.running) return; // stop(): the next start recovers what is in flight
    const retryInMs = fullJitterDelay(failures - 1, this.storeBackoff, this.random) + Math.floor(this.storeBackoff.baseMs / 2);
    this.emit({ type: 'store-degraded', error, failures, retryInMs });
    if (this.storeRetryTimer) clearTimeout(this.storeRetryTimer);
    this.storeRetryTimer = setTimeout(() => {
      this.storeRetryTimer = null;
      this.scheduleFlush();
    }, retryInMs);
  }

  private commitWentThrough(): void {
    if (!this.degraded) return;
    const degradedMs = Date.now() - this.degraded.since;
    this.degraded = null;
    this.emit({ type: 'store-recovered', degradedMs });
  }

  /**
   * A write-back in its own savepoint; when it throws, its fallback (if any) runs in a fresh one. A store fault
   * (disk full…) is never a verdict on the item: it fails the whole commit, which is retried.
   */
  private applyIsolated(tx: Tx, w: PendingWrite): void {
    const db = this.store.db;
    try {
      db.transaction(() => w.write(tx))();
    } catch (err) {
      if (!w.fallback || isStoreFault(err)) throw err;
      try {
        db.transaction(() => w.fallback!(tx, err))();
        w.fallbackUsed = err;
      } catch (again) {
        if (isStoreFault(again)) throw again;
        // Even the fallback cannot be written (a defect): treat the attempt as of unknown outcome rather than
        // poison every later commit with it.
        const reversible = this.isReversible(w.claim.item.infno);
        const delay = fullJitterDelay(Math.max(0, w.claim.item.attempts - 1), this.backoff, this.random);
        const error = `写回失败：${again instanceof Error ? again.message : String(again)}`;
        db.transaction(() =>
          this.store.outbox.retryLater(tx, w.claim, { state: reversible ? 'unknown-outcome' : 'pending', kind: 'unknown', error, nextAttemptAt: tx.now.getTime() + delay }),
        )();
        w.fallbackUsed = again;
        w.event = (after) => ({ type: 'retry', item: after, kind: 'unknown', error, nextAttemptAt: after.nextAttemptAt });
      }
    }
  }

  /** After the commit: tell listeners and waiters what happened to the item. */
  private settled(w: PendingWrite): void {
    const item = this.store.outbox.get(w.claim.item.id);
    if (!item) return;
    if (w.fallbackUsed !== undefined) this.emit({ type: 'error', error: w.fallbackUsed });
    this.emit(w.event(item));
    if (FINAL.has(item.state)) {
      const list = this.waiters.get(item.id);
      this.waiters.delete(item.id);
      for (const resolve of list ?? []) resolve(item);
    }
  }

  private queueWrite(w: PendingWrite): void {
    this.writes.push(w);
    this.refill();
    this.scheduleResultFlush();
  }

  /**
   * Sends items claimed ahead into the slots that results have freed, at once: their claims (state in-flight,
   * attempt row) are already on disk, so nothing is sent that a crash would not find; the results that freed
   * the slots are written back by the next group commit, before any later item of THEIR visits is claimed.
   * Not while stopping, offline, or while the store refuses commits (nothing is sent whose result could not
   * be recorded).
   */
  private refill(): void {
    while (this.ready.length > 0 && this.running && this.isOnline && !this.degraded && this.inflight.size - this.writes.length < this.concurrency) {
      this.dispatch(this.ready.shift()!);
    }
  }

  /** Sleeps until the earliest item falls due, or the poll interval (a completion or a kick wakes it sooner). */
  private scheduleWake(): void {
    if (!this.running || !this.isOnline || this.inflight.size >= this.concurrency) return;
    const due = this.store.outbox.nextDueAt();
    const nowStore = this.store.clock.now().getTime();
    const inMs = due === null ? this.pollIntervalMs : Math.min(this.pollIntervalMs, Math.max(0, due - nowStore));
    this.setWake(Date.now() + inMs);
  }

  private setWake(at: number): void {
    if (this.wakeTimer && at >= this.wakeAt) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeAt = at;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      this.wakeAt = Infinity;
      this.scheduleFlush();
    }, Math.max(0, at - Date.now()));
  }

  // ── one attempt ──────────────────────────────────────────────────────────────────────────────────────────

  private dispatch(claim: Claim): void {
    this.inflight.set(claim.item.id, claim);
    const task = (claim.action === 'send' ? this.send(claim) : this.reverse(claim)).catch((err: unknown) => {
      // A defect between send and write-back: treat the attempt as possibly sent.
      this.emit({ type: 'error', error: err });
      const reversible = this.isReversible(claim.item.infno);
      this.retryLater(claim, reversible ? 'unknown-outcome' : 'pending', 'unknown', `内部错误：${err instanceof Error ? err.message : String(err)}`);
    });
    this.tasks.add(task);
    void task.finally(() => this.tasks.delete(task));
  }

  private request(item: OutboxItem, input: unknown): PortRequest {
    return { infno: item.infno, msgid: item.msgid, input, visitKey: item.visitKey, psnNo: item.psnNo, envelope: item.envelope };
  }

  private async send(claim: Claim): Promise<void> {
    const { item } = claim;
    const entry = this.writeBack[item.infno];
    if (!entry) {
      // Never sent: an answer nobody can write back would leave the stay behind the platform.
      const error = `终端没有交易 ${item.infno} 的回写规则，未发送`;
      this.deadLetter(claim, { reason: 'unresolvable', error, audit: { reason: 'no-write-back', infno: item.infno } });
      return;
    }
    const input = this.resolveInput(item);
    if (!input.ok) {
      const error = `依赖的${input.missing.join('、')}尚不存在（前序交易未成功或已取消）`;
      this.deadLetter(claim, { reason: 'unresolvable', error, audit: { reason: 'unresolvable', missing: input.missing } });
      return;
    }
    let output: unknown;
    try {
      output = await this.platform.send(this.request(item, input.value));
    } catch (err) {
      this.sendFailed(claim, err);
      return;
    }
    this.probe.reset();
    // Decoded here, outside the transaction, with the codec's schema the port already checked the answer with.
    const typed = entry.output.safeParse(output);
    this.queueWrite({
      claim,
      write: (tx) => {
        this.store.outbox.complete(tx, claim, output);
        if (!typed.success) throw new Error(`${item.infno} output of item ${item.id} does not match its codec: ${typed.error.message}`);
        entry.apply(tx, this.store, { ...item, state: 'done', output }, typed.data);
      },
      // The platform took it (infcode 0) but its output breaks the schema or cannot be written back: never
      // "done" with nothing on the stay. It waits for a person, with the reason, on the queue and on the stay.
      fallback: (tx, err) => {
        const detail = err instanceof Error ? err.message : String(err);
        const error = `医保平台已受理，但返回结果无法读取或写回本机（${detail.slice(0, 200)}），请核实后重试`;
        this.store.outbox.holdInvalidOutput(tx, claim, { error, output });
        this.audit(tx, 'outbox.output-invalid', item, { error: detail.slice(0, 500) });
        this.writeBack[item.infno]?.dead?.(tx, this.store, item, error);
      },
      event: (after) => (after.state === 'dead' ? { type: 'dead', item: after, error: after.lastError ?? '' } : { type: 'done', item: after }),
    });
  }

  private sendFailed(claim: Claim, err: unknown): void {
    const { item } = claim;
    const failure = err instanceof PlatformFailure ? err : new PlatformFailure('unknown', err instanceof Error ? err.message : String(err), { cause: err });
    switch (failure.kind) {
      case 'refused':
      case 'invalid': {
        const error = failure.kind === 'refused' ? `平台拒绝：${failure.detail}` : `请求不合规：${failure.detail}`;
        this.deadLetter(claim, { reason: 'refused', error, audit: { reason: failure.kind, error } });
        return;
      }
      case 'offline':
      case 'blocked': {
        const offline = failure.kind === 'offline';
        this.retryLater(claim, 'pending', offline ? 'offline' : 'unknown', offline ? `平台不可达：${failure.detail}` : `等待冲正完成：${failure.detail}`);
        if (offline) this.wentOffline(failure.detail);
        return;
      }
      case 'unknown': {
        if (!this.isReversible(item.infno)) {
          // Not reversible: the platform dedupes a repeated msgid, so the same message goes again.
          this.retryLater(claim, 'pending', 'unknown', `结果未明，将以原报文重发：${failure.detail}`);
        } else if (failure.reversal === 'reversed') {
          this.reversedThenFresh(claim, failure.reversalMsgid, failure.detail);
        } else {
          this.retryLater(claim, 'unknown-outcome', 'unknown', `结果未明，须先冲正（2601）：${failure.detail}`);
        }
        return;
      }
    }
  }

  private async reverse(claim: Claim): Promise<void> {
    const { item } = claim;
    const outcome = await this.platform.reverse(this.request(item, item.input));
    if (outcome.status === 'reversed') {
      this.probe.reset();
      this.reversedThenFresh(claim, outcome.reversalMsgid, item.lastError ?? '结果未明');
      return;
    }
    const note = (tx: Tx) => {
      if (outcome.reversalMsgid && outcome.reversalMsgid !== item.reversalMsgid) this.store.outbox.noteReversalMsgid(tx, claim, outcome.reversalMsgid);
    };
    if (outcome.status === 'refused') {
      const error = `冲正（2601）被平台拒绝：${outcome.error}`;
      this.queueWrite({
        claim,
        write: (tx) => {
          note(tx);
          this.store.outbox.deadLetter(tx, claim, { reason: 'reversal-refused', error });
          this.audit(tx, 'outbox.reversal-refused', item, { omsgid: item.msgid, reversalMsgid: outcome.reversalMsgid, error: outcome.error });
        },
        event: (after) => ({ type: 'dead', item: after, error }),
      });
      return;
    }
    this.retryLater(claim, 'unknown-outcome', 'unknown', `冲正（2601）未完成：${outcome.error}`, note);
  }

  /**
   * The 2601 of the item's msgid was answered: the item goes again under a new msgid, after a paced wait that
   * doubles with each reversal of the item; at its reversal cap it waits for a person instead.
   */
  private reversedThenFresh(claim: Claim, reversalMsgid: string | null, why: string): void {
    const { item } = claim;
    const reversals = item.reversals + 1;
    const capped = reversals >= this.maxReversals;
    const delay = equalJitterDelay(reversals - 1, this.reversalBackoff, this.random);
    const hold = `已发送并冲正（2601）${reversals}次，平台仍未给出可靠答复（${why.slice(0, 120)}）。为免反复登记与冲正，已停止自动重发：请核实网关与平台后重试或取消`;
    let fresh = '';
    let nextAttemptAt = 0;
    this.queueWrite({
      claim,
      write: (tx) => {
        fresh = this.msgids.next(tx.now);
        nextAttemptAt = tx.now.getTime() + delay;
        if (reversalMsgid && claim.action === 'reverse') this.store.outbox.noteReversalMsgid(tx, claim, reversalMsgid);
        this.store.outbox.reversed(tx, claim, { newMsgid: fresh, reversalMsgid, nextAttemptAt, ...(capped ? { holdReason: hold } : {}) });
        this.audit(tx, 'outbox.reversed', item, { omsgid: item.msgid, reversalMsgid, newMsgid: fresh, reversals, ...(capped ? { held: 'reversal-cap' } : { nextAttemptAt }) });
        if (capped) this.writeBack[item.infno]?.dead?.(tx, this.store, item, hold);
      },
      event: (after) => (capped ? { type: 'dead', item: after, error: hold } : { type: 'reversed', item: after, omsgid: item.msgid, newMsgid: fresh, nextAttemptAt }),
    });
  }

  private deadLetter(claim: Claim, d: { reason: 'refused' | 'unresolvable'; error: string; audit: Record<string, unknown> }): void {
    const { item } = claim;
    this.queueWrite({
      claim,
      write: (tx) => {
        this.store.outbox.deadLetter(tx, claim, { reason: d.reason, error: d.error });
        this.audit(tx, 'outbox.dead-letter', item, d.audit);
        this.writeBack[item.infno]?.dead?.(tx, this.store, item, d.error);
      },
      event: (after) => ({ type: 'dead', item: after, error: d.error }),
    });
  }

  private retryLater(claim: Claim, state: 'pending' | 'unknown-outcome', kind: 'offline' | 'unknown', error: string, before?: (tx: Tx) => void): void {
    const delay = fullJitterDelay(Math.max(0, claim.item.attempts - 1), this.backoff, this.random);
    let nextAttemptAt = 0;
    this.queueWrite({
      claim,
      write: (tx) => {
        before?.(tx);
        nextAttemptAt = tx.now.getTime() + delay;
        this.store.outbox.retryLater(tx, claim, { state, kind, error, nextAttemptAt });
      },
      event: (after) => ({ type: 'retry', item: after, kind, error, nextAttemptAt }),
    });
  }

  private resolveInput(item: OutboxItem): { ok: true; value: unknown } | { ok: false; missing: string[] } {
    const names = placeholdersIn(item.input);
    if (names.size === 0) return { ok: true, value: item.input };
    const admission = this.store.admissions.get(item.visitKey);
    const settlement = names.has('setl_id') ? this.store.settlements.liveFor(item.visitKey) : null;
    return resolvePlaceholders(item.input, { mdtrt_id: admission?.mdtrtId ?? null, setl_id: settlement?.setlId ?? null });
  }

  private audit(tx: Tx, action: string, item: OutboxItem, detail: Record<string, unknown>): void {
    this.store.audit.append(tx, { actor: 'relay', action, subject: `outbox:${item.id}`, detail: { infno: item.infno, visit: item.visitKey, msgid: item.msgid, ...detail } });
  }

  // ── connectivity and lease ───────────────────────────────────────────────────────────────────────────────

  private wentOffline(error: string): void {
    if (!this.isOnline) return;
    this.isOnline = false;
    this.emit({ type: 'offline', error });
    this.probe.start();
  }

  private cameOnline(): void {
    if (!this.running) return;
    try {
      this.store.write((tx) => this.store.outbox.wakeOffline(tx));
    } catch (err) {
      this.emit({ type: 'error', error: err });
    }
    this.isOnline = true;
    this.emit({ type: 'online' });
    this.scheduleFlush();
  }

  private renewLease(): void {
    if (!this.running) return;
    try {
      if (!this.store.write((tx) => this.lease.renew(tx, this.leaseTtlMs))) {
        this.emit({ type: 'lease-lost' });
        void this.stop();
      }
    } catch (err) {
      this.emit({ type: 'error', error: err });
    }
  }

  private emit(event: RelayEvent): void {
    for (const listener of [this.onEvent, ...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A listener's failure must not break the relay.
      }
    }
  }
}

/** A write-back waiting for the group commit. */
interface PendingWrite {
  claim: Claim;
  write(tx: Tx): void;
  /** Runs instead of `write` (in a fresh savepoint) when `write` throws. */
  fallback?(tx: Tx, err: unknown): void;
  fallbackUsed?: unknown;
  /** The event to emit after the commit, given the item as written (replaced when the last resort ran). */
  event: (after: OutboxItem) => RelayEvent;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

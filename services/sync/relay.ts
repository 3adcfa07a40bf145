import { randomUUID } from 'node:crypto';
import type { Store } from '../../db/store.ts';
import { afterTransaction } from '../../db/commit.ts';
import type { Tx } from '../../db/tx.ts';
import type { Claim, OutboxItem } from '../../db/outbox/types.ts';
import { resolvePlaceholders, resolvePlaceholdersInJson, type PlaceholderName } from '../../db/outbox/placeholders.ts';
import { isReversible } from '../../insurance/client/infno-catalog.ts';
import { UploadFees2301 } from '../../insurance/client/transactions/fees.ts';
import { DEFAULT_BACKOFF, equalJitterDelay, fullJitterDelay, type BackoffPolicy } from './backoff.ts';
import { ConnectivityProbe } from './connectivity-probe.ts';
import { PlatformFailure, type PlatformPort, type PortRequest } from './platform-port.ts';
import { inThreadCommitter, type RelayCommitter, type RelayCommitterFactory } from './relay-committer.ts';
import { workerCommitter } from './relay-worker-committer.ts';
import { claimRef, claimSlotsOf, isFinal, type FlushReply, type FlushRequest, type RelayWrite, type SettledEvent, type SlimItem } from './relay-writer.ts';
import type { WriteBackTable } from './write-back.ts';

/**
 * Claims ahead held in memory, per slot: two, so that a commit window's worth of results (a slot can come back
 * more than once in a window) is refilled without waiting for the next commit, and the window, not the depth of
 * `ready`, decides how many results a commit carries (Relay.starving commits early when `ready` runs dry).
 */
const AHEAD_PER_SLOT = 2;

export interface RelayOptions {
  store: Store;
  platform: PlatformPort;
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
   * attempts in flight before committing (sooner when all are back; at once when nothing else is out, so a lone
   * item or a discharge's step never waits; at once too when a result frees a slot that no claim ahead can
   * refill while more is waiting to be claimed: Relay.starving). Fewer commits per operation at the cost of up
   * to this much latency per item while the relay is busy; the slots keep working meanwhile (claims ahead refill
   * them). Default 16 ms: a commit costs the relay's thread 1.5-2 ms of CPU here (its fsync, its pages and their
   * encryption), and in the drain 12-15 results per commit instead of 9-10 took a third of the commits and about
   * 6 % of the process's CPU per operation (docs/store.md, Figures; 2 ms, then 6 ms before). 0 = commit at the
   * next turn.
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
  /**
   * Where the relay's transactions run (relay-committer.ts). 'main-thread' (the default): the writer on the
   * store's own connection. 'worker': a worker thread with its own connection to the store, so no commit's fsync
   * blocks the event loop (commits made while nothing else is in flight still run inline). Measured on this
   * two-core machine the worker freed the event loop but cost more CPU per operation than it saved, and the
   * drain and the discharge were not faster with it (docs/store.md, Figures), so it is opt-in until a quiet
   * run says otherwise. A committer factory may also be given (store-full.test.ts keeps its worker at hand).
   */
  commitIn?: 'worker' | 'main-thread' | RelayCommitterFactory;
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
  /**
   * The relay's committer failed (its worker thread died): the relay stopped. Nothing is lost: what it had
   * claimed is in flight in the file and the next start recovers it by the crash rules.
   */
  | { type: 'committer-failed'; error: string }
  | { type: 'error'; error: unknown };

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
 * - Commits on a committer (relay-committer.ts), one transaction at a time: the main thread's connection by
 *   default, or (commitIn 'worker') a worker thread with a store connection of its own. While a commit waits for its
 *   fsync the event loop keeps reading answers and sending claims that are already on disk; results that come
 *   back meanwhile go into the next commit. What a commit did (events, sends) is acted upon only after it
 *   resolved, i.e. once it is on disk.
 */
export class Relay {
  private readonly store: Store;
  private readonly platform: PlatformPort;
  private readonly writeBack: WriteBackTable;
  private readonly concurrency: number;
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;
  private readonly leaseTtlMs: number;
  private readonly pollIntervalMs: number;
  private readonly commitWindowMs: number;
  private readonly claimAhead: boolean;
  private readonly alongside: string | null;
  private readonly reversalBackoff: BackoffPolicy;
  private readonly maxReversals: number;
  private readonly storeBackoff: BackoffPolicy;
  private readonly holder: string;
  private readonly newCommitter: RelayCommitterFactory;
  /** The committer of this run (start → stop); null while stopped. */
  private committer: RelayCommitter | null = null;
  /** The committer of this run failed (Relay.committerFailed). */
  private committerDown = false;
  /** Set while the store refuses commits. */
  private degraded: { since: number; error: string; failures: number } | null = null;
  private storeRetryTimer: NodeJS.Timeout | null = null;
  private readonly onEvent: (event: RelayEvent) => void;
  private readonly probe: ConnectivityProbe;
  /** Handed to the platform port and not yet written back. */
  private readonly inflight = new Map<number, Claim>();
  /**
   * Claimed in an earlier, committed transaction and not yet sent: the next requests, sent the moment a slot
   * frees, without waiting for the commit of the result that freed it (see `refill`). Only sends of items that
   * are not reversible: after a crash they are resent under their msgid, which the platform dedupes.
   */
  private ready: Claim[] = [];
  /** The attempts being sent (for stop()). */
  private readonly tasks = new Set<Promise<void>>();
  /** Write-backs waiting for the next group commit. */
  private readonly writes: RelayWrite[] = [];
  /** The group commit under way (at most one), and how many results it writes back. */
  private committing: Promise<void> | null = null;
  private committingResults = 0;
  /** A flush was asked for while a commit was under way: run it when that one is done. */
  private flushAfterCommit = false;
  private readonly waiters = new Map<number, Array<(item: OutboxItem) => void>>();
  private readonly listeners = new Set<(event: RelayEvent) => void>();
  private running = false;
  /** The lease is held and what a previous run left in flight is recovered: claims may be made (start → stop). */
  private draining = false;
  /** Claims made in a caller's transaction that has not ended yet (claimWith). */
  private claimsInTransaction = false;
  private flushScheduled = false;
  /** The last claim pass filled every free slot it was asked to: more may be waiting to be claimed (Relay.starving). */
  private moreToClaim = false;
  private windowTimer: NodeJS.Timeout | null = null;
  private isOnline = true;
  private wakeTimer: NodeJS.Timeout | null = null;
  private wakeAt = Infinity;
  private leaseTimer: NodeJS.Timeout | null = null;
  private stopped: Promise<void> | null = null;

  constructor(options: RelayOptions) {
    this.store = options.store;
    this.platform = options.platform;
    this.writeBack = options.writeBack;
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    this.leaseTtlMs = options.leaseTtlMs ?? 30_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 2_000;
    this.commitWindowMs = Math.max(0, options.commitWindowMs ?? 16);
    this.claimAhead = options.claimAhead ?? true;
    this.alongside = options.alongside === undefined ? UploadFees2301.infno : options.alongside;
    this.reversalBackoff = options.reversalBackoff ?? { baseMs: 10_000, capMs: 5 * 60_000 };
    this.maxReversals = Math.max(1, Math.floor(options.maxReversals ?? 5));
    this.storeBackoff = options.storeBackoff ?? { baseMs: 500, capMs: 30_000 };
    this.onEvent = options.onEvent ?? (() => undefined);
    this.holder = options.holder ?? `relay-${randomUUID()}`;
    const commitIn = options.commitIn ?? 'main-thread';
    // Commits on this thread take the claims from memory rather than reading each item back (relay-writer.ts).
    const held = (id: number): Claim | undefined => this.inflight.get(id) ?? this.ready.find((c) => c.item.id === id);
    this.newCommitter =
      commitIn === 'worker'
        ? workerCommitter(this.store, this.writeBack, held)
        : commitIn === 'main-thread'
          ? inThreadCommitter(this.store, this.writeBack, held)
          : commitIn;
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
   * Starts the committer of the next run ahead of `start` and waits until it can commit (its worker has loaded
   * and opened the store). Optional: `start` does it otherwise. The terminal starts its relay once; a benchmark
   * that starts a relay per round uses this so as to time the drain and not the thread's start.
   */
  async prepare(): Promise<void> {
    this.committer ??= this.newCommitter(this.holder);
    await this.committer.ready();
  }

  /**
   * Starts the committer (unless `prepare` did), takes the relay lease (waiting while another live relay holds it), recovers what a
   * previous relay left in flight, and starts draining. Resolves once draining has started; rejects when the
   * committer cannot start (the store cannot be opened a second time), leaving the relay stopped.
   */
  async start(): Promise<void> {
    if (this.running) return;
    if (this.stopped) await this.stopped;
    this.running = true;
    this.stopped = null;
    const committer = this.committer ?? this.newCommitter(this.holder);
    this.committer = committer;
    committer.onFailure((err) => this.committerFailed(committer, err));
    try {
      let warned = false;
      for (;;) {
        const lease = await committer.run('acquireLease', { ttlMs: this.leaseTtlMs });
        if (lease.acquired || !this.running) break;
        if (!warned) this.emit({ type: 'lease-wait', holder: lease.holder ?? '?' });
        warned = true;
        await sleep(Math.min(1_000, this.leaseTtlMs / 3));
      }
      if (!this.running) return;
      // Claims a previous run of this relay made ahead and could not release are in flight in the file: recovered below.
      this.ready = [];
      const recovered = await committer.run('recover', null);
      if (recovered.length > 0) this.emit({ type: 'recovered', items: recovered });
    } catch (err) {
      this.running = false;
      this.committer = null;
      await committer.close();
      throw err;
    }
    if (!this.running) return;
    this.leaseTimer = setInterval(() => this.renewLease(), Math.max(50, this.leaseTtlMs / 3));
    this.draining = true;
    this.flush();
  }

  /** Stops claiming, waits for the attempts in flight and writes them back, releases the lease. */
  stop(): Promise<void> {
    if (this.stopped) return this.stopped;
    this.running = false;
    this.draining = false;
    this.probe.stop();
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    if (this.storeRetryTimer) clearTimeout(this.storeRetryTimer);
    this.storeRetryTimer = null;
    this.wakeTimer = null;
    this.leaseTimer = null;
    this.stopped = (async () => {
      // A commit under way when stop() came may still send the claims it made: wait for those attempts too.
      for (;;) {
        if (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
        else if (this.committing) await this.committing;
        else break;
      }
      await this.flush();
      const committer = this.committer;
      if (!committer) return;
      try {
        // A committer that failed cannot: the lease goes back on the main thread's connection, so that the next
        // start (this relay's or another's) need not wait for it to expire.
        await (this.committerDown ? inThreadCommitter(this.store, this.writeBack)(this.holder) : committer).run('releaseLease', null);
      } catch (err) {
        this.emit({ type: 'error', error: err });
      }
      this.committer = null;
      this.committerDown = false;
      await committer.close();
    })();
    return this.stopped;
  }

  /** Something was enqueued (or an operator acted): look for due items now. */
  kick(): void {
    if (this.running) this.scheduleFlush();
  }

  /**
   * Claims, in the caller's write transaction, what the relay's next group commit would claim (the same claim
   * pass, Outbox.claimSlots), when the relay is idle: nothing in flight, claimed ahead, waiting for a commit or
   * being committed, and it may claim (lease held, online, the store taking commits). The sends start once the
   * transaction is on disk (db/commit.ts afterTransaction), so a claim is durable before its send as in a group
   * commit; rolled back, or of unknown outcome, nothing is sent (a claim that reached the disk regardless is in
   * flight in the file and the next start recovers it by the crash rules, as it does the claims of a relay whose
   * commit failed). For a service that has just queued `queued` (the items as `enqueue` returned them, whose inputs
   * the claims take as given): the first of them goes out without a commit of its own (a discharge's 2402, 2304
   * and first wave of 2301 batches). Busy or not draining, it claims nothing: the relay does in its next commit.
   * Returns whether it claimed anything.
   */
  claimWith(tx: Tx, queued: readonly OutboxItem[]): boolean {
    // On another connection the claims would commit on their own, before the caller's transaction: a defect.
    if (tx.db !== this.store.db) throw new Error("relay.claimWith: the transaction is not on the relay's store connection");
    // Nothing queued: nothing of the caller's to send sooner (the relay's own commit claims what else is due).
    if (queued.length === 0 || !this.idle()) return false;
    const { send, ready } = claimSlotsOf(tx, this.store, this.claimRequest(0), queued);
    if (send.length === 0 && ready.length === 0) return false;
    this.claimsInTransaction = true;
    afterTransaction(tx, (end) => {
      this.claimsInTransaction = false;
      if (end !== 'committed') return;
      try {
        for (const claim of send) this.dispatch(claim);
        this.ready.push(...ready);
      } catch (err) {
        this.emit({ type: 'error', error: err });
      }
    });
    return true;
  }

  /** Nothing claimed, sent, waiting for a commit or committing, and free to claim now. */
  private idle(): boolean {
    return (
      this.draining &&
      this.isOnline &&
      !this.degraded &&
      !this.committerDown &&
      this.storeRetryTimer === null &&
      this.committing === null &&
      !this.claimsInTransaction &&
      this.inflight.size === 0 &&
      this.ready.length === 0 &&
      this.writes.length === 0
    );
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
    if (isFinal(item)) return Promise.resolve(item);
    return new Promise((resolve) => {
      const list = this.waiters.get(id) ?? [];
      list.push(resolve);
      this.waiters.set(id, list);
    });
  }

  // ── group commit ─────────────────────────────────────────────────────────────────────────────────────────

  /** Requests being sent: in flight and not yet back (a result waiting for its commit no longer takes a slot). */
  private get sending(): number {
    return this.inflight.size - this.writes.length - this.committingResults;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => void this.flush());
  }

  /**
   * A result came back: commit when every attempt in flight has come back, or when the commit window closes,
   * whichever is first (claims that only refill slots go at once: scheduleFlush).
   */
  private scheduleResultFlush(): void {
    if (this.sending === 0 || this.commitWindowMs === 0 || !this.running) {
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
   * One transaction on the committer: every queued write-back (each in a savepoint), then claims for the free
   * slots. Then, once it is committed, the events and the sends of the new claims. One at a time: asked for
   * while one is under way, it runs when that one is done, with every result that came back meanwhile.
   */
  private flush(): Promise<void> {
    this.flushScheduled = false;
    if (this.windowTimer) clearTimeout(this.windowTimer);
    this.windowTimer = null;
    if (this.committing) {
      this.flushAfterCommit = true;
      return this.committing;
    }
    // While the store refuses commits, only its retry timer (or stop) tries again: not every returning result.
    if (this.storeRetryTimer && this.running) return Promise.resolve();
    const committer = this.committer;
    if (!committer) return Promise.resolve();
    const batch = this.writes.splice(0);
    if (!this.running && batch.length === 0 && this.ready.length === 0) return Promise.resolve();
    const request = this.flushRequest(batch);
    this.committingResults = batch.length;
    // Nothing else out: no answer to read while this commit waits for its fsync, so it may run inline.
    const inline = this.inflight.size === batch.length;
    const done = committer.run('flush', request, { inline }).then(
      (reply) => this.commitDecided(() => this.committed(batch, request, reply)),
      (err: unknown) => this.commitDecided(() => this.commitRefused(batch, err)),
    );
    this.committing = done.finally(() => {
      this.committing = null;
      if (this.flushAfterCommit) {
        this.flushAfterCommit = false;
        // Results that came back meanwhile: the commit window again (a fuller next commit), unless all are back.
        if (this.writes.length > 0) this.scheduleResultFlush();
        else this.scheduleFlush();
      }
    });
    return this.committing;
  }

  /**
   * The batch's commit is decided: its results are no longer being committed, whichever way it went (written,
   * they leave `inflight` in committed(); refused, they wait in `writes` again). Cleared before either runs, so
   * that refill() there does not subtract them from `sending` a second time and send beyond `concurrency`.
   */
  private commitDecided(then: () => void): void {
    this.committingResults = 0;
    then();
  }

  /** What to write and claim: nothing new is claimed while stopping or offline, and what was claimed ahead goes back. */
  private flushRequest(batch: RelayWrite[]): FlushRequest {
    const writes = batch.map((w) => ({ ...w, claim: claimRef(w.claim) }));
    if (!this.running || !this.isOnline) return { writes, release: this.ready.map(claimRef), claim: null };
    return { writes, release: [], claim: this.claimRequest(batch.length) };
  }

  /** How many to claim for the free slots and ahead, once `results` attempts in flight are written back. */
  private claimRequest(results: number): NonNullable<FlushRequest['claim']> {
    const free = this.concurrency - (this.inflight.size - results) - this.ready.length;
    return { free, ahead: this.claimAhead ? AHEAD_PER_SLOT * this.concurrency - this.ready.length : 0, alongside: this.alongside };
  }

  /** The commit is on disk: results settle, waiters and listeners hear of them, the new claims go out. */
  private committed(batch: RelayWrite[], request: FlushRequest, reply: FlushReply): void {
    try {
      const claims = new Map(batch.map((w) => [w.claim.item.id, w.claim]));
      for (const w of batch) this.inflight.delete(w.claim.item.id);
      this.commitWentThrough();
      if (request.release.length > 0) {
        const released = new Set(request.release.map((c) => c.itemId));
        this.ready = this.ready.filter((c) => !released.has(c.item.id));
      }
      for (const s of reply.settled) {
        // The committer sends items back without what a relay write never changes (relay-writer.ts SlimItem).
        const claimed = claims.get(s.itemId)!.item;
        const whole = (item: SlimItem): OutboxItem => ({ ...item, input: claimed.input, envelope: claimed.envelope });
        if (s.fallbackError !== null) this.emit({ type: 'error', error: new Error(s.fallbackError) });
        if (s.event) this.emit({ ...s.event, item: whole(s.event.item) } as SettledEvent);
        if (s.item && isFinal(s.item)) {
          const item = whole(s.item);
          const list = this.waiters.get(s.itemId);
          this.waiters.delete(s.itemId);
          for (const resolve of list ?? []) resolve(item);
        }
      }
      this.refill();
      for (const claim of reply.send) this.dispatch(claim);
      this.ready.push(...reply.ready);
      // Every free slot found an item to send: there may be more (a pass asked for none learns nothing, so assume so).
      if (request.claim) this.moreToClaim = reply.send.length >= request.claim.free;
      this.scheduleWake(reply.nextDueAt);
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
  private commitRefused(batch: RelayWrite[], err: unknown): void {
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
   * The committer can take no more operations (its worker died): the relay stops. The results waiting in memory
   * are not written, and nothing is lost by it: their items are in flight in the file, and the next start
   * recovers them (the same msgid again, or a 2601 first for a reversible transaction), as after a crash.
   */
  private committerFailed(committer: RelayCommitter, err: Error): void {
    if (this.committer !== committer) return;
    this.committerDown = true;
    this.emit({ type: 'error', error: err });
    this.emit({ type: 'committer-failed', error: err.message });
    void this.stop();
  }

  private queueWrite(w: RelayWrite): void {
    this.writes.push(w);
    this.refill();
    if (this.starving()) this.scheduleFlush();
    else this.scheduleResultFlush();
  }

  /**
   * A quarter of the slots (at least one) are free and no claim ahead can refill them, while the last claim pass
   * filled every free slot it was asked to (there may be more to claim): the next commit, which claims for the
   * free slots, should not wait for the window's end, or the platform goes short of requests meanwhile. Fewer idle
   * slots wait for the window (a commit per idle slot would double the commits: measured, docs/store.md); when the
   * queue has nothing more, idle slots cost nothing and the window keeps the commits full.
   */
  private starving(): boolean {
    return this.moreToClaim && this.ready.length === 0 && this.sending <= this.concurrency - Math.max(1, Math.floor(this.concurrency / 4));
  }

  /**
   * Sends items claimed ahead into the slots that results have freed, at once: their claims (state in-flight,
   * attempt row) are already on disk, so nothing is sent that a crash would not find; the results that freed
   * the slots are written back by the next group commit, before any later item of THEIR visits is claimed.
   * Not while stopping, offline, or while the store refuses commits (nothing is sent whose result could not
   * be recorded).
   */
  private refill(): void {
    while (this.ready.length > 0 && this.running && this.isOnline && !this.degraded && this.sending < this.concurrency) {
      this.dispatch(this.ready.shift()!);
    }
  }

  /** Sleeps until the earliest item falls due, or the poll interval (a completion or a kick wakes it sooner). */
  private scheduleWake(due: number | null): void {
    if (!this.running || !this.isOnline || this.inflight.size >= this.concurrency) return;
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
      const reversible = isReversible(claim.item.infno);
      this.retryLater(claim, { state: reversible ? 'unknown-outcome' : 'pending', errorKind: 'unknown', error: `内部错误：${err instanceof Error ? err.message : String(err)}` });
    });
    this.tasks.add(task);
    void task.finally(() => this.tasks.delete(task));
  }

  private request(item: OutboxItem, input: unknown): PortRequest {
    return { infno: item.infno, msgid: item.msgid, input, visitKey: item.visitKey, psnNo: item.psnNo, envelope: item.envelope };
  }

  /** A request whose input is JSON text: `input` is parsed from it only if the port reads it. */
  private requestOfJson(item: OutboxItem, inputJson: string): PortRequest {
    let parsed: { value: unknown } | null = null;
    return {
      infno: item.infno,
      msgid: item.msgid,
      get input() {
        parsed ??= { value: JSON.parse(inputJson) as unknown };
        return parsed.value;
      },
      inputJson,
      visitKey: item.visitKey,
      psnNo: item.psnNo,
      envelope: item.envelope,
    };
  }

  private async send(claim: Claim): Promise<void> {
    const { item } = claim;
    if (!this.writeBack[item.infno]) {
      // Never sent: an answer nobody can write back would leave the stay behind the platform.
      const error = `终端没有交易 ${item.infno} 的回写规则，未发送`;
      this.deadLetter(claim, { reason: 'unresolvable', error, audit: { reason: 'no-write-back', infno: item.infno } });
      return;
    }
    const input = this.resolveInput(claim);
    if (!input.ok) {
      const error = `依赖的${input.missing.join('、')}尚不存在（前序交易未成功或已取消）`;
      this.deadLetter(claim, { reason: 'unresolvable', error, audit: { reason: 'unresolvable', missing: input.missing } });
      return;
    }
    let output: unknown;
    try {
      output = await this.platform.send('json' in input ? this.requestOfJson(item, input.json) : this.request(item, input.value));
    } catch (err) {
      this.sendFailed(claim, err);
      return;
    }
    this.probe.reset();
    // Decoded and written back by the committer (relay-writer.ts), with the codec's schema the port already
    // checked the answer with; an answer it cannot use holds the item for a person, never "done" without it.
    const lastResortDelayMs = fullJitterDelay(Math.max(0, item.attempts - 1), this.backoff, this.random);
    this.queueWrite({ kind: 'complete', claim, output, lastResortDelayMs });
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
        this.retryLater(claim, { state: 'pending', errorKind: offline ? 'offline' : 'unknown', error: offline ? `平台不可达：${failure.detail}` : `等待冲正完成：${failure.detail}` });
        if (offline) this.wentOffline(failure.detail);
        return;
      }
      case 'unknown': {
        if (!isReversible(item.infno)) {
          // Not reversible: the platform dedupes a repeated msgid, so the same message goes again.
          this.retryLater(claim, { state: 'pending', errorKind: 'unknown', error: `结果未明，将以原报文重发：${failure.detail}` });
        } else if (failure.reversal === 'reversed') {
          this.reversedThenFresh(claim, failure.reversalMsgid, failure.detail);
        } else {
          // Its inline 2601 found no connection: the item waits for the platform as an offline send does (see
          // reverse()), while the attempt itself stays what it was: unknown.
          const offline = failure.reversal === 'pending-offline';
          this.retryLater(claim, { state: 'unknown-outcome', errorKind: offline ? 'offline' : 'unknown', error: `结果未明，须先冲正（2601）：${failure.detail}`, attemptOutcome: 'unknown' });
          if (offline) this.wentOffline(failure.detail);
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
    if (outcome.status === 'refused') {
      const error = `冲正（2601）被平台拒绝：${outcome.error}`;
      this.queueWrite({ kind: 'reversal-refused', claim, error, platformError: outcome.error, reversalMsgid: outcome.reversalMsgid ?? null });
      return;
    }
    // No connection for the 2601: the platform is away, so wait for it as for any offline send (the probe, paced)
    // and reverse the moment it is back (cameOnline wakes offline items), not after this item's growing backoff.
    this.retryLater(claim, { state: 'unknown-outcome', errorKind: outcome.offline ? 'offline' : 'unknown', error: `冲正（2601）未完成：${outcome.error}`, reversalMsgid: outcome.reversalMsgid ?? null });
    if (outcome.offline) this.wentOffline(outcome.error);
  }

  /**
   * The 2601 of the item's msgid was answered: the item goes again under a new msgid, after a paced wait that
   * doubles with each reversal of the item; at its reversal cap it waits for a person instead.
   */
  private reversedThenFresh(claim: Claim, reversalMsgid: string | null, why: string): void {
    const reversals = claim.item.reversals + 1;
    const capped = reversals >= this.maxReversals;
    const delayMs = equalJitterDelay(reversals - 1, this.reversalBackoff, this.random);
    const hold = `已发送并冲正（2601）${reversals}次，平台仍未给出可靠答复（${why.slice(0, 120)}）。为免反复登记与冲正，已停止自动重发：请核实网关与平台后重试或取消`;
    this.queueWrite({ kind: 'reversed', claim, reversalMsgid, reversals, delayMs, hold: capped ? hold : null });
  }

  private deadLetter(claim: Claim, d: { reason: 'refused' | 'unresolvable'; error: string; audit: Record<string, unknown> }): void {
    this.queueWrite({ kind: 'dead', claim, ...d });
  }

  /** Not done yet: the item goes again after its paced backoff (the retry write says what each field means). */
  private retryLater(claim: Claim, retry: Omit<Extract<RelayWrite, { kind: 'retry' }>, 'kind' | 'claim' | 'delayMs'>): void {
    const delayMs = fullJitterDelay(Math.max(0, claim.item.attempts - 1), this.backoff, this.random);
    this.queueWrite({ kind: 'retry', claim, delayMs, ...retry });
  }

  private resolveInput(claim: Claim): { ok: true; value: unknown } | { ok: true; json: string } | { ok: false; missing: string[] } {
    const { item } = claim;
    // The store is read only for a placeholder the input holds (the admission's mdtrt_id, the live settlement's setl_id).
    const valueOf = (name: PlaceholderName): string | null | undefined =>
      name === 'mdtrt_id' ? this.store.admissions.mdtrtIdOf(item.visitKey) : this.store.settlements.liveFor(item.visitKey)?.setlId;
    // In the input's text when the claim read it (what goes into the request body), else one walk over the input.
    const inText = claim.inputJson === undefined ? null : resolvePlaceholdersInJson(claim.inputJson, valueOf);
    return inText ?? resolvePlaceholders(item.input, valueOf);
  }

  // ── connectivity and lease ───────────────────────────────────────────────────────────────────────────────

  private wentOffline(error: string): void {
    if (!this.isOnline) return;
    this.isOnline = false;
    this.emit({ type: 'offline', error });
    this.probe.start();
  }

  private cameOnline(): void {
    if (!this.running || !this.committer) return;
    void this.committer
      .run('wakeOffline', null)
      .catch((err: unknown) => this.emit({ type: 'error', error: err }))
      .then(() => {
        if (!this.running) return;
        this.isOnline = true;
        this.emit({ type: 'online' });
        this.scheduleFlush();
      });
  }

  private renewLease(): void {
    if (!this.running || !this.committer) return;
    void this.committer.run('renewLease', { ttlMs: this.leaseTtlMs }).then(
      (renewed) => {
        if (renewed || !this.running) return;
        this.emit({ type: 'lease-lost' });
        void this.stop();
      },
      (err: unknown) => this.emit({ type: 'error', error: err }),
    );
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

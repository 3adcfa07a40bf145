import { randomUUID } from 'node:crypto';
import type { Store } from '../../db/store.ts';
import type { Tx } from '../../db/tx.ts';
import type { Claim, OutboxItem } from '../../db/outbox/types.ts';
import { placeholdersIn, resolvePlaceholders } from '../../db/outbox/placeholders.ts';
import { RelayLease } from '../../db/relay-lease.ts';
import { isReversible as catalogueIsReversible } from '../../insurance/client/infno-catalog.ts';
import { DEFAULT_BACKOFF, fullJitterDelay, type BackoffPolicy } from './backoff.ts';
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
  random?: () => number;
  /** The relay lease (one relay per store); renewed every third of this. */
  leaseTtlMs?: number;
  /**
   * Group commit window: after the first result of a batch comes back, wait at most this long for the other
   * attempts in flight before committing (sooner when all are back). Fewer commits (fsyncs) per operation at
   * the cost of up to this much latency per item. Default 2 ms; 0 = commit at the next turn of the event loop.
   */
  commitWindowMs?: number;
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
  | { type: 'reversed'; item: OutboxItem; omsgid: string; newMsgid: string }
  | { type: 'recovered'; items: OutboxItem[] }
  | { type: 'online' }
  | { type: 'offline'; error: string }
  | { type: 'lease-wait'; holder: string }
  | { type: 'lease-lost' }
  | { type: 'error'; error: unknown };

const FINAL = new Set(['done', 'cancelled', 'dead']);

/**
 * The outbox relay: drains the store's outbox to the platform, at least once, exactly once in effect.
 *
 * - Group commit: the results that came back during one turn of the event loop, and the claims that refill the
 *   free slots, are written in ONE transaction (one fsync with synchronous=FULL), each result in its own
 *   savepoint. A result is on disk before the next item of its visit is claimed.
 * - Claims the head item of each visit (outbox.claimNext), so a visit's items go strictly in order
 *   (2401 → 2301… → 2402 → 2303 → 2304), while different visits interleave up to `concurrency`.
 * - Sends outside any transaction, under the item's msgid; the platform treats a repeated msgid as the same
 *   message (the idempotency key). Writes the result (item done + the admission's mdtrt_id, the settlement's
 *   setl_id…) in ONE transaction.
 * - Offline (not sent): the item waits with full-jitter backoff and the relay stops claiming until the
 *   connectivity probe gets an answer. Unknown outcome of a non-reversible transaction: the same msgid again.
 * - Unknown outcome of a reversible transaction (2401, 2304, 2305, 2207, 2208): never resent under its msgid
 *   and never under a new one until a 2601 for it has been answered. Then, and only then, the item gets a NEW
 *   msgid and goes again. See docs/store.md "Reversal rule".
 * - Business refusal (infcode -1): a dead letter, audited; the visit waits for an operator
 *   (operator-actions.ts: retry, edit, cancel).
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
  private readonly isReversible: (infno: string) => boolean;
  private readonly onEvent: (event: RelayEvent) => void;
  private readonly lease: RelayLease;
  private readonly probe: ConnectivityProbe;
  /** Claimed and not yet written back. */
  private readonly inflight = new Map<number, Claim>();
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
    this.isReversible = options.isReversible ?? catalogueIsReversible;
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
    return this.inflight.size;
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
    const batch = this.writes.splice(0);
    if (!this.running && batch.length === 0) return;
    let claims: Claim[] = [];
    try {
      claims = this.store.write((tx) => {
        for (const w of batch) this.applyIsolated(tx, w);
        const busy = this.inflight.size - batch.length;
        const free = this.concurrency - busy;
        return this.running && this.isOnline && free > 0 ? this.store.outbox.claimNext(tx, { limit: free }) : [];
      });
    } catch (err) {
      // The store refused the commit (disk full, file locked too long): the items stay in flight in the file.
      // Stop, so that the next start recovers them with the crash rules rather than this process guessing.
      this.emit({ type: 'error', error: err });
      for (const w of batch) this.inflight.delete(w.claim.item.id);
      if (this.running) void this.stop();
      return;
    }
    for (const w of batch) {
      this.inflight.delete(w.claim.item.id);
      this.settled(w);
    }
    for (const claim of claims) this.dispatch(claim);
    this.scheduleWake();
  }

  /** A write-back in its own savepoint; when it throws, its fallback (if any) runs in a fresh one. */
  private applyIsolated(tx: Tx, w: PendingWrite): void {
    const db = this.store.db;
    try {
      db.transaction(() => w.write(tx))();
    } catch (err) {
      if (!w.fallback) throw err;
      db.transaction(() => w.fallback!(tx, err))();
      w.fallbackUsed = err;
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
    this.scheduleResultFlush();
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
      // The platform took it: the item is done whatever our write-back thinks. Record that, and the failure of
      // the write-back for a person to repair, rather than ever sending it again.
      fallback: (tx, err) => {
        this.store.outbox.complete(tx, claim, output);
        this.audit(tx, 'outbox.apply-failed', item, { error: err instanceof Error ? err.message : String(err) });
      },
      event: (after) => ({ type: 'done', item: after }),
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
          this.reversedThenFresh(claim, failure.reversalMsgid);
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
      this.reversedThenFresh(claim, outcome.reversalMsgid);
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

  /** The 2601 of the item's msgid was answered: the item goes again under a new msgid. */
  private reversedThenFresh(claim: Claim, reversalMsgid: string | null): void {
    const { item } = claim;
    let fresh = '';
    this.queueWrite({
      claim,
      write: (tx) => {
        fresh = this.msgids.next(tx.now);
        if (reversalMsgid && claim.action === 'reverse') this.store.outbox.noteReversalMsgid(tx, claim, reversalMsgid);
        this.store.outbox.reversed(tx, claim, fresh, reversalMsgid);
        this.audit(tx, 'outbox.reversed', item, { omsgid: item.msgid, reversalMsgid, newMsgid: fresh });
      },
      event: (after) => ({ type: 'reversed', item: after, omsgid: item.msgid, newMsgid: fresh }),
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
  /** The event to emit after the commit, given the item as written. */
  event(after: OutboxItem): RelayEvent;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

import { randomUUID } from 'node:crypto';
import type { Store } from '../../db/store.ts';
import type { Tx } from '../../db/tx.ts';
import type { Claim, OutboxItem } from '../../db/outbox/types.ts';
import { placeholdersIn, resolvePlaceholders } from '../../db/outbox/placeholders.ts';
import { RelayLease } from '../../db/relay-lease.ts';
import { isReversible as catalogueIsReversible } from '../../insurance/client/infno-catalog.ts';
import { defaultAppliers, type ResultAppliers } from './appliers.ts';
import { DEFAULT_BACKOFF, fullJitterDelay, type BackoffPolicy } from './backoff.ts';
import { ConnectivityProbe } from './connectivity-probe.ts';
import { PlatformFailure, type PlatformPort, type PortRequest } from './platform-port.ts';

export interface MsgidSource {
  next(now: Date): string | Promise<string>;
}

export interface RelayOptions {
  store: Store;
  platform: PlatformPort;
  /** Fresh msgids after a definite reversal or an operator retry. Default: the store's sequence. */
  msgids?: MsgidSource;
  /** Result write-back per infno (default: appliers.ts). */
  appliers?: ResultAppliers;
  /** Items of different visits in flight at once. Items of one visit are always one at a time. */
  concurrency?: number;
  /** Backoff of an item after a failed attempt. */
  backoff?: BackoffPolicy;
  /** Backoff of the connectivity probe while the platform is unreachable. */
  probeBackoff?: BackoffPolicy;
  random?: () => number;
  /** The relay lease (one relay per store); renewed every third of this. */
  leaseTtlMs?: number;
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
  private readonly appliers: ResultAppliers;
  private readonly concurrency: number;
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;
  private readonly leaseTtlMs: number;
  private readonly pollIntervalMs: number;
  private readonly isReversible: (infno: string) => boolean;
  private readonly onEvent: (event: RelayEvent) => void;
  private readonly lease: RelayLease;
  private readonly probe: ConnectivityProbe;
  private readonly inflight = new Map<number, Promise<void>>();
  private readonly waiters = new Map<number, Array<(item: OutboxItem) => void>>();
  private readonly listeners = new Set<(event: RelayEvent) => void>();
  private running = false;
  private pumping = false;
  private repump = false;
  private isOnline = true;
  private wakeTimer: NodeJS.Timeout | null = null;
  private wakeAt = Infinity;
  private leaseTimer: NodeJS.Timeout | null = null;
  private stopped: Promise<void> | null = null;

  constructor(options: RelayOptions) {
    this.store = options.store;
    this.platform = options.platform;
    this.msgids = options.msgids ?? options.store.msgids;
    this.appliers = options.appliers ?? defaultAppliers;
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    this.leaseTtlMs = options.leaseTtlMs ?? 30_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 2_000;
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
    this.pump();
  }

  /** Stops claiming, waits for the attempts in flight to be written back, releases the lease. */
  stop(): Promise<void> {
    if (this.stopped) return this.stopped;
    this.running = false;
    this.probe.stop();
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    this.wakeTimer = null;
    this.leaseTimer = null;
    this.stopped = (async () => {
      await Promise.allSettled([...this.inflight.values()]);
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
    if (this.running) queueMicrotask(() => this.pump());
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

  // ---------------------------------------------------------------------------------------------------------

  private pump(): void {
    if (!this.running) return;
    if (this.pumping) {
      this.repump = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.repump = false;
        const free = this.concurrency - this.inflight.size;
        if (free <= 0 || !this.isOnline) break;
        const claims = this.store.write((tx) => this.store.outbox.claimNext(tx, { limit: free }));
        for (const claim of claims) this.dispatch(claim);
        if (claims.length < free) break;
      } while (this.repump && this.running);
      this.scheduleWake();
    } catch (err) {
      this.emit({ type: 'error', error: err });
      this.setWake(Date.now() + 1_000);
    } finally {
      this.pumping = false;
    }
  }

  /**
   * Sleeps until the earliest item falls due, or the poll interval (a kick or a completion wakes it sooner).
   */
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
      this.pump();
    }, Math.max(0, at - Date.now()));
  }

  private dispatch(claim: Claim): void {
    const run = (claim.action === 'send' ? this.send(claim) : this.reverse(claim))
      .catch((err: unknown) => this.writeFailed(claim, err))
      .finally(() => {
        this.inflight.delete(claim.item.id);
        this.pump();
      });
    this.inflight.set(claim.item.id, run);
  }

  private request(item: OutboxItem, input: unknown): PortRequest {
    return { infno: item.infno, msgid: item.msgid, input, visitKey: item.visitKey, psnNo: item.psnNo, envelope: item.envelope };
  }

  private async send(claim: Claim): Promise<void> {
    const { item } = claim;
    const input = this.resolveInput(item);
    if (!input.ok) {
      const error = `依赖的${input.missing.join('、')}尚不存在（前序交易未成功或已取消）`;
      this.finish(claim, (tx) => {
        this.store.outbox.deadLetter(tx, claim, { reason: 'unresolvable', error });
        this.audit(tx, 'outbox.dead-letter', item, { reason: 'unresolvable', missing: input.missing });
        this.appliers[item.infno]?.dead?.(tx, this.store, item, error);
      });
      this.emit({ type: 'dead', item: this.store.outbox.mustGet(item.id), error });
      return;
    }
    let output: unknown;
    try {
      output = await this.platform.send(this.request(item, input.value));
    } catch (err) {
      await this.sendFailed(claim, err);
      return;
    }
    this.probe.reset();
    this.complete(claim, output);
  }

  private complete(claim: Claim, output: unknown): void {
    const { item } = claim;
    try {
      this.finish(claim, (tx) => {
        this.store.outbox.complete(tx, claim, output);
        this.appliers[item.infno]?.done?.(tx, this.store, item, output);
      });
    } catch (err) {
      // The platform took it: the item is done whatever our write-back thinks. Record that, and the failure
      // of the write-back for a person to repair, rather than ever sending it again.
      this.finish(claim, (tx) => {
        this.store.outbox.complete(tx, claim, output);
        this.audit(tx, 'outbox.apply-failed', item, { error: err instanceof Error ? err.message : String(err) });
      });
      this.emit({ type: 'error', error: err });
    }
    this.emit({ type: 'done', item: this.store.outbox.mustGet(item.id) });
  }

  private async sendFailed(claim: Claim, err: unknown): Promise<void> {
    const { item } = claim;
    const failure = err instanceof PlatformFailure ? err : new PlatformFailure('unknown', err instanceof Error ? err.message : String(err), { cause: err });
    switch (failure.kind) {
      case 'refused':
      case 'invalid': {
        const error = failure.kind === 'refused' ? `平台拒绝：${failure.detail}` : `请求不合规：${failure.detail}`;
        this.finish(claim, (tx) => {
          this.store.outbox.deadLetter(tx, claim, { reason: 'refused', error });
          this.audit(tx, 'outbox.dead-letter', item, { reason: failure.kind, error });
          this.appliers[item.infno]?.dead?.(tx, this.store, item, error);
        });
        this.emit({ type: 'dead', item: this.store.outbox.mustGet(item.id), error });
        return;
      }
      case 'offline':
      case 'blocked': {
        this.retryLater(claim, 'pending', failure.kind === 'offline' ? 'offline' : 'unknown', failure.kind === 'offline' ? `平台不可达：${failure.detail}` : `等待冲正完成：${failure.detail}`);
        if (failure.kind === 'offline') this.wentOffline(failure.detail);
        return;
      }
      case 'unknown': {
        if (!this.isReversible(item.infno)) {
          // Not reversible: the platform dedupes a repeated msgid, so the same message goes again.
          this.retryLater(claim, 'pending', 'unknown', `结果未明，将以原报文重发：${failure.detail}`);
          return;
        }
        if (failure.reversal === 'reversed') {
          await this.reversedThenFresh(claim, failure.reversalMsgid);
          return;
        }
        this.retryLater(claim, 'unknown-outcome', 'unknown', `结果未明，须先冲正（2601）：${failure.detail}`);
        return;
      }
    }
  }

  private async reverse(claim: Claim): Promise<void> {
    const { item } = claim;
    const outcome = await this.platform.reverse(this.request(item, item.input));
    if (outcome.status === 'reversed') {
      this.probe.reset();
      await this.reversedThenFresh(claim, outcome.reversalMsgid);
      return;
    }
    if (outcome.reversalMsgid && outcome.reversalMsgid !== item.reversalMsgid) {
      const msgid = outcome.reversalMsgid;
      this.store.write((tx) => this.store.outbox.noteReversalMsgid(tx, claim, msgid));
    }
    if (outcome.status === 'refused') {
      const error = `冲正（2601）被平台拒绝：${outcome.error}`;
      this.finish(claim, (tx) => {
        this.store.outbox.deadLetter(tx, claim, { reason: 'reversal-refused', error });
        this.audit(tx, 'outbox.reversal-refused', item, { omsgid: item.msgid, reversalMsgid: outcome.reversalMsgid, error: outcome.error });
      });
      this.emit({ type: 'dead', item: this.store.outbox.mustGet(item.id), error });
      return;
    }
    this.retryLater(claim, 'unknown-outcome', 'unknown', `冲正（2601）未完成：${outcome.error}`);
  }

  /** The 2601 of the item's msgid was answered: the item goes again under a new msgid. */
  private async reversedThenFresh(claim: Claim, reversalMsgid: string | null): Promise<void> {
    const { item } = claim;
    const fresh = await this.msgids.next(this.store.clock.now());
    this.finish(claim, (tx) => {
      if (reversalMsgid && claim.action === 'reverse') this.store.outbox.noteReversalMsgid(tx, claim, reversalMsgid);
      this.store.outbox.reversed(tx, claim, fresh, reversalMsgid);
      this.audit(tx, 'outbox.reversed', item, { omsgid: item.msgid, reversalMsgid, newMsgid: fresh });
    });
    this.emit({ type: 'reversed', item: this.store.outbox.mustGet(item.id), omsgid: item.msgid, newMsgid: fresh });
  }

  private retryLater(claim: Claim, state: 'pending' | 'unknown-outcome', kind: 'offline' | 'unknown', error: string): void {
    const delay = fullJitterDelay(Math.max(0, claim.item.attempts - 1), this.backoff, this.random);
    let nextAttemptAt = 0;
    this.finish(claim, (tx) => {
      nextAttemptAt = tx.now.getTime() + delay;
      this.store.outbox.retryLater(tx, claim, { state, kind, error, nextAttemptAt });
    });
    this.emit({ type: 'retry', item: this.store.outbox.mustGet(claim.item.id), kind, error, nextAttemptAt });
  }

  /** Writes an item's new state in one transaction and wakes whoever waits for it. */
  private finish(claim: Claim, write: (tx: Tx) => void): void {
    this.store.write(write);
    const item = this.store.outbox.get(claim.item.id);
    if (item && FINAL.has(item.state)) {
      const list = this.waiters.get(item.id);
      this.waiters.delete(item.id);
      for (const resolve of list ?? []) resolve(item);
    }
  }

  /**
   * The store refused a write-back (disk full, file locked too long). The item stays in flight in the file;
   * stop, so that the next start recovers it with the crash rules rather than this process guessing.
   */
  private writeFailed(claim: Claim, err: unknown): void {
    this.emit({ type: 'error', error: err });
    if (this.running) {
      void this.stop();
    }
    void claim;
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
    this.pump();
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

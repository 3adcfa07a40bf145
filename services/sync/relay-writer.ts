import type { Store } from '../../db/store.ts';
import type { Tx } from '../../db/tx.ts';
import type { Claim, OutboxItem } from '../../db/outbox/types.ts';
import { RelayLease } from '../../db/relay-lease.ts';
import { isStoreFault } from '../../db/store-fault.ts';
import { isReversible } from '../../insurance/client/infno-catalog.ts';
import type { WriteBackTable } from './write-back.ts';

/**
 * Everything the relay writes, as plain data: what one result (or failure) of an attempt changes in the store.
 * Plain data because the relay's commits run on a connection of their own in a worker thread
 * (relay-commit-worker.ts), where no closure of the main thread can go. Whatever is random (backoff jitter) is
 * drawn on the main thread and travels as a number; what needs the transaction (a fresh msgid, `tx.now`) is
 * taken here, inside it.
 */
export type RelayWrite<C = Claim> =
  /** The platform took it: done with its output and write-back, or held for a person when that is unusable. */
  | { kind: 'complete'; claim: C; output: unknown; lastResortDelayMs: number }
  /** A business refusal, or an input that cannot be completed: a dead letter. */
  | { kind: 'dead'; claim: C; reason: 'refused' | 'unresolvable'; error: string; audit: Record<string, unknown> }
  /** Not done yet: again after `delayMs` (pending: same msgid; unknown-outcome: its 2601 first). */
  | {
      kind: 'retry';
      claim: C;
      state: 'pending' | 'unknown-outcome';
      /** Why the item waits (offline items are woken when the platform is back). */
      errorKind: 'offline' | 'unknown';
      /** How the attempt ended, when that is not `errorKind`: a send whose outcome is unknown, waiting offline for its 2601. */
      attemptOutcome?: 'unknown';
      error: string;
      delayMs: number;
      reversalMsgid?: string | null;
    }
  /** The platform refused the 2601 of the item: it waits for a person. */
  | { kind: 'reversal-refused'; claim: C; error: string; platformError: string; reversalMsgid: string | null }
  /** The item's 2601 was answered: again under a fresh msgid after `delayMs`, or held at its reversal cap (`hold`). */
  | { kind: 'reversed'; claim: C; reversalMsgid: string | null; reversals: number; delayMs: number; hold: string | null };

/**
 * A claim as it crosses to the committer: which attempt of which item. The committer reads the item itself, in
 * the transaction (it is in flight, so no one else changes it): the item's input and envelope, the bulk of it,
 * need not be copied from thread to thread for every result.
 */
export interface ClaimRef {
  itemId: number;
  attemptId: number;
  action: Claim['action'];
  msgid: string;
}

export function claimRef(claim: Claim): ClaimRef {
  return { itemId: claim.item.id, attemptId: claim.attemptId, action: claim.action, msgid: claim.msgid };
}

/** One group commit: the results to write back, the claims ahead to give back, how many sends to claim. */
export interface FlushRequest {
  writes: Array<RelayWrite<ClaimRef>>;
  /** Claims made ahead that will not be sent (stopping, offline): pending again under the same msgid. */
  release: ClaimRef[];
  /** null: claim nothing (stopping, offline). */
  claim: { free: number; ahead: number; alongside: string | null } | null;
}

/** What a group commit did, to be told to listeners and acted upon once it is on disk. */
export interface FlushReply {
  settled: Settled[];
  /** Claimed for the free slots: send at once. */
  send: Claim[];
  /** Claimed ahead (non-reversible sends only): sent the moment a slot frees. */
  ready: Claim[];
  /** When the earliest waiting item falls due, as this transaction leaves the queue (ms, the relay's clock). */
  nextDueAt: number | null;
}

/**
 * An item as it comes back from the committer: without its input and envelope, which a relay write never changes
 * and the relay already holds in its claim (Relay.committed puts them back).
 */
export type SlimItem = Omit<OutboxItem, 'input' | 'envelope'>;
type WithSlimItem<E> = E extends { item: OutboxItem } ? Omit<E, 'item'> & { item: SlimItem } : never;

export interface Settled {
  itemId: number;
  /** The item as committed, and the event to emit for it (null when the item vanished). */
  item: SlimItem | null;
  event: WithSlimItem<SettledEvent> | null;
  /** A write-back failed and a fallback was written instead: reported as an error. */
  fallbackError: string | null;
}

/** The relay events a commit decides (services/sync/relay.ts RelayEvent), as plain data. */
export type SettledEvent =
  | { type: 'done'; item: OutboxItem }
  | { type: 'dead'; item: OutboxItem; error: string }
  | { type: 'retry'; item: OutboxItem; kind: string; error: string; nextAttemptAt: number }
  | { type: 'reversed'; item: OutboxItem; omsgid: string; newMsgid: string; nextAttemptAt: number };

/** The relay's store operations, each one transaction: the protocol between the relay and its committer. */
export interface RelayOps {
  flush: [FlushRequest, FlushReply];
  acquireLease: [{ ttlMs: number }, { acquired: boolean; holder: string | null }];
  renewLease: [{ ttlMs: number }, boolean];
  releaseLease: [null, null];
  recover: [null, OutboxItem[]];
  wakeOffline: [null, number];
  /**
   * Tests only (store-full.test.ts): caps the committer's connection at this many pages, as a full disk does
   * (PRAGMA max_page_count is per connection, so the test's own connection cannot reach a worker's); null lifts it.
   */
  capPages: [number | null, null];
}
export type RelayOp = keyof RelayOps;

const FINAL = new Set(['done', 'cancelled', 'dead']);

/**
 * The claims a relay holds in memory, by item id (in flight, or claimed ahead and not yet sent): an in-thread
 * writer takes a claim from here instead of reading its item back (and parsing a 2301 batch's 20 KB input again).
 * It is the item as its claim left it on disk: an item in flight is changed by nobody but this relay.
 */
export type HeldClaims = (itemId: number) => Claim | undefined;

/**
 * Runs the relay's store operations on one store connection: the main thread's (in-thread committer) or a
 * worker's own (relay-commit-worker.ts). The same code either way; only the thread differs.
 */
export class RelayWriter {
  private readonly lease: RelayLease;
  /** Runs a function in a savepoint of the transaction under way (made once: better-sqlite3 builds a wrapper per call of `db.transaction`). */
  private readonly savepoint: <T>(fn: () => T) => T;

  constructor(
    private readonly store: Store,
    private readonly writeBack: WriteBackTable,
    holder: string,
    /** On the relay's own thread: its claims in memory (a worker has none and reads each item). */
    private readonly held: HeldClaims | null = null,
  ) {
    this.lease = new RelayLease(store.db, { holder });
    const inSavepoint = store.db.transaction((fn: () => unknown) => fn());
    this.savepoint = <T>(fn: () => T): T => inSavepoint(fn) as T;
  }

  run<K extends RelayOp>(op: K, arg: RelayOps[K][0]): RelayOps[K][1] {
    const ops: { [O in RelayOp]: (a: RelayOps[O][0]) => RelayOps[O][1] } = {
      flush: (a) => this.flush(a),
      acquireLease: (a) => {
        const acquired = this.store.write((tx) => this.lease.acquire(tx, a.ttlMs));
        return { acquired, holder: acquired ? this.lease.holder : (this.lease.current()?.holder ?? null) };
      },
      renewLease: (a) => this.store.write((tx) => this.lease.renew(tx, a.ttlMs)),
      releaseLease: () => {
        this.store.write((tx) => this.lease.release(tx));
        return null;
      },
      recover: () => this.store.write((tx) => this.store.outbox.recoverInterrupted(tx, isReversible)),
      wakeOffline: () => this.store.write((tx) => this.store.outbox.wakeOffline(tx)),
      capPages: (pages) => {
        this.store.db.pragma(`max_page_count = ${pages === null ? 1073741823 : Math.floor(pages)}`);
        return null;
      },
    };
    return ops[op](arg);
  }

  /**
   * One transaction: every write-back (each in a savepoint), then the released claims, then the claims for the
   * free slots and, when those fill every slot, the claims ahead.
   */
  flush(req: FlushRequest): FlushReply {
    return this.store.write((tx) => {
      const applied = req.writes.map((w) => this.applyIsolated(tx, { ...w, claim: this.claimOf(w.claim) }));
      for (const ref of req.release) this.store.outbox.release(tx, this.claimOf(ref));
      const { send, ready } = req.claim ? claimSlotsOf(tx, this.store, req.claim) : { send: [], ready: [] };
      // The items as this transaction leaves them: what the events after the commit report.
      const settled = applied.map((a): Settled => {
        const item = a.written ?? this.after(a.write);
        const event = item ? a.event(item) : null;
        return { itemId: a.write.claim.item.id, item: item && slim(item), event: event && ({ ...event, item: slim(event.item) } as Settled['event']), fallbackError: a.fallbackError };
      });
      // Read here, where the page cache is warm, rather than by the relay on a connection this commit just made cold.
      return { settled, send, ready, nextDueAt: this.store.outbox.nextDueAt() };
    });
  }

  /**
   * A write-back in its own savepoint; when a completion's write-back throws, the item is held for a person in
   * a fresh one. A store fault (disk full…) is never a verdict on the item: it fails the whole commit, which the
   * relay retries.
   */
  private applyIsolated(tx: Tx, w: RelayWrite): { write: RelayWrite; event: (after: OutboxItem) => SettledEvent; fallbackError: string | null; written?: OutboxItem } {
    try {
      return { write: w, ...this.savepoint(() => this.apply(tx, w)), fallbackError: null };
    } catch (err) {
      if (w.kind !== 'complete' || isStoreFault(err)) throw err;
      try {
        this.savepoint(() => this.holdInvalidOutput(tx, w, err));
        return { write: w, event: doneOrDead, fallbackError: messageOf(err) };
      } catch (again) {
        if (isStoreFault(again)) throw again;
        // Even the hold cannot be written (a defect): treat the attempt as of unknown outcome rather than
        // poison every later commit with it.
        const error = `写回失败：${messageOf(again)}`;
        const state = isReversible(w.claim.item.infno) ? 'unknown-outcome' : 'pending';
        this.savepoint(() => this.store.outbox.retryLater(tx, w.claim, { state, kind: 'unknown', error, nextAttemptAt: tx.now.getTime() + w.lastResortDelayMs }));
        return { write: w, event: (after) => ({ type: 'retry', item: after, kind: 'unknown', error, nextAttemptAt: after.nextAttemptAt }), fallbackError: messageOf(again) };
      }
    }
  }

  /**
   * Writes one result; returns how to tell it once committed, and for a completion the item as written (the outbox
   * returns it, and no write-back changes the outbox row: it is not read back after the commit's writes).
   */
  private apply(tx: Tx, w: RelayWrite): { event: (after: OutboxItem) => SettledEvent; written?: OutboxItem } {
    const { claim } = w;
    const { item } = claim;
    const outbox = this.store.outbox;
    switch (w.kind) {
      case 'complete': {
        const done = outbox.complete(tx, claim, w.output);
        const entry = this.writeBack[item.infno];
        if (!entry) throw new Error(`no write-back for infno ${item.infno}`);
        // Decoded with the codec's schema the port already checked the answer with.
        const typed = entry.output.safeParse(w.output);
        if (!typed.success) throw new Error(`${item.infno} output of item ${item.id} does not match its codec: ${typed.error.message}`);
        entry.apply(tx, this.store, done, typed.data);
        return { event: doneOrDead, written: done };
      }
      case 'dead': {
        outbox.deadLetter(tx, claim, { reason: w.reason, error: w.error });
        this.audit(tx, 'outbox.dead-letter', item, w.audit);
        this.writeBack[item.infno]?.dead?.(tx, this.store, item, w.error);
        return { event: (after) => ({ type: 'dead', item: after, error: w.error }) };
      }
      case 'retry': {
        this.noteReversalMsgid(tx, claim, w.reversalMsgid);
        const nextAttemptAt = tx.now.getTime() + w.delayMs;
        outbox.retryLater(tx, claim, { state: w.state, kind: w.errorKind, error: w.error, nextAttemptAt, ...(w.attemptOutcome ? { attemptOutcome: w.attemptOutcome } : {}) });
        return { event: (after) => ({ type: 'retry', item: after, kind: w.errorKind, error: w.error, nextAttemptAt }) };
      }
      case 'reversal-refused': {
        this.noteReversalMsgid(tx, claim, w.reversalMsgid);
        outbox.deadLetter(tx, claim, { reason: 'reversal-refused', error: w.error });
        this.audit(tx, 'outbox.reversal-refused', item, { omsgid: item.msgid, reversalMsgid: w.reversalMsgid, error: w.platformError });
        return { event: (after) => ({ type: 'dead', item: after, error: w.error }) };
      }
      case 'reversed': {
        const fresh = this.store.msgids.next(tx.now);
        const nextAttemptAt = tx.now.getTime() + w.delayMs;
        const capped = w.hold !== null;
        if (w.reversalMsgid && claim.action === 'reverse') outbox.noteReversalMsgid(tx, claim, w.reversalMsgid);
        outbox.reversed(tx, claim, { newMsgid: fresh, reversalMsgid: w.reversalMsgid, nextAttemptAt, ...(capped ? { holdReason: w.hold! } : {}) });
        this.audit(tx, 'outbox.reversed', item, {
          omsgid: item.msgid,
          reversalMsgid: w.reversalMsgid,
          newMsgid: fresh,
          reversals: w.reversals,
          ...(capped ? { held: 'reversal-cap' } : { nextAttemptAt }),
        });
        if (capped) this.writeBack[item.infno]?.dead?.(tx, this.store, item, w.hold!);
        return { event: (after) => (capped ? { type: 'dead', item: after, error: w.hold! } : { type: 'reversed', item: after, omsgid: item.msgid, newMsgid: fresh, nextAttemptAt }) };
      }
    }
  }

  /**
   * The platform took it (infcode 0) but its output breaks the schema or cannot be written back: never "done"
   * with nothing on the stay. It waits for a person, with the reason, on the queue and on the stay.
   */
  private holdInvalidOutput(tx: Tx, w: Extract<RelayWrite, { kind: 'complete' }>, err: unknown): void {
    const { claim } = w;
    const detail = messageOf(err);
    const error = `医保平台已受理，但返回结果无法读取或写回本机（${detail.slice(0, 200)}），请核实后重试`;
    this.store.outbox.holdInvalidOutput(tx, claim, { error, output: w.output });
    this.audit(tx, 'outbox.output-invalid', claim.item, { error: detail.slice(0, 500) });
    this.writeBack[claim.item.infno]?.dead?.(tx, this.store, claim.item, error);
  }

  /**
   * The item as this transaction leaves it, read without its payloads: the input and envelope are the claim's
   * (a relay write never changes them), the answer is the one just written when the item is done, and read
   * only when it was held for a person with it (output-invalid); no other state of an item in flight has one.
   */
  private after(w: RelayWrite): OutboxItem | null {
    const { item: claimed } = w.claim;
    const state = this.store.outbox.stateOf(claimed.id);
    if (!state) return null;
    const output =
      state.state === 'done' && w.kind === 'complete' ? (w.output ?? null) : state.deadReason === 'output-invalid' ? this.store.outbox.outputOf(claimed.id) : null;
    return { ...state, input: claimed.input, envelope: claimed.envelope, output };
  }

  /**
   * The claim a ClaimRef names, with the item as it is on disk (in flight under this attempt): the relay's own
   * claim when it is held in memory on this thread, else read.
   */
  private claimOf(ref: ClaimRef): Claim {
    const held = this.held?.(ref.itemId);
    if (held && held.attemptId === ref.attemptId && held.action === ref.action && held.msgid === ref.msgid) return held;
    const item = this.store.outbox.get(ref.itemId);
    if (!item) throw new Error(`outbox item ${ref.itemId} vanished while in flight`);
    return { item, attemptId: ref.attemptId, action: ref.action, msgid: ref.msgid };
  }

  /** The platform client told us the msgid of the 2601 it sent for this item (when it is a new one). */
  private noteReversalMsgid(tx: Tx, claim: Claim, reversalMsgid: string | null | undefined): void {
    if (reversalMsgid && reversalMsgid !== claim.item.reversalMsgid) this.store.outbox.noteReversalMsgid(tx, claim, reversalMsgid);
  }

  private audit(tx: Tx, action: string, item: OutboxItem, detail: Record<string, unknown>): void {
    this.store.audit.append(tx, { actor: 'relay', action, subject: `outbox:${item.id}`, detail: { infno: item.infno, visit: item.visitKey, msgid: item.msgid, ...detail } });
  }
}

/**
 * A claim request's claims in the transaction `tx`: the free slots, and once they are all taken the next sends
 * ahead, durably, in this same commit (Relay.refill): only items that are pending and not reversible are claimed
 * ahead. The relay's group commit, and a service's transaction that queued `queued` (Relay.claimWith).
 */
export function claimSlotsOf(tx: Tx, store: Store, claim: NonNullable<FlushRequest['claim']>, queued?: readonly OutboxItem[]): { send: Claim[]; ready: Claim[] } {
  return store.outbox.claimSlots(tx, {
    free: claim.free,
    ahead: claim.ahead,
    ...(claim.alongside === null ? {} : { alongside: claim.alongside }),
    acceptAhead: (c) => c.state === 'pending' && !isReversible(c.infno),
    ...(queued ? { queued } : {}),
  });
}

function slim(item: OutboxItem): SlimItem {
  const { input: _input, envelope: _envelope, ...rest } = item;
  return rest;
}

/** A completion's event: done, or dead when its output was held for a person. */
function doneOrDead(after: OutboxItem): SettledEvent {
  return after.state === 'dead' ? { type: 'dead', item: after, error: after.lastError ?? '' } : { type: 'done', item: after };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Whether an item's state is final (done, dead, cancelled): its waiters are resolved. */
export function isFinal(item: Pick<OutboxItem, 'state'>): boolean {
  return FINAL.has(item.state);
}

import type { SqliteDatabase } from '../connection.ts';
import { assertInTransaction, type Tx } from '../tx.ts';
import { findPsnNo } from './placeholders.ts';
import { packPayload, unpackPayload, type StoredPayload } from './payload.ts';
import type { Claim, DeadReason, EnqueueRequest, ErrorKind, OutboxEnvelope, OutboxItem, OutboxItemState, OutboxState, QueueStatusSummary } from './types.ts';
import { OPEN_STATES } from './types.ts';
import type { SqliteMsgidSequence } from '../msgid-sequence.ts';

/** An outbox row: the item's state, without its payloads (outbox_inputs, outbox_outputs). */
interface Row {
  id: number;
  visit_key: string;
  infno: string;
  msgid: string;
  psn_no: string | null;
  state: OutboxState;
  dead_reason: DeadReason | null;
  reversal_msgid: string | null;
  attempts: number;
  reversals: number;
  next_attempt_at: number;
  last_error: string | null;
  last_error_kind: ErrorKind | null;
  created_at: number;
  updated_at: number;
  done_at: number | null;
}

/** A row with its payloads: input and envelope (written once at enqueue), output (written once at completion). */
interface ItemRow extends Row {
  input_json: StoredPayload | null;
  envelope_json: string | null;
  output_json: StoredPayload | null;
}

/** The whole item: the row, its input and envelope, its output when it has one (also the person export's). */
export const OUTBOX_ITEM_SELECT = `SELECT o.*, i.input_json, i.envelope_json, u.output_json FROM outbox o
                LEFT JOIN outbox_inputs i ON i.outbox_id = o.id LEFT JOIN outbox_outputs u ON u.outbox_id = o.id`;

const OPEN = `('pending', 'in-flight', 'unknown-outcome', 'reversing', 'dead')`;

/** Candidates a filtered claim pass asks for beyond its slots (see claimSlots). */
const CLAIM_LOOKAHEAD = 8;

/**
 * The outbox table: data operations only. Policy (what to do with a reply, backoff, reversal) lives in
 * services/sync; every write here takes the caller's transaction.
 */
export class Outbox {
  private readonly db: SqliteDatabase;
  private readonly msgids: () => SqliteMsgidSequence;
  private readonly s;

  /** `msgids`: the store's msgid sequence, for an enqueue that lets the outbox draw its msgid. */
  constructor(db: SqliteDatabase, msgids: () => SqliteMsgidSequence) {
    this.db = db;
    this.msgids = msgids;
    this.s = {
      // The id is one past the highest row and past every id ever deleted (outbox_id_floor, kept by a trigger on
      // delete): never one handed out before (audit rows name `outbox:<id>`), without AUTOINCREMENT's write of
      // sqlite_sequence at every insert (migration 17).
      insert: db.prepare(
        `INSERT INTO outbox (id, visit_key, infno, msgid, psn_no, state, next_attempt_at, created_at, updated_at)
         VALUES (max(coalesce((SELECT max(id) FROM outbox), 0), coalesce((SELECT id FROM outbox_id_floor), 0)) + 1,
                 @visit_key, @infno, @msgid, @psn_no, 'pending', @now, @now, @now)`,
      ),
      insertInput: db.prepare('INSERT INTO outbox_inputs (outbox_id, input_json, envelope_json) VALUES (?, ?, ?)'),
      output: db.prepare<[number], { output_json: StoredPayload }>('SELECT output_json FROM outbox_outputs WHERE outbox_id = ?'),
      setOutput: db.prepare('INSERT OR REPLACE INTO outbox_outputs (outbox_id, output_json) VALUES (?, ?)'),
      dropOutput: db.prepare('DELETE FROM outbox_outputs WHERE outbox_id = ?'),
      get: db.prepare<[number], ItemRow>(`${OUTBOX_ITEM_SELECT} WHERE o.id = ?`),
      row: db.prepare<[number], Row>('SELECT * FROM outbox WHERE id = ?'),
      // The open items in queue order, only what the claim pass decides on (Outbox.claimSlots walks them).
      openInOrder: db
        .prepare<[], [number, string, string, OutboxState, number]>(`SELECT id, visit_key, infno, state, next_attempt_at FROM outbox WHERE state IN ${OPEN} ORDER BY id`)
        .raw(true),
      // A claim in one statement: the state it goes to follows from the state it is in (pending → in-flight for a
      // send, unknown-outcome → reversing for its 2601), and the row comes back as written (no read before or after).
      claimRow: db.prepare<{ id: number; now: number }, Row>(
        `UPDATE outbox SET state = CASE state WHEN 'pending' THEN 'in-flight' ELSE 'reversing' END, attempts = attempts + 1, updated_at = @now
          WHERE id = @id AND state IN ('pending', 'unknown-outcome') RETURNING *`,
      ),
      // The same claim returning the item's payloads too (one statement rather than a second for the input).
      claimRowWithInput: db.prepare<{ id: number; now: number }, Row & { input_json: StoredPayload | null; envelope_json: string | null }>(
        `UPDATE outbox SET state = CASE state WHEN 'pending' THEN 'in-flight' ELSE 'reversing' END, attempts = attempts + 1, updated_at = @now
          WHERE id = @id AND state IN ('pending', 'unknown-outcome')
          RETURNING *, (SELECT input_json FROM outbox_inputs WHERE outbox_id = outbox.id) AS input_json,
                       (SELECT envelope_json FROM outbox_inputs WHERE outbox_id = outbox.id) AS envelope_json`,
      ),
      openAttempt: db.prepare('INSERT INTO outbox_attempts (outbox_id, infno, msgid, started_at) VALUES (?, ?, ?, ?)'),
      unclaim: db.prepare(`UPDATE outbox SET state = 'pending', attempts = attempts - 1, updated_at = @now WHERE id = @id AND state = 'in-flight'`),
      dropAttempt: db.prepare('DELETE FROM outbox_attempts WHERE id = ? AND outbox_id = ? AND finished_at IS NULL'),
      closeAttempt: db.prepare('UPDATE outbox_attempts SET finished_at = ?, outcome = ?, detail = ? WHERE id = ? AND finished_at IS NULL'),
      done: db.prepare(`UPDATE outbox SET state = 'done', last_error = NULL, last_error_kind = NULL, done_at = ?, updated_at = ? WHERE id = ?`),
      retryLater: db.prepare(
        `UPDATE outbox SET state = @state, next_attempt_at = @next, last_error = @error, last_error_kind = @kind, updated_at = @now WHERE id = @id`,
      ),
      dead: db.prepare(
        `UPDATE outbox SET state = 'dead', dead_reason = @reason, last_error = @error, last_error_kind = @kind, updated_at = @now WHERE id = @id`,
      ),
      reversed: db.prepare(
        `UPDATE outbox SET state = 'pending', msgid = @msgid, reversal_msgid = NULL, reversals = reversals + 1, next_attempt_at = @next,
                last_error = @note, last_error_kind = NULL, updated_at = @now WHERE id = @id`,
      ),
      hold: db.prepare(
        `UPDATE outbox SET state = 'dead', dead_reason = @reason, last_error = @error, last_error_kind = 'unknown', updated_at = @now WHERE id = @id`,
      ),
      interrupted: db.prepare<[], { id: number; infno: string; state: OutboxState }>(`SELECT id, infno, state FROM outbox WHERE state IN ('in-flight', 'reversing') ORDER BY id`),
      closeOpenAttempts: db.prepare(`UPDATE outbox_attempts SET finished_at = ?, outcome = 'interrupted' WHERE outbox_id = ? AND finished_at IS NULL`),
      wakeOffline: db.prepare(
        `UPDATE outbox SET next_attempt_at = @now WHERE state IN ('pending', 'unknown-outcome') AND last_error_kind = 'offline' AND next_attempt_at > @now`,
      ),
      countByState: db.prepare<[], { state: OutboxState; n: number }>(`SELECT state, count(*) AS n FROM outbox WHERE state IN ${OPEN} GROUP BY state`),
      oldestOpen: db.prepare<[], { created_at: number }>(`SELECT created_at FROM outbox WHERE state IN ${OPEN} ORDER BY id LIMIT 1`),
      nextDue: db.prepare<[], { at: number | null }>(
        `SELECT min(next_attempt_at) AS at FROM outbox WHERE state IN ('pending', 'unknown-outcome')`,
      ),
      laterOpenOfVisit: db.prepare<[string, number], ItemRow>(`${OUTBOX_ITEM_SELECT} WHERE o.visit_key = ? AND o.id > ? AND o.state IN ${OPEN} ORDER BY o.id`),
      laterOpenIdsOfVisit: db.prepare<[string, number], { id: number }>(`SELECT id FROM outbox WHERE visit_key = ? AND id > ? AND state IN ${OPEN} ORDER BY id`),
      byVisit: db.prepare<[string], ItemRow>(`${OUTBOX_ITEM_SELECT} WHERE o.visit_key = ? ORDER BY o.id`),
      statesByVisit: db.prepare<[string], Row>('SELECT * FROM outbox WHERE visit_key = ? ORDER BY id'),
      attempts: db.prepare<[number], AttemptRow>('SELECT * FROM outbox_attempts WHERE outbox_id = ? ORDER BY id'),
    };
  }

  /**
   * Queues one platform transaction. Must run in the transaction of the domain write it belongs to: either
   * both are on disk or neither is.
   */
  enqueue(tx: Tx, req: EnqueueRequest): OutboxItem {
    assertInTransaction(tx);
    if (!req.visitKey) throw new Error('outbox: visitKey is required');
    if (!/^[0-9A-Z]{4,6}$/.test(req.infno)) throw new Error(`outbox: bad infno "${req.infno}"`);
    const psnNo = req.psnNo === undefined ? findPsnNo(req.input) : req.psnNo;
    const now = tx.now.getTime();
    const input = JSON.stringify(req.input);
    const envelope = req.envelope ?? {};
    // Drawn here, the msgid goes straight into the row, which is its record (SqliteMsgidSequence.nextForOutboxRow).
    const msgid = req.msgid ?? this.msgids().nextForOutboxRow(tx.now);
    const info = this.s.insert.run({ visit_key: req.visitKey, infno: req.infno, msgid, psn_no: psnNo, now });
    const id = Number(info.lastInsertRowid);
    this.s.insertInput.run(id, packPayload(input), JSON.stringify(envelope));
    // The item as just written, without reading its input back (a 2301 batch's is 20 KB): the caller's input
    // and envelope as given, which is what a later read returns (JSON round trip aside).
    return {
      ...stateOf({ id, visit_key: req.visitKey, infno: req.infno, msgid, psn_no: psnNo, state: 'pending', dead_reason: null, reversal_msgid: null,
        attempts: 0, reversals: 0, next_attempt_at: now, last_error: null, last_error_kind: null, created_at: now, updated_at: now, done_at: null }),
      input: req.input,
      envelope,
      output: null,
    };
  }

  get(id: number): OutboxItem | null {
    const row = this.s.get.get(id);
    return row ? toItem(row) : null;
  }

  /** The item's state without its payloads (no input, envelope or output read): for whoever only asks where it is. */
  stateOf(id: number): OutboxItemState | null {
    const row = this.s.row.get(id);
    return row ? stateOf(row) : null;
  }

  /** The platform's answer kept for the item (null: none). */
  outputOf(id: number): unknown {
    const row = this.s.output.get(id);
    return row ? (JSON.parse(unpackPayload(row.output_json)) as unknown) : null;
  }

  mustGet(id: number): OutboxItem {
    const item = this.get(id);
    if (!item) throw new Error(`outbox item ${id} not found`);
    return item;
  }

  listByVisit(visitKey: string): OutboxItem[] {
    return this.s.byVisit.all(visitKey).map(toItem);
  }

  /** The visit's items in order, without their payloads: what a caller needs to know which items there are and where they stand. */
  statesByVisit(visitKey: string): OutboxItemState[] {
    return this.s.statesByVisit.all(visitKey).map(stateOf);
  }

  list(options: { states?: readonly OutboxState[]; limit?: number; afterId?: number } = {}): OutboxItem[] {
    const states = options.states ?? OPEN_STATES;
    const marks = states.map(() => '?').join(', ');
    return this.db
      .prepare<unknown[], ItemRow>(`${OUTBOX_ITEM_SELECT} WHERE o.state IN (${marks}) AND o.id > ? ORDER BY o.id LIMIT ?`)
      .all(...states, options.afterId ?? 0, options.limit ?? 100)
      .map(toItem);
  }

  attempts(id: number): Attempt[] {
    return this.s.attempts.all(id).map((r) => ({
      id: r.id,
      infno: r.infno,
      msgid: r.msgid,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      outcome: r.outcome,
      detail: r.detail,
    }));
  }

  /**
   * Claims up to `limit` items that are due: the head of each visit, oldest first. With `alongside` (the
   * relay's 2301), a pending item of that infno is also claimed while everything before it in its visit is of
   * that infno and in flight: fee batches are independent of one another (distinct lines, each idempotent per
   * feedetl_sn on the platform) and take effect in any order among themselves, never before the item that
   * precedes the run nor after the one that follows it. `accept` filters the candidates (claims ahead take
   * only sends of items that are not reversible). A pending item becomes
   * in-flight under its msgid; an item whose outcome is unknown becomes reversing (its 2601 is the platform
   * client's, journaled there under a 2601 msgid of its own). The attempt row is written before anything is
   * sent, in the same transaction as the state change.
   */
  claimNext(
    tx: Tx,
    options: { limit: number; excludeIds?: ReadonlySet<number>; alongside?: string; accept?: (candidate: { infno: string; state: OutboxState }) => boolean },
  ): Claim[] {
    const accept = options.accept;
    return this.claimSlots(tx, {
      free: options.limit,
      ahead: 0,
      ...(options.excludeIds ? { excludeIds: options.excludeIds } : {}),
      ...(options.alongside === undefined ? {} : { alongside: options.alongside }),
      ...(accept ? { acceptSend: accept } : {}),
    }).send;
  }

  /**
   * The relay's claims of one group commit in ONE pass over the queue (claimNext twice would scan the items
   * behind the stays in flight twice): up to `free` sends for the free slots, then — only once those are all
   * taken — up to `ahead` claims ahead among the candidates `acceptAhead` takes (the relay: pending items that are
   * not reversible). The same claims claimNext would make in two calls, in queue order, from one walk over the
   * open items (pickCandidates): a batch of a run this pass claims makes the next batch claimable in the same walk.
   */
  claimSlots(
    tx: Tx,
    options: {
      free: number;
      ahead: number;
      excludeIds?: ReadonlySet<number>;
      alongside?: string;
      acceptSend?: (candidate: { infno: string; state: OutboxState }) => boolean;
      acceptAhead?: (candidate: { infno: string; state: OutboxState }) => boolean;
      /**
       * Items the caller queued in this same transaction, as `enqueue` returned them: a claim of one of them takes
       * its input and envelope from here instead of reading them back (a 2301 batch's input is 20 KB, deflated).
       */
      queued?: readonly OutboxItem[];
    },
  ): { send: Claim[]; ready: Claim[] } {
    assertInTransaction(tx);
    const free = Math.max(0, options.free);
    const limit = free + Math.max(0, options.ahead);
    if (limit <= 0) return { send: [], ready: [] };
    const now = tx.now.getTime();
    const picked = this.pickCandidates(now, free, limit, options);
    const queued = options.queued && options.queued.length > 0 ? new Map(options.queued.map((i) => [i.id, i])) : null;
    // Claimed once the walk is over (no statement may run while its cursor is open), in queue order.
    const send: Claim[] = [];
    const ready: Claim[] = [];
    for (const p of picked) (p.into === 'send' ? send : ready).push(this.claim(p.id, now, queued?.get(p.id)));
    return { send, ready };
  }

  /**
   * The claim pass's walk: the open items in queue order, once. The first open item of a visit is its head; a
   * later one is a candidate only while every item before it in its visit is of the `alongside` infno and in
   * flight (or claimed by this walk). A filter (`acceptSend`, `acceptAhead`) skips some candidates: the walk goes
   * on only a little past them (CLAIM_LOOKAHEAD): passing the heads a claim ahead never takes (the 2401 of stays
   * not started, reversible) would walk the whole queue. What the walk passes costs one index step and one row
   * each: no probe of the visit's earlier items per row (the NOT EXISTS query this replaced paid one for each
   * item queued behind a stay in flight, and ran again after each claimed batch of a run).
   */
  private pickCandidates(
    now: number,
    free: number,
    limit: number,
    options: {
      excludeIds?: ReadonlySet<number>;
      alongside?: string;
      acceptSend?: (candidate: { infno: string; state: OutboxState }) => boolean;
      acceptAhead?: (candidate: { infno: string; state: OutboxState }) => boolean;
    },
  ): Array<{ id: number; into: 'send' | 'ready' }> {
    const filtered = options.acceptSend || (limit > free && options.acceptAhead);
    const skipsAllowed = (options.excludeIds?.size ?? 0) + (filtered ? CLAIM_LOOKAHEAD : 0);
    const alongside = options.alongside ?? null;
    // Per visit seen: whether its next open item may still go (every earlier one is an `alongside` item in flight).
    const runOpen = new Map<string, boolean>();
    const picked: Array<{ id: number; into: 'send' | 'ready' }> = [];
    let skipped = 0;
    let sends = 0;
    for (const [id, visitKey, infno, state, due] of this.s.openInOrder.iterate()) {
      const open = runOpen.get(visitKey);
      if (open === false) continue;
      const head = open === undefined;
      let inFlight = state === 'in-flight';
      const candidate = (state === 'pending' || state === 'unknown-outcome') && due <= now && (head || (state === 'pending' && infno === alongside));
      if (candidate) {
        const into = sends < free ? 'send' : 'ready';
        const accept = into === 'send' ? options.acceptSend : options.acceptAhead;
        if (options.excludeIds?.has(id) || (accept && !accept({ infno, state }))) {
          skipped++;
        } else {
          picked.push({ id, into });
          if (into === 'send') sends++;
          inFlight = state === 'pending';
        }
      }
      if (picked.length >= limit || skipped > skipsAllowed) break;
      runOpen.set(visitKey, alongside !== null && infno === alongside && inFlight);
    }
    return picked;
  }

  /** One candidate in flight (or reversing), with its attempt row; `queued`: the item as this transaction queued it. */
  private claim(id: number, now: number, queued?: OutboxItem): Claim {
    // An item queued in this transaction goes out with the input as given: its payloads are not read.
    const row = queued ? this.s.claimRow.get({ id, now }) : this.s.claimRowWithInput.get({ id, now });
    if (!row) throw new Error(`outbox item ${id} is no longer claimable`);
    const action = row.state === 'in-flight' ? 'send' : 'reverse';
    // A reversal attempt is recorded under the 2601 msgid once known, until then under the msgid it reverses.
    const msgid = action === 'send' ? row.msgid : (row.reversal_msgid ?? row.msgid);
    const attempt = this.s.openAttempt.run(row.id, action === 'send' ? row.infno : '2601', msgid, now);
    // The row as just written, with the input it goes out with: as queued in this transaction, or read. A
    // claimed item has no output: only a done item, or one held for a person with its answer, has one.
    const attemptId = Number(attempt.lastInsertRowid);
    if (queued) return { item: { ...stateOf(row), input: queued.input, envelope: queued.envelope, output: null }, attemptId, action, msgid };
    const payload = row as Row & { input_json: StoredPayload | null; envelope_json: string | null };
    // The input's text is kept with the claim: the relay sends it as it is (placeholders resolved in the text).
    const inputJson = payload.input_json === null ? null : unpackPayload(payload.input_json);
    const item = toItem({ ...row, input_json: inputJson, envelope_json: payload.envelope_json, output_json: null });
    return inputJson === null ? { item, attemptId, action, msgid } : { item, attemptId, action, msgid, inputJson };
  }

  /**
   * A send claim that was never sent (the relay stopped, or the platform went offline, before a slot was free
   * for it): the item is pending again under the same msgid, as before the claim, and the attempt that never
   * started is removed. Only for a claim of a pending item, before its request was handed to the client.
   */
  release(tx: Tx, claim: Claim): void {
    assertInTransaction(tx);
    if (claim.action !== 'send') throw new Error(`outbox: only a send claim can be released (item ${claim.item.id} is ${claim.action})`);
    this.s.dropAttempt.run(claim.attemptId, claim.item.id);
    this.s.unclaim.run({ id: claim.item.id, now: tx.now.getTime() });
  }

  /** The platform client told us the msgid of the 2601 it sends for this item. */
  noteReversalMsgid(tx: Tx, claim: Claim, reversalMsgid: string): void {
    assertInTransaction(tx);
    this.db.prepare('UPDATE outbox SET reversal_msgid = ? WHERE id = ?').run(reversalMsgid, claim.item.id);
    this.db.prepare('UPDATE outbox_attempts SET msgid = ? WHERE id = ?').run(reversalMsgid, claim.attemptId);
  }

  /**
   * The platform accepted the item: done, with its output. Returns the item as just written, without reading it back:
   * the claim's row (nobody but its relay changes an item in flight) with what the `done` statement sets.
   */
  complete(tx: Tx, claim: Claim, output: unknown): OutboxItem {
    assertInTransaction(tx);
    const now = tx.now.getTime();
    this.s.closeAttempt.run(now, 'ok', null, claim.attemptId);
    this.s.done.run(now, now, claim.item.id);
    this.s.setOutput.run(claim.item.id, packPayload(JSON.stringify(output ?? null)));
    return { ...claim.item, state: 'done', lastError: null, lastErrorKind: null, doneAt: now, updatedAt: now, output: output ?? null };
  }

  /**
   * Not done yet: try again at `nextAttemptAt`. `state` is pending (resend under the same msgid) or
   * unknown-outcome (reverse first).
   */
  retryLater(tx: Tx, claim: Claim, r: { state: 'pending' | 'unknown-outcome'; kind: ErrorKind; error: string; nextAttemptAt: number; attemptOutcome?: 'unknown' }): void {
    assertInTransaction(tx);
    const now = tx.now.getTime();
    const outcome = r.attemptOutcome ?? (r.kind === 'unresolvable' || r.kind === 'interrupted' ? 'interrupted' : r.kind);
    this.s.closeAttempt.run(now, outcome, r.error, claim.attemptId);
    this.s.retryLater.run({ id: claim.item.id, state: r.state, next: r.nextAttemptAt, error: r.error, kind: r.kind, now });
  }

  /** A business refusal (or an input that cannot be completed): waits for an operator. */
  deadLetter(tx: Tx, claim: Claim, r: { reason: 'refused' | 'reversal-refused' | 'unresolvable'; error: string }): void {
    assertInTransaction(tx);
    const now = tx.now.getTime();
    const outcome = r.reason === 'unresolvable' ? 'interrupted' : 'refused';
    this.s.closeAttempt.run(now, outcome, r.error, claim.attemptId);
    this.s.dead.run({ id: claim.item.id, reason: r.reason, error: r.error, kind: r.reason === 'unresolvable' ? 'unresolvable' : 'refused', now });
  }

  /**
   * The platform accepted the item (infcode 0) but its output could not be read or written back: the attempt
   * is closed as ok (it took effect), the output is kept as it came, and the item waits for a person. It is
   * never "done": nothing of it reached the stay.
   */
  holdInvalidOutput(tx: Tx, claim: Claim, r: { error: string; output: unknown }): void {
    assertInTransaction(tx);
    const now = tx.now.getTime();
    this.s.closeAttempt.run(now, 'ok', `accepted; output not usable: ${r.error}`, claim.attemptId);
    this.s.hold.run({ id: claim.item.id, reason: 'output-invalid', error: r.error, now });
    this.s.setOutput.run(claim.item.id, packPayload(storableJson(r.output)));
  }

  /**
   * The 2601 reversal of the item's last attempt is definite: the item goes again, under a new msgid, at
   * `nextAttemptAt` (the relay paces reversals), or waits for a person when `holdReason` says so. After a
   * reverse claim the claim's attempt was the 2601; after a send whose unknown outcome the client reversed at
   * once, the send attempt is closed as unknown and the client's 2601 is recorded as an attempt of its own.
   */
  reversed(tx: Tx, claim: Claim, r: { newMsgid: string; reversalMsgid: string | null; nextAttemptAt: number; holdReason?: string }): void {
    assertInTransaction(tx);
    const { newMsgid, reversalMsgid } = r;
    const now = tx.now.getTime();
    if (claim.action === 'send') {
      this.s.closeAttempt.run(now, 'unknown', 'outcome unknown; reversed by the client at once', claim.attemptId);
      const a = this.s.openAttempt.run(claim.item.id, '2601', reversalMsgid ?? claim.item.msgid, now);
      this.s.closeAttempt.run(now, 'ok', `reversed ${claim.item.msgid}`, Number(a.lastInsertRowid));
    } else {
      this.s.closeAttempt.run(now, 'ok', `reversed ${claim.item.msgid}`, claim.attemptId);
    }
    this.s.reversed.run({ id: claim.item.id, msgid: newMsgid, now, next: r.nextAttemptAt, note: `已冲正原报文 ${claim.item.msgid}，以新报文重发` });
    if (r.holdReason !== undefined) {
      // The item's reversal cap: it has no effect on the platform now, and waits for a person instead of going again.
      this.s.hold.run({ id: claim.item.id, reason: 'reversal-cap', error: r.holdReason, now });
      this.s.dropOutput.run(claim.item.id);
    }
  }

  /**
   * After a crash: items left in-flight or reversing by a relay that is gone. An in-flight item whose
   * transaction is reversible cannot be resent blindly (it may have taken effect and the real platform is not
   * idempotent per msgid): it becomes unknown-outcome. Any other in-flight item is resent under the same msgid.
   * A reversing item repeats its 2601 under the same reversal msgid.
   */
  recoverInterrupted(tx: Tx, isReversible: (infno: string) => boolean): OutboxItem[] {
    assertInTransaction(tx);
    const now = tx.now.getTime();
    const rows = this.s.interrupted.all(); // id, infno and state only: each item is read once, as left below
    for (const row of rows) {
      this.s.closeOpenAttempts.run(now, row.id);
      const unknown = row.state === 'reversing' || isReversible(row.infno);
      this.s.retryLater.run({
        id: row.id,
        state: unknown ? 'unknown-outcome' : 'pending',
        next: now,
        error: '终端在发送过程中中断',
        kind: 'interrupted',
        now,
      });
    }
    return rows.map((r) => this.mustGet(r.id));
  }

  /** The platform is reachable again: items waiting only because it was not are due now. */
  wakeOffline(tx: Tx): number {
    assertInTransaction(tx);
    return this.s.wakeOffline.run({ now: tx.now.getTime() }).changes;
  }

  /**
   * Operator retry of a dead item: a fresh attempt under a new msgid (the old one was refused, reversed, or never
   * sent). An item whose output was invalid took effect on the platform: a reversible one is reversed (2601)
   * first and then goes fresh; any other is asked again under its own msgid (the platform answers a repeated
   * msgid from its memory).
   */
  retryDead(tx: Tx, id: number, newMsgid: string, isReversible: (infno: string) => boolean): OutboxItem {
    assertInTransaction(tx);
    const item = this.mustGet(id);
    if (item.state !== 'dead') throw new OutboxStateError(item, 'retry');
    const now = tx.now.getTime();
    if (item.deadReason === 'output-invalid') {
      const state = isReversible(item.infno) ? 'unknown-outcome' : 'pending';
      this.db
        .prepare(`UPDATE outbox SET state = ?, dead_reason = NULL, attempts = 0, reversals = 0, next_attempt_at = ?, updated_at = ? WHERE id = ?`)
        .run(state, now, now, id);
      this.s.dropOutput.run(id);
    } else if (item.deadReason === 'reversal-refused') {
      // The reversal itself was refused: try the reversal again (new 2601 msgid), never the item first.
      this.db
        .prepare(`UPDATE outbox SET state = 'unknown-outcome', dead_reason = NULL, reversal_msgid = NULL, attempts = 0, next_attempt_at = ?, updated_at = ? WHERE id = ?`)
        .run(now, now, id);
    } else {
      this.db
        .prepare(`UPDATE outbox SET state = 'pending', dead_reason = NULL, msgid = ?, attempts = 0, reversals = 0, next_attempt_at = ?, updated_at = ? WHERE id = ?`)
        .run(newMsgid, now, now, id);
    }
    return this.mustGet(id);
  }

  /** Operator edit of a dead item's input; it goes again under a new msgid. */
  editDead(tx: Tx, id: number, input: unknown, newMsgid: string): OutboxItem {
    assertInTransaction(tx);
    const item = this.mustGet(id);
    if (item.state !== 'dead' || item.deadReason === 'reversal-refused') throw new OutboxStateError(item, 'edit');
    const now = tx.now.getTime();
    this.db
      .prepare(
        `UPDATE outbox SET state = 'pending', dead_reason = NULL, psn_no = coalesce(?, psn_no), msgid = ?, attempts = 0, next_attempt_at = ?, updated_at = ? WHERE id = ?`,
      )
      .run(findPsnNo(input), newMsgid, now, now, id);
    this.db.prepare('UPDATE outbox_inputs SET input_json = ? WHERE outbox_id = ?').run(packPayload(JSON.stringify(input)), id);
    return this.mustGet(id);
  }

  /**
   * Operator cancel: the item and `alsoIds` (later items of the visit that cannot go without it) become
   * cancelled. Only pending or dead items: an item in flight or whose outcome is unknown may have taken
   * effect on the platform and must be resolved first.
   */
  cancel(tx: Tx, id: number, options: { reason: string; alsoIds?: readonly number[] }): OutboxItem[] {
    assertInTransaction(tx);
    const targets = [id, ...(options.alsoIds ?? [])].map((i) => this.mustGet(i));
    for (const t of targets) {
      if (t.state !== 'pending' && t.state !== 'dead') throw new OutboxStateError(t, 'cancel');
      // Accepted by the platform: cancelling here would leave it in effect there. Retry reverses it first.
      if (t.deadReason === 'output-invalid') throw new OutboxStateError(t, 'cancel');
    }
    const now = tx.now.getTime();
    const stmt = this.db.prepare(`UPDATE outbox SET state = 'cancelled', last_error = ?, updated_at = ?, done_at = ? WHERE id = ?`);
    for (const t of targets) stmt.run(t.id === id ? options.reason : `随 #${id} 取消：${options.reason}`, now, now, t.id);
    return targets.map((t) => this.mustGet(t.id));
  }

  /** Open items of the visit after `afterId`, in order. */
  laterOpen(visitKey: string, afterId: number): OutboxItem[] {
    return this.s.laterOpenOfVisit.all(visitKey, afterId).map(toItem);
  }

  /** The ids of the visit's open items after `afterId`, in order (nothing of the items is read). */
  laterOpenIds(visitKey: string, afterId: number): number[] {
    return this.s.laterOpenIdsOfVisit.all(visitKey, afterId).map((r) => r.id);
  }

  /** Depth (open items), age of the oldest, dead letters, the earliest next attempt. */
  status(now: Date): QueueStatusSummary {
    const byState = { pending: 0, 'in-flight': 0, 'unknown-outcome': 0, reversing: 0, dead: 0, done: 0, cancelled: 0 } as Record<OutboxState, number>;
    for (const r of this.s.countByState.all()) byState[r.state] = r.n;
    const depth = OPEN_STATES.reduce((n, s) => n + byState[s], 0);
    const oldest = this.s.oldestOpen.get();
    return {
      depth,
      oldestAgeSeconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.created_at) / 1000)) : null,
      deadLetters: byState.dead,
      unknownOutcomes: byState['unknown-outcome'] + byState.reversing,
      byState,
      nextAttemptAt: this.s.nextDue.get()?.at ?? null,
    };
  }

  /** When the next claimable item falls due (for the relay's sleep), or null when nothing waits. */
  nextDueAt(): number | null {
    return this.s.nextDue.get()?.at ?? null;
  }
}

export class OutboxStateError extends Error {
  readonly item: OutboxItem;
  constructor(item: OutboxItem, action: string) {
    super(`outbox item ${item.id} is ${item.state}${item.deadReason ? ` (${item.deadReason})` : ''}: cannot ${action}`);
    this.name = 'OutboxStateError';
    this.item = item;
  }
}

interface AttemptRow {
  id: number;
  outbox_id: number;
  infno: string;
  msgid: string;
  started_at: number;
  finished_at: number | null;
  outcome: 'ok' | 'refused' | 'offline' | 'unknown' | 'interrupted' | null;
  detail: string | null;
}

export interface Attempt {
  id: number;
  infno: string;
  msgid: string;
  startedAt: number;
  finishedAt: number | null;
  outcome: AttemptRow['outcome'];
  detail: string | null;
}

/** JSON of a platform output for the record; an output that cannot be serialised is kept as a note of why. */
function storableJson(output: unknown): string {
  try {
    return JSON.stringify(output ?? null);
  } catch (err) {
    return JSON.stringify({ unserialisable: err instanceof Error ? err.message : String(err) });
  }
}

function toItem(row: ItemRow): OutboxItem {
  // Every item has its input row from enqueue on; one without is damage, not an item with no input.
  if (row.input_json === null || row.envelope_json === null) throw new Error(`outbox item ${row.id} has no input row (outbox_inputs)`);
  return {
    ...stateOf(row),
    input: JSON.parse(unpackPayload(row.input_json)) as unknown,
    envelope: JSON.parse(row.envelope_json) as OutboxEnvelope,
    output: row.output_json === null ? null : (JSON.parse(unpackPayload(row.output_json)) as unknown),
  };
}

function stateOf(row: Row): OutboxItemState {
  return {
    id: row.id,
    visitKey: row.visit_key,
    infno: row.infno,
    msgid: row.msgid,
    psnNo: row.psn_no,
    state: row.state,
    deadReason: row.dead_reason,
    reversalMsgid: row.reversal_msgid,
    attempts: row.attempts,
    reversals: row.reversals,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    lastErrorKind: row.last_error_kind,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    doneAt: row.done_at,
  };
}

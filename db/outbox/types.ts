/**
 * Life of an outbox item (services/sync/relay.ts drives it; docs/store.md draws it):
 *
 *   pending ──claim──► in-flight ──ok──────────────► done
 *      ▲                  │ ├──refused (infcode -1)─► dead ──operator: retry/edit──► pending
 *      │                  │ │                          └──operator: cancel────────► cancelled
 *      ├──offline / unknown outcome of a non-reversible txn (same msgid again)
 *      │                  └──unknown outcome of a reversible txn (2401, 2304, 2305…)
 *      │                          ▼
 *      │                unknown-outcome ──claim──► reversing (2601 omsgid = the item's msgid)
 *      │                          ▲                   │ ├──2601 not definite──► unknown-outcome
 *      └──2601 definite: a NEW msgid, after a paced wait┘ └──2601 refused──► dead (reversal-refused)
 *                                  └──the item's reversal cap reached──► dead (reversal-cap)
 *   in-flight ──ok, but the output breaks its schema or cannot be written back──► dead (output-invalid)
 */
export type OutboxState = 'pending' | 'in-flight' | 'unknown-outcome' | 'reversing' | 'dead' | 'done' | 'cancelled';

/** Items still to do, or waiting for a person: they count in the queue depth. */
export const OPEN_STATES: readonly OutboxState[] = ['pending', 'in-flight', 'unknown-outcome', 'reversing', 'dead'];

/**
 * Why a dead item waits for a person: refused (infcode -1), reversal-refused (the 2601 itself was refused),
 * unresolvable (a placeholder's source never came), reversal-cap (sent and reversed too many times without a
 * trustworthy answer), output-invalid (accepted, infcode 0, but its output could not be read or written back).
 */
export type DeadReason = 'refused' | 'reversal-refused' | 'unresolvable' | 'reversal-cap' | 'output-invalid';
export type ErrorKind = 'offline' | 'unknown' | 'refused' | 'unresolvable' | 'interrupted';

/** Envelope fields that belong to the item rather than to the terminal (the client fills in the rest). */
export interface OutboxEnvelope {
  insuplc_admdvs?: string;
  opter?: string;
  opter_name?: string;
  /** 1 经办人 (staff), 2 自助终端 (self-service). */
  opter_type?: '1' | '2' | '3';
}

export interface EnqueueRequest {
  /** Items with the same key are sent strictly one after the other, in enqueue order (the local ipt_no). */
  visitKey: string;
  infno: string;
  /** The transaction's `input` node. May hold placeholders (placeholders.ts) resolved when it is sent. */
  input: unknown;
  /**
   * The idempotency key of every resend of this attempt. Omitted (the usual case): the outbox draws it from the
   * store's msgid sequence, and the new row is its record (no write of the sequence's row). Given: from the
   * sequence's `next`, when the caller needs it before the item exists (a settlement row keyed by it).
   */
  msgid?: string;
  /** Needed for a 2601 reversal and for the envelope's insuplc_admdvs rule; found in `input` when omitted. */
  psnNo?: string | null;
  envelope?: OutboxEnvelope;
}

export interface OutboxItem {
  id: number;
  visitKey: string;
  infno: string;
  input: unknown;
  msgid: string;
  psnNo: string | null;
  envelope: OutboxEnvelope;
  state: OutboxState;
  deadReason: DeadReason | null;
  reversalMsgid: string | null;
  attempts: number;
  /** Definite 2601 reversals of this item since it was enqueued or an operator last retried it. */
  reversals: number;
  nextAttemptAt: number;
  lastError: string | null;
  lastErrorKind: ErrorKind | null;
  output: unknown;
  createdAt: number;
  updatedAt: number;
  doneAt: number | null;
}

/** An item without its payloads (input, envelope, output): where it stands, read without the 20 KB of a 2301 batch. */
export type OutboxItemState = Omit<OutboxItem, 'input' | 'envelope' | 'output'>;

/** What the relay got from one claim: send the item (msgid) or reverse its last attempt (2601). */
export interface Claim {
  item: OutboxItem;
  attemptId: number;
  action: 'send' | 'reverse';
  /** The msgid this attempt goes out under: the item's msgid; for a reversal, the msgid being reversed. */
  msgid: string;
  /**
   * The item's input as the outbox keeps it (JSON text, placeholders unresolved), when the claim read it from the
   * row: the relay resolves and sends this text rather than walking `item.input` and serialising it again.
   */
  inputJson?: string;
}

export interface QueueStatusSummary {
  depth: number;
  oldestAgeSeconds: number | null;
  deadLetters: number;
  unknownOutcomes: number;
  byState: Record<OutboxState, number>;
  nextAttemptAt: number | null;
}

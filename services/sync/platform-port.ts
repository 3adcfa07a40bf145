import type { OutboxEnvelope } from '../../db/outbox/types.ts';

/**
 * What the relay needs from the platform. In the terminal it is the national-interface client
 * (client-port.ts); unit tests inject a simulated platform. Keeping the relay on this narrow port is what lets
 * its state machine be tested without a network, and the real thing be tested against the real sandbox.
 */
export interface PortRequest {
  infno: string;
  /** The idempotency key: the same msgid on every resend of one attempt. */
  msgid: string;
  /** The `input` node, placeholders already resolved. */
  input: unknown;
  /**
   * The same input as JSON text, when the relay has it (the outbox keeps inputs as text): a port may send this as it
   * is; `input` is then parsed from it only when read.
   */
  inputJson?: string;
  visitKey: string;
  psnNo: string | null;
  envelope: OutboxEnvelope;
}

export type ReversalOutcome =
  /** The platform answered the 2601: the original certainly has no effect now. */
  | { status: 'reversed'; reversalMsgid: string | null }
  /**
   * Not definite yet (no answer, or not sent): try again later. `offline`: the 2601 found no connection to the
   * platform, so the relay waits for the platform to come back (its probe) and reverses the moment it does,
   * instead of after the item's growing backoff.
   */
  | { status: 'pending'; reversalMsgid: string | null; error: string; offline: boolean }
  /** The platform refused the 2601 itself: a person has to look (3202 lists what the platform settled). */
  | { status: 'refused'; reversalMsgid: string | null; error: string };

export interface PlatformPort {
  /** Sends one transaction; resolves with its `output`, rejects with a PlatformFailure. */
  send(request: PortRequest): Promise<unknown>;
  /**
   * Makes sure the attempt `request.msgid` of a reversible transaction has no effect: 2601 with
   * omsgid = request.msgid, under a 2601 msgid kept across retries. Never throws for platform failures.
   */
  reverse(request: PortRequest): Promise<ReversalOutcome>;
  /** A cheap request that tells whether the platform is reachable now. */
  probe(): Promise<boolean>;
}

/**
 * Why a send did not succeed, by what it means for the item:
 * - offline: not sent (connection refused, no route): nothing happened, send again later, same msgid;
 * - blocked: not sent because the client holds the visit for a pending 2601: later, same msgid;
 * - unknown: sent, no trustworthy answer: it may have taken effect (`reversal` says what the client did
 *   about it for a reversible transaction);
 * - refused: infcode -1, a business refusal: certainly not applied; a dead letter for an operator;
 * - invalid: the request breaks an interface rule before sending: a dead letter too.
 */
export type FailureKind = 'offline' | 'blocked' | 'unknown' | 'refused' | 'invalid';

export type ReversalState = 'reversed' | 'pending' | 'pending-offline';

export class PlatformFailure extends Error {
  readonly kind: FailureKind;
  /**
   * For an unknown outcome of a reversible transaction: whether the 2601 was already answered; `pending-offline`:
   * not yet, and it found no connection to the platform (the relay then waits for the platform as offline).
   */
  readonly reversal: ReversalState | null;
  /** The msgid of the 2601 the client sent for it, when known. */
  readonly reversalMsgid: string | null;
  /** The platform's err_msg for a refusal (Chinese), or a short English reason. */
  readonly detail: string;
  constructor(kind: FailureKind, detail: string, options: { reversal?: ReversalState | null; reversalMsgid?: string | null; cause?: unknown } = {}) {
    super(`${kind}: ${detail}`, { cause: options.cause });
    this.name = 'PlatformFailure';
    this.kind = kind;
    this.detail = detail;
    this.reversal = options.reversal ?? null;
    this.reversalMsgid = options.reversalMsgid ?? null;
  }
}

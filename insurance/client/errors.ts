/**
 * Typed failures of a platform call. Each class has a stable `kind` and says whether the transaction may
 * have taken effect on the platform (`outcome`):
 *
 * - `not-applied`: the platform certainly did not apply it (never sent, rejected at the HTTP layer, or a
 *   business refusal), so the caller may try again freely.
 * - `unknown`: the request left this machine and no trustworthy answer came back. A reversible transaction
 *   (2401, 2304, 2305, 2207, 2208) is then reversed with 2601 by the client before anything else is tried
 *   for its visit; `reversal` tells how far that got. Other transactions are replayed under the SAME msgid.
 *
 * HTTP 5xx is `unknown`: a gateway (CSB) answers 502/504 when the platform behind it did not answer in time,
 * and a 500 can come after a commit, so no 5xx proves that nothing happened. Other non-2xx statuses (a
 * 4xx from the gateway: bad credentials, wrong path) mean the request was turned away before any business
 * logic ran: `not-applied`.
 */
export type PlatformErrorKind =
  | 'unreachable'
  | 'timeout'
  | 'connection-lost'
  | 'http-status'
  | 'bad-response'
  | 'refused'
  | 'reversal-pending'
  | 'invalid-request'
  | 'fee-upload-incomplete';

export type PlatformOutcome = 'not-applied' | 'unknown';

/** What the client did about an unknown outcome: reversed it (2601 answered), or journaled it for retry. */
export type ReversalStatus = 'reversed' | 'pending';

export interface CallContext {
  infno: string;
  /** null when the failure happened before a msgid was taken. */
  msgid: string | null;
}

export abstract class PlatformError extends Error {
  abstract readonly kind: PlatformErrorKind;
  abstract readonly outcome: PlatformOutcome;
  readonly infno: string;
  readonly msgid: string | null;
  /** Set by the client on a reversible transaction whose outcome was unknown (or refused, see config). */
  reversal: ReversalStatus | null = null;

  constructor(context: CallContext, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.infno = context.infno;
    this.msgid = context.msgid;
  }
}

/** Not sent: connection refused, no route, DNS failure, or no connection within the connect timeout. */
export class PlatformUnreachableError extends PlatformError {
  readonly kind = 'unreachable' as const;
  readonly outcome = 'not-applied' as const;
  /** The system error code when there was one (ECONNREFUSED, ENOTFOUND, …), 'CONNECT_TIMEOUT' otherwise. */
  readonly code: string;
  constructor(context: CallContext, code: string, options?: { cause?: unknown }) {
    super(context, `platform unreachable (${code}) for ${context.infno}`, options);
    this.code = code;
  }
}

/** Sent, and no complete answer within the transaction's timeout. */
export class PlatformTimeoutError extends PlatformError {
  readonly kind = 'timeout' as const;
  readonly outcome = 'unknown' as const;
  readonly timeoutMs: number;
  constructor(context: CallContext, timeoutMs: number) {
    super(context, `no answer to ${context.infno} ${context.msgid ?? ''} within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** Sent, and the connection was reset or closed before a complete answer. */
export class PlatformConnectionLostError extends PlatformError {
  readonly kind = 'connection-lost' as const;
  readonly outcome = 'unknown' as const;
  readonly code: string;
  constructor(context: CallContext, code: string, options?: { cause?: unknown }) {
    super(context, `connection lost (${code}) during ${context.infno} ${context.msgid ?? ''}`, options);
    this.code = code;
  }
}

/** An HTTP status other than 2xx. 5xx: outcome unknown; anything else: turned away, not applied. */
export class PlatformHttpStatusError extends PlatformError {
  readonly kind = 'http-status' as const;
  readonly status: number;
  readonly outcome: PlatformOutcome;
  constructor(context: CallContext, status: number) {
    super(context, `HTTP ${status} for ${context.infno} ${context.msgid ?? ''}`);
    this.status = status;
    this.outcome = status >= 500 ? 'unknown' : 'not-applied';
  }
}

/**
 * A 2xx answer that is not a valid envelope, or whose output does not have the transaction's shape. The
 * platform may have committed before producing it, so the outcome is unknown.
 */
export class PlatformBadResponseError extends PlatformError {
  readonly kind = 'bad-response' as const;
  readonly outcome = 'unknown' as const;
  /** What was wrong, in English, for logs. Never contains the body (it may carry personal data). */
  readonly detail: string;
  constructor(context: CallContext, detail: string, options?: { cause?: unknown }) {
    super(context, `bad response to ${context.infno} ${context.msgid ?? ''}: ${detail}`, options);
    this.detail = detail;
  }
}

/** infcode ≠ 0 (the interface's -1 失败): a definite business refusal with the platform's err_msg. */
export class PlatformRefusedError extends PlatformError {
  readonly kind = 'refused' as const;
  readonly outcome = 'not-applied' as const;
  readonly infcode: number;
  /** The platform's err_msg, cleaned of control characters and cut to 200 characters; may be empty. */
  readonly errMsg: string;
  constructor(context: CallContext, infcode: number, errMsg: string) {
    super(context, `${context.infno} refused (infcode ${infcode}): ${errMsg}`);
    this.infcode = infcode;
    this.errMsg = errMsg;
  }
}

/** Not sent: an earlier reversible transaction of this visit has an unknown outcome and its 2601 is not done. */
export class ReversalPendingError extends PlatformError {
  readonly kind = 'reversal-pending' as const;
  readonly outcome = 'not-applied' as const;
  readonly visitKey: string;
  /** The msgids still being reversed, how their last 2601 ended (refused: a person must look) and why. */
  readonly pending: { omsgid: string; oinfno: string; lastOutcome: 'refused' | 'failed' | null; lastError: string | null }[];
  constructor(context: CallContext, visitKey: string, pending: ReversalPendingError['pending']) {
    super(context, `${context.infno} not sent: ${pending.length} reversal(s) pending for visit ${visitKey}`);
    this.visitKey = visitKey;
    this.pending = pending;
  }
}

/** Not sent: the request breaks an interface rule (missing insuplc_admdvs, a duplicate feedetl_sn, …). */
export class PlatformRequestError extends PlatformError {
  readonly kind = 'invalid-request' as const;
  readonly outcome = 'not-applied' as const;
  constructor(context: CallContext, message: string) {
    super(context, message);
  }
}

/**
 * 2301 in batches stopped at a failed batch. The batches before it were uploaded (their results are here);
 * the failed one has `failedMsgid` (replay it under that msgid when its outcome is unknown); the rest were
 * not sent.
 */
export class FeeUploadIncompleteError<Line = unknown> extends PlatformError {
  readonly kind = 'fee-upload-incomplete' as const;
  readonly outcome: PlatformOutcome;
  /** The failure of the batch that stopped the upload. */
  readonly failure: PlatformError;
  /** Result lines of the batches that were uploaded before it. */
  readonly uploaded: readonly Line[];
  readonly totalCount: number;
  constructor(failure: PlatformError, uploaded: readonly Line[], totalCount: number) {
    super({ infno: failure.infno, msgid: failure.msgid }, `fee upload stopped after ${uploaded.length}/${totalCount} lines: ${failure.message}`, {
      cause: failure,
    });
    this.failure = failure;
    this.outcome = failure.outcome;
    this.uploaded = uploaded;
    this.totalCount = totalCount;
  }
  /** The msgid of the failed batch: replay that batch under it when the outcome is unknown. */
  get failedMsgid(): string | null {
    return this.failure.msgid;
  }
}

export function isPlatformError(e: unknown): e is PlatformError {
  return e instanceof PlatformError;
}

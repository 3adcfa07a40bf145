import { z } from 'zod';

/**
 * Stable error codes. Every error that reaches a screen carries one of these, a Chinese message for the
 * operator or patient, and guidance: what to do next. Codes are part of the API; never renumber or reuse.
 */
export const ErrorCode = z.enum([
  // transport and contract
  'INVALID_ARGUMENT', // arguments failed the contract schema (a compromised or buggy renderer)
  'UNAUTHORIZED', // wrong or missing per-launch token, or an IPC call from a foreign frame
  'UNKNOWN_METHOD',
  'INTERNAL', // a defect: logged with detail, shown without
  'NOT_AVAILABLE', // the feature is not present in this mode or configuration (e.g. demo panel outside demo)
  // readers and cards
  'READER_NOT_FOUND',
  'READER_LINK_ERROR',
  'CARD_ABSENT',
  'CARD_REMOVED', // pulled mid-read
  'CARD_MUTE',
  'CARD_BAD_ATR',
  'CARD_NOT_SSCARD', // no SSSE application: an old 市民卡
  'CARD_AUTH_FAILED',
  'CARD_READ_FAILED',
  'QR_INVALID',
  // platform
  'PLATFORM_OFFLINE', // transport failure: the request did not reach the platform
  'PLATFORM_OUTCOME_UNKNOWN', // timeout after sending: it may have committed; reversal (2601) pending
  'PLATFORM_REFUSED', // infcode -1: a business refusal with the platform's err_msg
  'NOT_SIGNED_IN', // staff mode without a 9001 sign-in
  // operator accounts (docs/security.md)
  'SIGN_IN_FAILED', // wrong password, unknown or disabled 工号: one answer, so nothing tells which 工号 exist
  'ACCOUNT_LOCKED', // too many failures: locked until a time (a supervisor or the CLI unlocks)
  'PASSWORD_CHANGE_REQUIRED', // first sign-in or a reset: the operator sets their own password first
  'PASSWORD_REJECTED', // a new password that does not follow the rule
  'FORBIDDEN', // the signed-in operator's roles do not allow this request
  'DESK_LOCKED', // the desk is locked at idle: the operator's password unlocks it
  'ACCOUNT_NOT_FOUND', // account administration: no account with that 工号
  'ACCOUNT_EXISTS', // account administration: the 工号 is taken
  'ACCOUNT_STATE', // account administration: the last supervisor, one's own account, or roles owned by the configuration
  // eligibility and workflow
  'PERSON_NOT_FOUND',
  'NOT_ELIGIBLE',
  'ADMISSION_NOT_FOUND',
  'ADMISSION_STATE', // the admission is not in a state that allows this action
  'FEE_LINE_INVALID',
  'SETTLEMENT_NEEDS_PLATFORM', // final settlement cannot be done offline
  'SETTLEMENT_NOT_FOUND',
  'SUPERVISOR_REQUIRED',
  'PIN_REQUIRED',
  'PIN_REFUSED', // the card said no for good (its PIN locked) or this terminal cannot check a PIN: the card's own words
  'SETTLEMENT_CHANGED', // the fees or deposits changed since the patient confirmed the pre-settlement: confirm again
  'PRINT_FAILED',
  'STORE_ERROR',
  'STORE_MISSING', // the store file is gone or empty where one existed (its marker says so): restore, never start afresh
  'STORE_CORRUPT', // PRAGMA quick_check or SQLite found damaged pages
  'STORE_OUTCOME_UNKNOWN', // a commit failed at the disk after it may have reached it (fsync/I/O error): being checked
  'QUEUE_ITEM_NOT_FOUND',
  'QUEUE_ITEM_STATE', // the queue item is in flight, done, or awaiting its 2601: the action is not possible now
  'CHARGES_MISSING', // a stay with no fee line in its bill: nothing to pre-settle or settle (no 2402 is sent)
  // payments (docs/payments.md)
  'PAYMENT_NOT_FOUND',
  'REFUND_NOT_FOUND',
  'REFUND_STATE',
  'PAYMENT_STATE', // the order is not in a state that allows this action (e.g. closing a paid order)
  'DEPOSIT_NOT_FOUND',
  'DEPOSIT_STATE', // the deposit cannot be voided (voided already, used in a settlement, refunded, through the gateway)
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const KioskErrorDto = z.object({
  code: ErrorCode,
  /** Chinese, for the person in front of the screen. */
  message: z.string(),
  /** Chinese, what to do next; may be empty. */
  guidance: z.array(z.string()),
});
export type KioskErrorDto = z.infer<typeof KioskErrorDto>;

/** The one error type that crosses the API. Services throw it; transports carry its DTO; clients rethrow it. */
export class KioskError extends Error {
  readonly code: ErrorCode;
  readonly guidance: string[];
  constructor(code: ErrorCode, message: string, guidance: string[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KioskError';
    this.code = code;
    this.guidance = guidance;
  }
  toDto(): KioskErrorDto {
    return { code: this.code, message: this.message, guidance: this.guidance };
  }
  static fromDto(dto: KioskErrorDto): KioskError {
    return new KioskError(dto.code, dto.message, dto.guidance);
  }
}

export function isKioskError(e: unknown): e is KioskError {
  return e instanceof KioskError;
}

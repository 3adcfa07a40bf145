/**
 * Failures of the card application, classified where the step is known (power-on, SELECT, a record, the PSAM
 * authentication). Mapped to KioskError codes at the manager boundary (drivers/kiosk-errors.ts).
 */
export type SscardErrorKind =
  | 'card-absent' // no card at power-on
  | 'card-removed' // the card went away during the read
  | 'card-mute' // the card does not answer
  | 'bad-atr' // the reader or the host rejected the ATR
  | 'not-sscard' // SELECT SSSE answered 6A82: no 社保 application (old 市民卡)
  | 'no-psam' // third-generation card and no PSAM in slot 1
  | 'auth-failed' // GET CHALLENGE / PSAM / EXTERNAL AUTHENTICATE did not succeed
  | 'bad-record' // a record that does not decode
  | 'unexpected-status'; // any other status word

export class SscardError extends Error {
  constructor(
    readonly kind: SscardErrorKind,
    message: string,
    readonly detail: { sw?: number; record?: string; triesLeft?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SscardError';
  }
}

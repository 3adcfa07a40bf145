import type { MaybePromise } from './maybe-promise.ts';

/** A 9001 sign-in: once per operator per China calendar day; every later transaction carries its sign_no. */
export interface SignInRecord {
  /** The operator's opter (staff number, or the terminal number for self-service). */
  opter: string;
  /** yyyy-MM-dd, China time. */
  day: string;
  sign_no: string;
  /** The platform's sign_time, yyyy-MM-dd HH:mm:ss. */
  sign_time: string;
}

/**
 * Where sign-ins are cached, so a restart the same day does not sign in again. The production store is
 * SQLite (db/); tests use the in-memory one.
 */
export interface SignInStore {
  get(opter: string, day: string): MaybePromise<SignInRecord | null | undefined>;
  put(record: SignInRecord): MaybePromise<void>;
  remove(opter: string, day: string): MaybePromise<void>;
}

export class InMemorySignInStore implements SignInStore {
  private readonly records = new Map<string, SignInRecord>();

  get(opter: string, day: string): SignInRecord | undefined {
    return this.records.get(`${opter}\u0000${day}`);
  }

  put(record: SignInRecord): void {
    this.records.set(`${record.opter}\u0000${record.day}`, { ...record });
  }

  remove(opter: string, day: string): void {
    this.records.delete(`${opter}\u0000${day}`);
  }

  /** Every cached sign-in (for tests and diagnostics). */
  all(): SignInRecord[] {
    return [...this.records.values()].map((r) => ({ ...r }));
  }
}

import type { SqliteDatabase } from './connection.ts';
import { dataVersionOf } from './data-version.ts';
import { OperatorRepository } from './repositories/operators.ts';

/** Shape of the platform client's SignInRecord (insurance/client/sign-in-store.ts). */
export interface SignInCacheRecord {
  opter: string;
  day: string;
  sign_no: string;
  sign_time: string;
}

/**
 * SQLite implementation of the client's SignInStore on the sign_ins table: a restart the same day reuses the
 * day's sign_no instead of signing in again. `remove` (after 9002) keeps the row as history, marked signed out.
 */
export class SqliteSignInCache {
  private readonly db: SqliteDatabase;
  private readonly operators: OperatorRepository;
  private readonly now: () => Date;
  private readonly dataVersion: () => number;
  /**
   * The last sign-in read, and the data_version it was read at: the client asks before every call (the relay's
   * drain: every operation), and the row changes only through `put`/`remove` here or by another process.
   */
  private last: { record: SignInCacheRecord; version: number } | null = null;

  constructor(db: SqliteDatabase, now: () => Date = () => new Date()) {
    this.db = db;
    this.operators = new OperatorRepository(db);
    this.now = now;
    this.dataVersion = dataVersionOf(db);
  }

  get(opter: string, day: string): SignInCacheRecord | null {
    const version = this.dataVersion();
    const last = this.last;
    if (last !== null && last.version === version && last.record.opter === opter && last.record.day === day) return { ...last.record };
    const s = this.operators.signIn(opter, day);
    if (!s || s.signedOutAt !== null) return null;
    const record = { opter: s.opterNo, day: s.signDay, sign_no: s.signNo, sign_time: s.signTime };
    // Not what a transaction read that may yet roll back.
    this.last = this.db.inTransaction ? null : { record: { ...record }, version };
    return record;
  }

  put(record: SignInCacheRecord): void {
    this.write(() => this.operators.recordSignIn({ db: this.db, now: this.now() }, { opterNo: record.opter, day: record.day, signNo: record.sign_no, signTime: record.sign_time }));
  }

  remove(opter: string, day: string): void {
    this.write(() => this.operators.recordSignOut({ db: this.db, now: this.now() }, opter, day));
  }

  private write(fn: () => void): void {
    this.last = null;
    if (this.db.inTransaction) fn();
    else this.db.transaction(fn).immediate();
  }
}

import type { SqliteDatabase } from './connection.ts';
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

  constructor(db: SqliteDatabase, now: () => Date = () => new Date()) {
    this.db = db;
    this.operators = new OperatorRepository(db);
    this.now = now;
  }

  get(opter: string, day: string): SignInCacheRecord | null {
    const s = this.operators.signIn(opter, day);
    if (!s || s.signedOutAt !== null) return null;
    return { opter: s.opterNo, day: s.signDay, sign_no: s.signNo, sign_time: s.signTime };
  }

  put(record: SignInCacheRecord): void {
    this.write(() => this.operators.recordSignIn({ db: this.db, now: this.now() }, { opterNo: record.opter, day: record.day, signNo: record.sign_no, signTime: record.sign_time }));
  }

  remove(opter: string, day: string): void {
    this.write(() => this.operators.recordSignOut({ db: this.db, now: this.now() }, opter, day));
  }

  private write(fn: () => void): void {
    if (this.db.inTransaction) fn();
    else this.db.transaction(fn).immediate();
  }
}

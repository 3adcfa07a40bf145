import type { SqliteDatabase } from '../connection.ts';
import { chinaDay } from '../../base/china-time.ts';
import { assertInTransaction, type Tx } from '../tx.ts';

export interface SignIn {
  opterNo: string;
  signDay: string;
  signNo: string;
  signTime: string;
  signedOutAt: number | null;
}

interface SignInRow {
  opter_no: string;
  sign_day: string;
  sign_no: string;
  sign_time: string;
  signed_out_at: number | null;
}

/** Staff (and the self-service terminal's own opter number) and their daily 9001 sign-ins. */
export class OperatorRepository {
  private readonly s;

  constructor(db: SqliteDatabase) {
    this.s = {
      upsertOperator: db.prepare(
        `INSERT INTO operators (opter_no, name, created_at) VALUES (?, ?, ?) ON CONFLICT (opter_no) DO UPDATE SET name = excluded.name`,
      ),
      getOperator: db.prepare<[string], { opter_no: string; name: string }>('SELECT opter_no, name FROM operators WHERE opter_no = ?'),
      insertSignIn: db.prepare(
        `INSERT INTO sign_ins (opter_no, sign_day, sign_no, sign_time, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (opter_no, sign_day) DO UPDATE SET sign_no = excluded.sign_no, sign_time = excluded.sign_time, signed_out_at = NULL`,
      ),
      getSignIn: db.prepare<[string, string], SignInRow>('SELECT * FROM sign_ins WHERE opter_no = ? AND sign_day = ?'),
      signOut: db.prepare('UPDATE sign_ins SET signed_out_at = ? WHERE opter_no = ? AND sign_day = ?'),
    };
  }

  saveOperator(tx: Tx, opterNo: string, name: string): void {
    assertInTransaction(tx);
    this.s.upsertOperator.run(opterNo, name, tx.now.getTime());
  }

  operator(opterNo: string): { opterNo: string; name: string } | null {
    const r = this.s.getOperator.get(opterNo);
    return r ? { opterNo: r.opter_no, name: r.name } : null;
  }

  /** Records the day's 9001 result; a second sign-in the same day replaces the first (and undoes a 9002). */
  recordSignIn(tx: Tx, s: { opterNo: string; name?: string; signNo: string; signTime: string; day?: string }): SignIn {
    assertInTransaction(tx);
    if (!this.s.getOperator.get(s.opterNo)) this.s.upsertOperator.run(s.opterNo, s.name ?? s.opterNo, tx.now.getTime());
    const day = s.day ?? chinaDay(tx.now);
    this.s.insertSignIn.run(s.opterNo, day, s.signNo, s.signTime, tx.now.getTime());
    return this.signIn(s.opterNo, day)!;
  }

  /** Today's sign-in of an operator (not signed out), or null. `day` is the China calendar day. */
  signIn(opterNo: string, day: string): SignIn | null {
    const r = this.s.getSignIn.get(opterNo, day);
    return r ? { opterNo: r.opter_no, signDay: r.sign_day, signNo: r.sign_no, signTime: r.sign_time, signedOutAt: r.signed_out_at } : null;
  }

  recordSignOut(tx: Tx, opterNo: string, day: string): boolean {
    assertInTransaction(tx);
    return this.s.signOut.run(tx.now.getTime(), opterNo, day).changes > 0;
  }
}

import type { StateDb } from './database.ts';

export interface SignIn {
  sign_no: string;
  opter_no: string;
  fixmedins_code: string;
  sign_time: string;
  signed_out_at: string | null;
}

/** 9001 签到 / 9002 签退 records; business transactions need a sign_no that is signed in. */
export class SignIns {
  private readonly insertStmt;
  private readonly getStmt;
  private readonly outStmt;

  constructor(db: StateDb) {
    this.insertStmt = db.prepare('INSERT INTO sign_ins (sign_no, opter_no, fixmedins_code, sign_time, signed_out_at) VALUES (?, ?, ?, ?, NULL)');
    this.getStmt = db.prepare<[string], SignIn>('SELECT * FROM sign_ins WHERE sign_no = ?');
    this.outStmt = db.prepare('UPDATE sign_ins SET signed_out_at = ? WHERE sign_no = ?');
  }

  create(s: { sign_no: string; opter_no: string; fixmedins_code: string; sign_time: string }): void {
    this.insertStmt.run(s.sign_no, s.opter_no, s.fixmedins_code, s.sign_time);
  }

  get(signNo: string): SignIn | undefined {
    return this.getStmt.get(signNo);
  }

  signOut(signNo: string, time: string): void {
    this.outStmt.run(time, signNo);
  }
}

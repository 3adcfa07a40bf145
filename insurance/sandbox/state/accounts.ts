import type { StateDb } from './database.ts';

/**
 * Personal account balances that changed since the fixtures (settlements, refunds, reversals, admin).
 * Absent = the fixture balance still holds.
 */
export class Accounts {
  private readonly getStmt;
  private readonly setStmt;

  constructor(db: StateDb) {
    this.getStmt = db.prepare<[string, string], { balc_fen: number }>('SELECT balc_fen FROM account_balances WHERE psn_no = ? AND insutype = ?');
    this.setStmt = db.prepare(
      'INSERT INTO account_balances (psn_no, insutype, balc_fen) VALUES (?, ?, ?) ON CONFLICT(psn_no, insutype) DO UPDATE SET balc_fen = excluded.balc_fen',
    );
  }

  get(psnNo: string, insutype: string): number | undefined {
    return this.getStmt.get(psnNo, insutype)?.balc_fen;
  }

  set(psnNo: string, insutype: string, balcFen: number): void {
    this.setStmt.run(psnNo, insutype, balcFen);
  }
}

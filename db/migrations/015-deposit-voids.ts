import type { Migration } from './migration.ts';

/**
 * 作废 of a mistaken cash or bank-card POS 预交金 (docs/payments.md, "Voiding a deposit collection"): a wrong
 * amount typed at the desk is corrected by a supervisor, with a reason, as a row of its own. The deposit row is
 * never changed or deleted (its seal still verifies); a void names it once (deposit_id UNIQUE: a second void of
 * the same deposit cannot be written, whoever asks). From then on the stay's deposits, its 预交金 and every
 * figure built on them leave the voided deposit out; the day-end counts the void on the day it was made, in
 * the drawer of the cashier who took the deposit.
 */
export const migration015: Migration = {
  version: 15,
  name: 'deposit voids',
  up(db) {
    db.exec(`
      CREATE TABLE deposit_voids (
        id INTEGER PRIMARY KEY,
        deposit_id INTEGER NOT NULL UNIQUE REFERENCES deposits(id),
        ipt_no TEXT NOT NULL REFERENCES admissions(ipt_no),
        amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
        reason TEXT NOT NULL,
        opter_no TEXT NOT NULL,
        voided_at INTEGER NOT NULL
      );
      CREATE INDEX deposit_voids_by_time ON deposit_voids(voided_at);
    `);
  },
};

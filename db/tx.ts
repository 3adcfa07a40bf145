import type { SqliteDatabase } from './connection.ts';

/**
 * Proof that the caller is inside a write transaction of the store. Repository methods that write take a Tx
 * as their first argument, so a domain change and its outbox row cannot be written in two transactions by
 * accident: `store.write((tx) => { admissions.create(tx, …); outbox.enqueue(tx, …); })`.
 */
export interface Tx {
  readonly db: SqliteDatabase;
  /** The store clock's time when the transaction began: every row written in it carries the same instant. */
  readonly now: Date;
}

export function assertInTransaction(tx: Tx): void {
  if (!tx.db.inTransaction) throw new Error('store write outside a transaction: use store.write((tx) => …)');
}

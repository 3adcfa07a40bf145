import type { SqliteDatabase } from './connection.ts';

/**
 * The connection's PRAGMA data_version, as a function: it changes whenever ANOTHER connection (another process —
 * the `kiosk` CLI, a second terminal) has committed to the file since, and never for this connection's own commits.
 * A reader that keeps what it read may reuse it while the value stands and every write of its table on this
 * connection goes through it (db/sign-in-cache.ts, db/reversal-journal.ts: read for every platform call).
 */
export function dataVersionOf(db: SqliteDatabase): () => number {
  const statement = db.prepare<[], number>('PRAGMA data_version').pluck();
  return () => statement.get() as number;
}

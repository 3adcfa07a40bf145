import type { SqliteDatabase } from '../connection.ts';

/**
 * One forward-only schema step. Files are never edited once released: a change is a new file with the next
 * version. `up` runs inside a transaction together with the version bump, with foreign keys off so that a
 * table can be rebuilt (SQLite's 12-step ALTER); the runner checks foreign keys before committing.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: SqliteDatabase): void;
}

import type { Migration } from './migration.ts';

/**
 * The audit log: append-only and hash-chained (db/audit/audit-log.ts). The triggers stop an UPDATE or DELETE
 * through SQLite; the chain detects one made by any other means (a triggers-dropped edit, a hex editor).
 * Rows never carry names or ID numbers, so retention never needs to touch them.
 */
export const migration004: Migration = {
  version: 4,
  name: 'hash-chained audit log',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        detail_json TEXT NOT NULL,
        prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
        hash TEXT NOT NULL CHECK (length(hash) = 64)
      );
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `);
  },
};

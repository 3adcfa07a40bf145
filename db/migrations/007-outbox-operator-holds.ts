import type { Migration } from './migration.ts';

/**
 * Two more reasons an item waits for a person, and a count of its reversals:
 * - `reversal-cap`: the item was sent and reversed (2601) this many times without a trustworthy answer (a
 *   gateway that answers a committed 2401 with an HTML 500, an empty body or a reset); the relay stops
 *   there instead of admitting and reversing the patient forever;
 * - `output-invalid`: the platform accepted it (infcode 0) but its output breaks the transaction's schema,
 *   so nothing could be written back; the output is kept for the person who looks.
 * SQLite cannot alter a CHECK constraint: the table is rebuilt (foreign keys are off during a migration).
 */
export const migration007: Migration = {
  version: 7,
  name: 'outbox operator holds: reversal cap, invalid output',
  up(db) {
    // AUTOINCREMENT promises ids are never reused: keep the counter even when the highest rows were purged.
    const seq = db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").get()?.seq ?? 0;
    db.exec(`
      CREATE TABLE outbox_new (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        visit_key TEXT NOT NULL,
        infno TEXT NOT NULL,
        input_json TEXT NOT NULL,
        msgid TEXT NOT NULL UNIQUE,
        psn_no TEXT,
        envelope_json TEXT NOT NULL DEFAULT '{}',
        state TEXT NOT NULL DEFAULT 'pending'
          CHECK (state IN ('pending', 'in-flight', 'unknown-outcome', 'reversing', 'dead', 'done', 'cancelled')),
        dead_reason TEXT CHECK (dead_reason IN ('refused', 'reversal-refused', 'unresolvable', 'reversal-cap', 'output-invalid')),
        reversal_msgid TEXT UNIQUE,
        attempts INTEGER NOT NULL DEFAULT 0,
        reversals INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT,
        last_error_kind TEXT CHECK (last_error_kind IN ('offline', 'unknown', 'refused', 'unresolvable', 'interrupted')),
        output_json TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        done_at INTEGER
      );
      INSERT INTO outbox_new (id, visit_key, infno, input_json, msgid, psn_no, envelope_json, state, dead_reason, reversal_msgid,
                              attempts, next_attempt_at, last_error, last_error_kind, output_json, created_at, updated_at, done_at)
        SELECT id, visit_key, infno, input_json, msgid, psn_no, envelope_json, state, dead_reason, reversal_msgid,
               attempts, next_attempt_at, last_error, last_error_kind, output_json, created_at, updated_at, done_at FROM outbox;
      DROP TABLE outbox;
      ALTER TABLE outbox_new RENAME TO outbox;
      CREATE INDEX outbox_open_by_visit ON outbox(visit_key, id)
        WHERE state IN ('pending', 'in-flight', 'unknown-outcome', 'reversing', 'dead');
      CREATE INDEX outbox_open ON outbox(id)
        WHERE state IN ('pending', 'in-flight', 'unknown-outcome', 'reversing', 'dead');
      CREATE INDEX outbox_by_visit ON outbox(visit_key, id);
      CREATE INDEX outbox_closed ON outbox(updated_at) WHERE state IN ('done', 'cancelled');
      CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state IN ('pending', 'unknown-outcome');
    `);
    db.prepare("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'outbox'").run(seq);
  },
};

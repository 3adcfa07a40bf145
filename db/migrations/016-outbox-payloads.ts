import type { Migration } from './migration.ts';

/**
 * An outbox item's payloads in rows of their own, each written once:
 * - `outbox_inputs`: the input and envelope, at enqueue (rewritten only by an operator's edit of a dead item);
 * - `outbox_outputs`: the platform's answer, at completion (or when an unusable answer is held for a person).
 *
 * Why: SQLite rewrites a whole row, overflow pages included, whenever a column of it changes. With the payloads
 * in the outbox row, a 2301 batch's 20 KB input went to disk three times (enqueue, claim, completion) and its
 * 18 KB answer with it; now a claim or a completion rewrites a row of ~150 bytes. Both tables are keyed by the
 * item's id (the rowid: no index of their own) and go with the item (ON DELETE CASCADE: retention and person
 * purges delete outbox rows only).
 *
 * In the same rebuild:
 * - `reversal_msgid` is unique only where it is set (a partial index): every enqueue wrote a NULL entry before;
 * - two indexes of outbox_attempts that no query reads are dropped (each is a page written per attempt):
 *   `outbox_attempts_open` (outbox_id WHERE finished_at IS NULL; `outbox_attempts_by_item` answers the same
 *   look-up) and `outbox_attempts_by_msgid` (nothing looks an attempt up by msgid).
 * The table is rebuilt as in migration 7 (foreign keys are off during a migration); AUTOINCREMENT's counter is
 * kept, so an id is never handed out twice even when the highest rows were purged.
 */
export const migration016: Migration = {
  version: 16,
  name: 'outbox payloads in rows of their own',
  up(db) {
    const seq = db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").get()?.seq ?? 0;
    db.exec(`
      CREATE TABLE outbox_inputs (
        outbox_id INTEGER PRIMARY KEY REFERENCES outbox(id) ON DELETE CASCADE,
        input_json TEXT NOT NULL,
        envelope_json TEXT NOT NULL DEFAULT '{}'
      );
      CREATE TABLE outbox_outputs (
        outbox_id INTEGER PRIMARY KEY REFERENCES outbox(id) ON DELETE CASCADE,
        output_json TEXT NOT NULL
      );
      INSERT INTO outbox_inputs (outbox_id, input_json, envelope_json) SELECT id, input_json, envelope_json FROM outbox;
      INSERT INTO outbox_outputs (outbox_id, output_json) SELECT id, output_json FROM outbox WHERE output_json IS NOT NULL;

      CREATE TABLE outbox_new (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        visit_key TEXT NOT NULL,
        infno TEXT NOT NULL,
        msgid TEXT NOT NULL UNIQUE,
        psn_no TEXT,
        state TEXT NOT NULL DEFAULT 'pending'
          CHECK (state IN ('pending', 'in-flight', 'unknown-outcome', 'reversing', 'dead', 'done', 'cancelled')),
        dead_reason TEXT CHECK (dead_reason IN ('refused', 'reversal-refused', 'unresolvable', 'reversal-cap', 'output-invalid')),
        reversal_msgid TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        reversals INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT,
        last_error_kind TEXT CHECK (last_error_kind IN ('offline', 'unknown', 'refused', 'unresolvable', 'interrupted')),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        done_at INTEGER
      );
      INSERT INTO outbox_new (id, visit_key, infno, msgid, psn_no, state, dead_reason, reversal_msgid, attempts, reversals,
                              next_attempt_at, last_error, last_error_kind, created_at, updated_at, done_at)
        SELECT id, visit_key, infno, msgid, psn_no, state, dead_reason, reversal_msgid, attempts, reversals,
               next_attempt_at, last_error, last_error_kind, created_at, updated_at, done_at FROM outbox;
      DROP TABLE outbox;
      ALTER TABLE outbox_new RENAME TO outbox;
      CREATE INDEX outbox_open_by_visit ON outbox(visit_key, id)
        WHERE state IN ('pending', 'in-flight', 'unknown-outcome', 'reversing', 'dead');
      CREATE INDEX outbox_open ON outbox(id)
        WHERE state IN ('pending', 'in-flight', 'unknown-outcome', 'reversing', 'dead');
      CREATE INDEX outbox_by_visit ON outbox(visit_key, id);
      CREATE INDEX outbox_closed ON outbox(updated_at) WHERE state IN ('done', 'cancelled');
      CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state IN ('pending', 'unknown-outcome');
      CREATE UNIQUE INDEX outbox_reversal_msgid ON outbox(reversal_msgid) WHERE reversal_msgid IS NOT NULL;

      DROP INDEX outbox_attempts_open;
      DROP INDEX outbox_attempts_by_msgid;
    `);
    db.prepare("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'outbox'").run(seq);
  },
};

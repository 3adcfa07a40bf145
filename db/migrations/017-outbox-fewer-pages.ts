import type { Migration } from './migration.ts';

/**
 * Fewer pages written per enqueue. Each b-tree an insert touches is at least one page written at commit, and an
 * encrypted store encrypts and authenticates every page it writes (docs/store.md, "What encryption at rest
 * costs"); an enqueue wrote 14 pages of 1 KiB. Three of them go:
 *
 * - `outbox_open_by_visit` (visit_key, id) WHERE open is dropped: it held every open item a second time beside
 *   `outbox_by_visit` (visit_key, id), and was rewritten at every state change of an item. Its reader was the
 *   claim's look back at a visit's earlier open items, which the claim pass's walk over `outbox_open` replaced; a
 *   visit's later open items (laterOpen, laterOpenIds) are its `outbox_by_visit` range with the row's state, which
 *   is how SQLite already planned laterOpen. The drain writes fewer pages too (nothing by-visit changes with a
 *   state any more).
 * - No AUTOINCREMENT: it rewrote sqlite_sequence's row at every insert. Ids must still never be handed out twice
 *   (audit rows name `outbox:<id>`): SQLite's rowid is one past the highest row, so only a deleted highest row could
 *   come back. `outbox_id_floor` keeps the highest id ever deleted (trigger `outbox_ids_never_reused`, written by
 *   deletes only), and the insert names its id: one past both (db/outbox/outbox.ts).
 * - The msgid of an enqueue is drawn without writing msgid_sequence's row: the new outbox row is its record, and
 *   the sequence continues after the newest msgid in outbox as well as after its row (db/msgid-sequence.ts). A
 *   msgid leaves outbox only by a delete (retention, a person's purge) or an operator's resend under a new msgid;
 *   trigger `outbox_msgid_kept` first moves the sequence's row up to it, so it is never handed out again.
 *
 * The table is rebuilt as in migrations 7 and 16 (foreign keys are off during a migration); ids, payload rows and
 * attempts are kept as they are, and the floor starts at AUTOINCREMENT's counter, so no id purged before this
 * version comes back either.
 */
export const migration017: Migration = {
  version: 17,
  name: 'outbox: fewer pages per enqueue (no second by-visit index, no AUTOINCREMENT, msgids recorded by their rows)',
  up(db) {
    const seq = db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").get()?.seq ?? 0;
    db.exec(`
      CREATE TABLE outbox_new (
        id INTEGER PRIMARY KEY,
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
      INSERT INTO outbox_new SELECT id, visit_key, infno, msgid, psn_no, state, dead_reason, reversal_msgid, attempts, reversals,
                                    next_attempt_at, last_error, last_error_kind, created_at, updated_at, done_at FROM outbox;
      DROP TABLE outbox;
      ALTER TABLE outbox_new RENAME TO outbox;
      CREATE INDEX outbox_by_visit ON outbox(visit_key, id);
      CREATE INDEX outbox_open ON outbox(id)
        WHERE state IN ('pending', 'in-flight', 'unknown-outcome', 'reversing', 'dead');
      CREATE INDEX outbox_closed ON outbox(updated_at) WHERE state IN ('done', 'cancelled');
      CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state IN ('pending', 'unknown-outcome');
      CREATE UNIQUE INDEX outbox_reversal_msgid ON outbox(reversal_msgid) WHERE reversal_msgid IS NOT NULL;

      -- One row: the highest outbox id ever deleted.
      CREATE TABLE outbox_id_floor (
        one INTEGER PRIMARY KEY CHECK (one = 1),
        id INTEGER NOT NULL
      );
      CREATE TRIGGER outbox_ids_never_reused AFTER DELETE ON outbox
      BEGIN
        INSERT INTO outbox_id_floor (one, id) VALUES (1, OLD.id)
          ON CONFLICT (one) DO UPDATE SET id = excluded.id WHERE excluded.id > outbox_id_floor.id;
      END;

      CREATE TRIGGER outbox_msgid_kept AFTER DELETE ON outbox
      BEGIN
        ${KEEP_MSGID}
      END;
      CREATE TRIGGER outbox_msgid_replaced_kept AFTER UPDATE OF msgid ON outbox
      BEGIN
        ${KEEP_MSGID}
      END;
    `);
    db.prepare('INSERT INTO outbox_id_floor (one, id) VALUES (1, ?)').run(seq);
  },
};

/**
 * Moves msgid_sequence's row of the msgid's hospital up to OLD.msgid when it is behind it (a msgid of the
 * generator's shape only: fixmedins_code, yyyyMMddHHmmss, counter). Lexical order of two such msgids of one
 * hospital is their order in time.
 */
const KEEP_MSGID = `
        INSERT INTO msgid_sequence (fixmedins_code, second, counter)
          SELECT substr(OLD.msgid, 1, 12), substr(OLD.msgid, 13, 14), CAST(substr(OLD.msgid, 27, 4) AS INTEGER)
           WHERE OLD.msgid GLOB '${'[0-9A-Z]'.repeat(12)}${'[0-9]'.repeat(18)}'
             AND OLD.msgid > coalesce((SELECT fixmedins_code || second || printf('%04d', counter) FROM msgid_sequence
                                        WHERE fixmedins_code = substr(OLD.msgid, 1, 12)), '')
          ON CONFLICT (fixmedins_code) DO UPDATE SET second = excluded.second, counter = excluded.counter;`;

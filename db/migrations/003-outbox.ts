import type { Migration } from './migration.ts';

/**
 * The outbox: platform transactions written in the same transaction as the domain change and sent later by
 * the relay (services/sync), in order per visit. Every attempt, including 2601 reversals, is recorded with its
 * msgid before it is sent. relay_lease makes sure one relay at a time drains a store.
 */
export const migration003: Migration = {
  version: 3,
  name: 'outbox, attempts, relay lease',
  up(db) {
    db.exec(`
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        visit_key TEXT NOT NULL,
        infno TEXT NOT NULL,
        input_json TEXT NOT NULL,
        msgid TEXT NOT NULL UNIQUE,
        psn_no TEXT,
        envelope_json TEXT NOT NULL DEFAULT '{}',
        state TEXT NOT NULL DEFAULT 'pending'
          CHECK (state IN ('pending', 'in-flight', 'unknown-outcome', 'reversing', 'dead', 'done', 'cancelled')),
        dead_reason TEXT CHECK (dead_reason IN ('refused', 'reversal-refused', 'unresolvable')),
        reversal_msgid TEXT UNIQUE,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT,
        last_error_kind TEXT CHECK (last_error_kind IN ('offline', 'unknown', 'refused', 'unresolvable', 'interrupted')),
        output_json TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        done_at INTEGER
      );
      -- Open items of a visit in order: the head is the first one (claim), and nothing after it may go first.
      CREATE INDEX outbox_open_by_visit ON outbox(visit_key, id)
        WHERE state IN ('pending', 'in-flight', 'unknown-outcome', 'reversing', 'dead');
      CREATE INDEX outbox_open ON outbox(id)
        WHERE state IN ('pending', 'in-flight', 'unknown-outcome', 'reversing', 'dead');
      CREATE INDEX outbox_by_visit ON outbox(visit_key, id);
      CREATE INDEX outbox_closed ON outbox(updated_at) WHERE state IN ('done', 'cancelled');

      CREATE TABLE outbox_attempts (
        id INTEGER PRIMARY KEY,
        outbox_id INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
        infno TEXT NOT NULL,
        msgid TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        outcome TEXT CHECK (outcome IN ('ok', 'refused', 'offline', 'unknown', 'interrupted')),
        detail TEXT
      );
      CREATE INDEX outbox_attempts_by_item ON outbox_attempts(outbox_id, id);
      CREATE INDEX outbox_attempts_by_msgid ON outbox_attempts(msgid);
      CREATE INDEX outbox_attempts_open ON outbox_attempts(outbox_id) WHERE finished_at IS NULL;

      CREATE TABLE relay_lease (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        acquired_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
    `);
  },
};

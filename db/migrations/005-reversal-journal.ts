import type { Migration } from './migration.ts';

/**
 * The platform client's reversal journal (insurance/client/reversal-journal.ts): 2601s owed for reversible
 * transactions whose outcome is unknown. Written before the first 2601 is sent, completed when one is answered.
 * In the same file as the outbox, so the relay sees in one query whether an item's reversal is definite.
 */
export const migration005: Migration = {
  version: 5,
  name: 'reversal journal of the platform client',
  up(db) {
    db.exec(`
      CREATE TABLE reversal_journal (
        omsgid TEXT PRIMARY KEY,
        oinfno TEXT NOT NULL,
        psn_no TEXT NOT NULL,
        insuplc_admdvs TEXT NOT NULL,
        visit_key TEXT NOT NULL,
        msgid TEXT NOT NULL UNIQUE,
        operator_json TEXT NOT NULL,
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_attempt_at TEXT,
        last_error TEXT,
        completed_at TEXT,
        resolution TEXT CHECK (resolution IN ('reversed', 'resolved-manually')),
        note TEXT,
        CHECK ((completed_at IS NULL) = (resolution IS NULL))
      );
      CREATE INDEX reversal_journal_pending ON reversal_journal(created_at) WHERE completed_at IS NULL;
      CREATE INDEX reversal_journal_by_visit ON reversal_journal(visit_key);
    `);
  },
};

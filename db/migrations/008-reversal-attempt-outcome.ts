import type { Migration } from './migration.ts';

/**
 * How the last 2601 attempt of a journal entry ended, as a field: `refused` (the platform answered and said
 * no: a person must look) or `failed` (no answer: try again). It was a "refused: " prefix on last_error that
 * the relay had to parse; existing rows are split into the two columns.
 */
export const migration008: Migration = {
  version: 8,
  name: 'reversal journal: outcome of the last attempt as a field',
  up(db) {
    db.exec(`
      ALTER TABLE reversal_journal ADD COLUMN last_outcome TEXT CHECK (last_outcome IN ('refused', 'failed'));
      UPDATE reversal_journal SET last_outcome = CASE WHEN last_error LIKE 'refused:%' THEN 'refused' WHEN last_error IS NOT NULL THEN 'failed' END;
      UPDATE reversal_journal SET last_error = trim(substr(last_error, 9)) WHERE last_error LIKE 'refused:%';
    `);
  },
};

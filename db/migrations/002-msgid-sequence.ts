import type { Migration } from './migration.ts';

/**
 * The persisted msgid counter: the last second used and the counter within it, per fixmedins_code.
 * Random suffixes collide under load (nhsa-interface.md §1); a counter in the store survives restarts.
 */
export const migration002: Migration = {
  version: 2,
  name: 'msgid sequence',
  up(db) {
    db.exec(`
      CREATE TABLE msgid_sequence (
        fixmedins_code TEXT PRIMARY KEY CHECK (length(fixmedins_code) = 12),
        second TEXT NOT NULL CHECK (length(second) = 14),
        counter INTEGER NOT NULL CHECK (counter BETWEEN 0 AND 9999)
      );
    `);
  },
};

import type { Migration } from './migration.ts';

/**
 * The audit rows of one subject without reading the whole log. Settling a stay reads what the patient
 * confirmed (`discharge.presettled` of `admission:<ipt_no>`), a 2305 the reason its supervisor gave, a reprint
 * how often a document was printed: each was a scan of every row ever written, and the log is never purged.
 */
export const migration014: Migration = {
  version: 14,
  name: 'audit rows by subject',
  up(db) {
    db.exec('CREATE INDEX audit_log_by_subject ON audit_log(subject, seq)');
  },
};

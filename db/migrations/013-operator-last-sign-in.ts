import type { Migration } from './migration.ts';

/**
 * When each operator last signed in at this terminal (docs/security.md, "Account administration"): the
 * supervisor's account list shows it, so an account nobody has used for months stands out. Written by the
 * sign-in itself; NULL until the first one. The audit chain keeps every sign-in; this column only spares the
 * list a scan of it.
 */
export const migration013: Migration = {
  version: 13,
  name: 'operator last sign-in',
  up(db) {
    db.exec('ALTER TABLE operator_accounts ADD COLUMN last_sign_in_at INTEGER');
  },
};

import Database from 'better-sqlite3-multiple-ciphers';
import type { CommitSeam } from '../../../db/commit.ts';

/**
 * A store commit that fails the way a disk does, once, for the tests of what a failed commit means (the unit test
 * of db/commit.ts afterTransaction and test/integration/db/commit-failures.test.ts).
 *
 * Why a seam: better-sqlite3 has no VFS hook, so a real fsync or pwrite error cannot be provoked on a normal file
 * system. The store's commit goes through db/commit.ts's CommitSeam, and this one:
 * - 'fsync-after-commit': runs the real COMMIT, then reports SQLITE_IOERR_FSYNC (the frames reached the WAL, the
 *   disk said the sync failed: the outcome is unknown);
 * - 'pwrite-before-commit': rolls back and reports SQLITE_IOERR_WRITE (a write failed before the commit frame);
 * - 'disk-full': rolls back and reports SQLITE_FULL.
 * `next` is taken by the next commit and cleared; null commits normally.
 */
export type CommitFailure = 'fsync-after-commit' | 'pwrite-before-commit' | 'disk-full';

const SqliteError = (Database as unknown as { SqliteError: new (message: string, code: string) => Error }).SqliteError;

export function failingCommitSeam(): CommitSeam & { next: CommitFailure | null } {
  return {
    next: null,
    commit(db) {
      const failure = this.next;
      this.next = null;
      if (failure === 'fsync-after-commit') {
        db.exec('COMMIT');
        throw new SqliteError('disk I/O error', 'SQLITE_IOERR_FSYNC');
      }
      if (failure === 'pwrite-before-commit') {
        db.exec('ROLLBACK');
        throw new SqliteError('disk I/O error', 'SQLITE_IOERR_WRITE');
      }
      if (failure === 'disk-full') {
        db.exec('ROLLBACK');
        throw new SqliteError('database or disk is full', 'SQLITE_FULL');
      }
      db.exec('COMMIT');
    },
  };
}

import type { Migration } from './migration.ts';

/**
 * Operator accounts (docs/security.md, "Operator accounts"): who may sign in at the desks, with which roles,
 * and a salted scrypt hash of their password (never the password). Accounts come from the configuration, an
 * HIS staff export (`kiosk operators import`) or `kiosk operators add`; `config_hash` is the hash the
 * configuration last gave, so a password changed at the terminal survives restarts until the configuration
 * itself changes it.
 *
 * Sign-in failures are kept per 工号 typed, whether or not such an account exists (a lockout that only known
 * numbers could earn would tell which numbers exist), and in the store so that a restart does not reset them.
 */
export const migration012: Migration = {
  version: 12,
  name: 'operator accounts and sign-in failures',
  up(db) {
    db.exec(`
      CREATE TABLE operator_accounts (
        opter_no TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        roles TEXT NOT NULL, -- JSON array of clerk|cashier|supervisor|technician
        password_hash TEXT, -- scrypt$N$r$p$salt$hash; NULL: no password yet, cannot sign in
        must_change INTEGER NOT NULL DEFAULT 0 CHECK (must_change IN (0, 1)),
        disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        source TEXT NOT NULL CHECK (source IN ('config', 'his', 'cli', 'demo')),
        config_hash TEXT,
        password_changed_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE sign_in_failures (
        opter_no TEXT PRIMARY KEY,
        failures INTEGER NOT NULL CHECK (failures > 0),
        last_failed_at INTEGER NOT NULL,
        locked_until INTEGER
      );
    `);
  },
};

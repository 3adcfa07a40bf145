import { KioskError } from '../contract/errors.ts';
import type { SqliteDatabase } from './connection.ts';
import { migrations as allMigrations, type Migration } from './migrations/index.ts';

/** The schema version of a database file (0 = empty). Kept in PRAGMA user_version. */
export function schemaVersion(db: SqliteDatabase): number {
  return Number(db.pragma('user_version', { simple: true }));
}

export function latestVersion(list: readonly Migration[] = allMigrations): number {
  return list.at(-1)?.version ?? 0;
}

/**
 * Brings the database forward to `to` (default: the latest). Forward only: a file newer than this program is
 * refused rather than guessed at (an older terminal build must not write to a newer schema).
 * Each step runs in its own IMMEDIATE transaction with the version bump, so a crash mid-migration leaves the
 * previous version intact and the next start repeats the step.
 */
export function migrate(db: SqliteDatabase, options: { to?: number; list?: readonly Migration[]; now?: () => number } = {}): { from: number; to: number } {
  const list = options.list ?? allMigrations;
  checkOrder(list);
  const target = options.to ?? latestVersion(list);
  const from = schemaVersion(db);
  if (from > latestVersion(list)) {
    throw new KioskError('STORE_ERROR', `本地数据库版本（${from}）比本程序新（${latestVersion(list)}）。`, ['请升级终端程序后再打开该数据库。']);
  }
  if (target < from) throw new Error(`migrations are forward-only: database is at ${from}, asked for ${target}`);
  const now = options.now ?? Date.now;
  for (const m of list) {
    if (m.version <= from || m.version > target) continue;
    // Foreign keys cannot be switched inside a transaction; off for the step, checked before commit.
    db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        m.up(db);
        const violations = db.pragma('foreign_key_check') as unknown[];
        if (violations.length > 0) throw new Error(`migration ${m.version} (${m.name}) leaves ${violations.length} foreign key violations`);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, now());
        db.pragma(`user_version = ${m.version}`);
      }).immediate();
    } finally {
      db.pragma('foreign_keys = ON');
    }
  }
  return { from, to: Math.max(from, target) };
}

function checkOrder(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration list out of order at ${m.name}: version ${m.version}, expected ${i + 1}`);
  });
}

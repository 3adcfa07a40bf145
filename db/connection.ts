import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { KioskError } from '../contract/errors.ts';

export type SqliteDatabase = Database.Database;

export interface ConnectionOptions {
  /** Open an existing store for reading only (status queries, tests). Never migrates. */
  readonly?: boolean;
  /** How long a writer waits for another process's write lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens the SQLite file with the durability settings the outbox relies on:
 * - WAL, so readers (status, CLI) never block the writer and the writer never blocks them;
 * - synchronous=FULL: better-sqlite3 is built with WAL defaulting to NORMAL, where a commit may roll back
 *   after a power loss. A queued admission that vanishes after the PC is unplugged is a lost admission;
 *   FULL costs one fsync per commit (measured in test/bench/outbox.bench.ts);
 * - foreign_keys=ON (off by default in SQLite);
 * - busy_timeout, so a second process (the `kiosk queue` CLI) waits for the write lock instead of failing.
 */
export function openDatabase(path: string, options: ConnectionOptions = {}): SqliteDatabase {
  const readonly = options.readonly ?? false;
  const busy = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (!readonly && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: SqliteDatabase;
  try {
    db = new Database(path, { readonly, fileMustExist: readonly, timeout: busy });
  } catch (err) {
    throw new KioskError('STORE_ERROR', `本地数据库无法打开（${path}）。`, ['请检查数据目录是否存在且可写。'], { cause: err });
  }
  try {
    if (!readonly) {
      const mode = String(db.pragma('journal_mode = WAL', { simple: true }));
      if (mode !== 'wal' && path !== ':memory:') {
        throw new Error(`journal_mode is ${mode}, WAL required (is the data directory on a network share?)`);
      }
    }
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busy))}`);
  } catch (err) {
    db.close();
    throw new KioskError('STORE_ERROR', '本地数据库设置失败。', ['请检查数据目录所在磁盘。'], { cause: err });
  }
  return db;
}

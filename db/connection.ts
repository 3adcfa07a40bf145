import Database from 'better-sqlite3-multiple-ciphers';
import { dirname } from 'node:path';
import { KioskError } from '../contract/errors.ts';
import { applyKey, encryptedWithoutKeyError, isClearSqliteFile, keyOpens, notYetEncryptedError, wrongKeyError, zeroedHeaderError } from './encryption.ts';
import { ensurePrivateDir, restrictFile } from './private-files.ts';

export type SqliteDatabase = Database.Database;

export interface ConnectionOptions {
  /** Open an existing store for reading only (status queries, tests). Never migrates. */
  readonly?: boolean;
  /** How long a writer waits for another process's write lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
  /**
   * The store key (32 bytes, db/keystore.ts): the file is SQLCipher-encrypted (db/encryption.ts). Without a
   * key the file is clear, which only tests and the sandbox's own state use; an encrypted file opened
   * without its key, or with another, is refused with a clear error.
   */
  key?: Buffer | null;
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
  const file = path !== ':memory:';
  if (!readonly && file) ensurePrivateDir(dirname(path));
  const key = options.key ?? null;
  if (key && file && isClearSqliteFile(path)) throw notYetEncryptedError(path);
  let db: SqliteDatabase;
  try {
    db = new Database(path, { readonly, fileMustExist: readonly, timeout: busy });
  } catch (err) {
    throw new KioskError('STORE_ERROR', `本地数据库无法打开（${path}）。`, ['请检查数据目录是否存在且可写。'], { cause: err });
  }
  try {
    if (key) applyKey(db, key);
    if (!keyOpens(db)) throw (file && zeroedHeaderError(path)) || (key ? wrongKeyError(path) : encryptedWithoutKeyError(path));
  } catch (err) {
    db.close();
    throw err;
  }
  if (!readonly && file) restrictFile(path);
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

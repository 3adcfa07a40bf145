import Database from 'better-sqlite3-multiple-ciphers';
import { dirname } from 'node:path';
import { KioskError } from '../contract/errors.ts';
import { encryptedWithoutKeyError, isClearSqliteFile, keyOpens, notYetEncryptedError, openKeyed, wrongKeyError, zeroedHeaderError } from './encryption.ts';
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
 * The WAL is checkpointed into the database once it holds this many bytes: SQLite's default (1000 pages of
 * 4 KiB), kept in bytes whatever the page size, so an encrypted store with 1 KiB pages (db/encryption.ts) does
 * not checkpoint four times as often as a clear one.
 */
export const WAL_AUTOCHECKPOINT_BYTES = 4096 * 1000;

function autocheckpointPages(db: SqliteDatabase): number {
  return Math.max(1, Math.round(WAL_AUTOCHECKPOINT_BYTES / Number(db.pragma('page_size', { simple: true }))));
}

/**
 * Opens the SQLite file with the durability settings the outbox relies on:
 * - WAL, so readers (status, CLI) never block the writer and the writer never blocks them;
 * - synchronous=FULL: better-sqlite3 is built with WAL defaulting to NORMAL, where a commit may roll back
 *   after a power loss. A queued admission that vanishes after the PC is unplugged is a lost admission;
 *   FULL costs one fsync per commit (measured in test/bench/outbox.bench.ts);
 * - wal_autocheckpoint in bytes (WAL_AUTOCHECKPOINT_BYTES), whatever the page size;
 * - foreign_keys=ON (off by default in SQLite);
 * - busy_timeout, so a second process (the `kiosk queue` CLI) waits for the write lock instead of failing;
 * - an encrypted connection: secure_delete=ON, so a deleted row is overwritten with zeros in its page and a page
 *   freed is zeroed (SQLite3MultipleCiphers turns it on with the key; set here so erasure does not rest on a
 *   library default: docs/security.md, "Deleted data"). The clear store keeps SQLite's default.
 */
export function openDatabase(path: string, options: ConnectionOptions = {}): SqliteDatabase {
  const readonly = options.readonly ?? false;
  const busy = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const file = path !== ':memory:';
  if (!readonly && file) ensurePrivateDir(dirname(path));
  const key = options.key ?? null;
  if (key && file && isClearSqliteFile(path)) throw notYetEncryptedError(path);
  const connect = (): SqliteDatabase => {
    try {
      return new Database(path, { readonly, fileMustExist: readonly, timeout: busy });
    } catch (err) {
      throw new KioskError('STORE_ERROR', `本地数据库无法打开（${path}）。`, ['请检查数据目录是否存在且可写。'], { cause: err });
    }
  };
  const db = key ? openKeyed(path, key, connect)?.db : connect();
  if (!db) throw (file && zeroedHeaderError(path)) || wrongKeyError(path);
  try {
    if (!key && !keyOpens(db)) throw (file && zeroedHeaderError(path)) || encryptedWithoutKeyError(path);
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
    db.pragma(`wal_autocheckpoint = ${autocheckpointPages(db)}`);
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busy))}`);
    if (key) db.pragma('secure_delete = ON');
  } catch (err) {
    db.close();
    throw new KioskError('STORE_ERROR', '本地数据库设置失败。', ['请检查数据目录所在磁盘。'], { cause: err });
  }
  return db;
}

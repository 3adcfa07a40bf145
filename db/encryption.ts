import Database from 'better-sqlite3-multiple-ciphers';
import { closeSync, existsSync, fsyncSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { KioskError } from '../contract/errors.ts';
import { fsyncDir } from './keystore.ts';
import { restrictFile } from './private-files.ts';

type Db = Database.Database;

/**
 * Encryption of the store file: SQLCipher 4 format (AES-256-CBC, HMAC-SHA512 per page), through
 * SQLite3MultipleCiphers in better-sqlite3-multiple-ciphers. The file, its WAL and every backup made with
 * `backupEncrypted` are ciphertext from the first byte: there is no "SQLite format 3" header to find, and a
 * copy opens in `sqlcipher` (4.x) with the key as a raw hex key.
 *
 * The key is 32 random bytes given as a raw key (`x'…'`), so no passphrase KDF runs at open (a KDF would only
 * stretch a weak password; this key is random).
 */
export const SQLITE_CLEAR_HEADER = 'SQLite format 3\0';

/** Sets the cipher and the key on a fresh connection, before its first read. */
export function applyKey(db: Db, key: Buffer): void {
  db.pragma("cipher = 'sqlcipher'");
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${key.toString('hex')}'"`);
}

/** Re-encrypts the open database under `key` (also from clear: the cipher must be named first, or SQLite3MC
 * would use its default scheme instead of SQLCipher's). Journal mode must not be WAL. */
export function rekey(db: Db, key: Buffer): void {
  db.pragma("cipher = 'sqlcipher'");
  db.pragma('legacy = 4');
  db.pragma(`rekey = "x'${key.toString('hex')}'"`);
}

/** True when the key opens the file (or the file is new and empty). SQLite answers NOTADB to a wrong key. */
export function keyOpens(db: Db): boolean {
  try {
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_NOTADB') return false;
    throw err;
  }
}

export function wrongKeyError(path: string): KioskError {
  return new KioskError('STORE_ERROR', `本地数据库无法用本机密钥解开（${path}）。`, [
    '数据库文件与 keys 目录中的密钥不匹配：请确认数据目录未被替换，或从密钥备份恢复 keys 目录。',
    '不要删除数据库文件：其中可能有尚未上传的业务。',
  ]);
}

export function encryptedWithoutKeyError(path: string): KioskError {
  return new KioskError('STORE_ERROR', `本地数据库已加密，未提供密钥（${path}）。`, ['请通过终端程序或 kiosk 命令打开（它们从 keys 目录或系统密钥库取得密钥）。']);
}

/** A clear store handed a key: the caller must migrate it first (services do, through prepareStoreKey). */
export function notYetEncryptedError(path: string): KioskError {
  return new KioskError('STORE_ERROR', `本地数据库尚未加密（${path}）。`, ['启动一次终端程序即可就地加密（数据保留）。']);
}

/**
 * A first page of zeros: neither SQLite nor SQLCipher writes that (SQLCipher's page 1 starts with a random
 * salt), so the file was damaged, not opened with the wrong key. Thrown with SQLite's NOTADB code so the
 * integrity check reports it as a damaged store (db/integrity.ts asCorruption).
 */
export function zeroedHeaderError(path: string): Error | null {
  if (!existsSync(path)) return null;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(16);
    const n = readSync(fd, head, 0, 16, 0);
    if (n < 16 || head.some((b) => b !== 0)) return null;
  } finally {
    closeSync(fd);
  }
  return Object.assign(new Error(`file is not a database: ${path} begins with zeros`), { code: 'SQLITE_NOTADB' });
}

/** The file is a clear (unencrypted) SQLite database: its first 16 bytes are the SQLite magic. */
export function isClearSqliteFile(path: string): boolean {
  if (!existsSync(path)) return false;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(16);
    const n = readSync(fd, head, 0, 16, 0);
    return n === 16 && head.toString('latin1') === SQLITE_CLEAR_HEADER;
  } finally {
    closeSync(fd);
  }
}

/**
 * Re-encrypts the store file under `toKey` (from clear when `fromKey` is null: the one-time migration of a store
 * made before encryption), keeping every row, the schema version and the AUTOINCREMENT marks.
 *
 * Crash-safe by copy and rename, never by rewriting the live file: the current file is checkpointed and copied
 * (`VACUUM INTO`, a consistent snapshot) to `<path>.reencrypt`, the copy is re-keyed and checked, then renamed
 * over the store. A crash before the rename leaves the old file intact (the copy is deleted at the next try);
 * after it, the new one. The caller must hold the only connection to the store (the terminal at start, before
 * its relay; the rotate-key command refuses while a terminal runs) and must make `toKey` findable before
 * calling (the key store's "next" key), so a crash right after the rename still finds the key.
 */
export function reencryptFile(path: string, fromKey: Buffer | null, toKey: Buffer): void {
  const tmp = `${path}.reencrypt`;
  rmSync(tmp, { force: true });
  rmSync(`${tmp}-journal`, { force: true });
  const src = openWith(path, fromKey);
  let userVersion: number;
  try {
    src.pragma('wal_checkpoint(TRUNCATE)');
    userVersion = Number(src.pragma('user_version', { simple: true }));
    src.prepare('VACUUM INTO ?').run(tmp);
  } finally {
    src.close(); // the last connection: SQLite checkpoints and deletes the -wal
  }
  if (existsSync(`${path}-wal`)) {
    // Another process still has the store open (its connection keeps the WAL): renaming now would lose its writes.
    rmSync(tmp, { force: true });
    throw new KioskError('STORE_ERROR', `本地数据库正被其他程序使用，无法重新加密（${path}）。`, ['请先关闭终端程序及其他 kiosk 命令，再重试。']);
  }
  const copy = openWith(tmp, fromKey);
  try {
    copy.pragma('journal_mode = DELETE');
    rekey(copy, toKey);
  } finally {
    copy.close();
  }
  checkCopy(tmp, toKey, userVersion);
  fsyncFile(tmp);
  restrictFile(tmp);
  rmSync(`${path}-shm`, { force: true });
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}

/**
 * An encrypted backup: a consistent copy of the live store, encrypted with the same key. SQLite's online
 * backup API refuses an encrypted source with a clear target, and `serialize()` would hand out the clear
 * pages; `VACUUM INTO` writes through the source connection's codec, so the copy is ciphertext like its
 * source (test/unit/db/encryption.test.ts opens one with the key and fails to read it without).
 */
export function backupEncrypted(db: Db, target: string): void {
  if (existsSync(target)) throw new Error(`backup target exists: ${target}`);
  db.prepare('VACUUM INTO ?').run(target);
  fsyncFile(target);
  restrictFile(target);
}

function openWith(path: string, key: Buffer | null): Db {
  const db = new Database(path, { fileMustExist: true });
  try {
    if (key) applyKey(db, key);
    if (!keyOpens(db)) throw wrongKeyError(path);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function checkCopy(path: string, key: Buffer, userVersion: number): void {
  const db = openWith(path, key);
  try {
    const check = db.pragma('quick_check', { simple: true });
    const version = Number(db.pragma('user_version', { simple: true }));
    if (check !== 'ok' || version !== userVersion) throw new Error(`re-encrypted copy of the store failed its check (${String(check)}, schema ${version} vs ${userVersion})`);
  } finally {
    db.close();
  }
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

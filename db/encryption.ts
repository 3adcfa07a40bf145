import Database from 'better-sqlite3-multiple-ciphers';
import { closeSync, existsSync, fsyncSync, openSync, readSync } from 'node:fs';
import { KioskError } from '../contract/errors.ts';
import { restrictFile } from './private-files.ts';

type Db = Database.Database;

/**
 * Encryption of the store file: SQLCipher 4 format through SQLite3MultipleCiphers in
 * better-sqlite3-multiple-ciphers. The file, its WAL and every backup made with `backupEncrypted` are ciphertext
 * from the first byte: there is no "SQLite format 3" header to find, and a copy opens in `sqlcipher` (4.x) with
 * the key as a raw hex key and `PRAGMA cipher_page_size = 1024` (docs/security.md, "Opening a store with the
 * sqlcipher shell").
 *
 * The key is 32 random bytes given as a raw key (`x'…'`), so no passphrase KDF runs at open (a KDF would only
 * stretch a weak password; this key is random).
 */
export const SQLITE_CLEAR_HEADER = 'SQLite format 3\0';

/**
 * How a store file is encrypted. Always SQLCipher 4's cipher suite (`legacy = 4`: AES-256-CBC with a random IV
 * per page write, HMAC-SHA512 over every page and its number, the HMAC key derived from the key and the file's
 * salt); formats differ only in the page size (SQLCipher's `cipher_page_size`).
 */
export interface CipherFormat {
  readonly name: string;
  readonly pageSize: number;
}

/**
 * The format of every store this build creates: SQLCipher 4 with 1 KiB pages. Encryption costs per page written
 * (AES and HMAC over the whole page), and an enqueue writes a dozen or so pages whatever their size, so 1 KiB
 * pages encrypt about a third of the bytes 4 KiB pages do (test/bench/store.bench.ts, `enqueue`). The cipher and
 * the MAC are SQLCipher 4's own; only the page size differs from its defaults.
 */
export const STORE_CIPHER: CipherFormat = { name: 'sqlcipher4-page1024', pageSize: 1024 };

/**
 * Stores encrypted before 2026-12 use SQLCipher 4's defaults (4 KiB pages). They open as they are (read-only
 * opens, a second connection) and the first writable open re-encrypts them into STORE_CIPHER in place
 * (prepareStoreKey in db/store-key.ts).
 */
export const SQLCIPHER4_DEFAULTS: CipherFormat = { name: 'sqlcipher4-page4096', pageSize: 4096 };

/** Tried in this order when a key is given: the current format first. */
export const CIPHER_FORMATS: readonly CipherFormat[] = [STORE_CIPHER, SQLCIPHER4_DEFAULTS];

/**
 * Sets the connection's cipher settings: they apply to the next `key` and to databases attached after it. The
 * cipher must be named before the key, or SQLite3MC would use its default scheme instead of SQLCipher's.
 */
export function setCipher(db: Db, format: CipherFormat = STORE_CIPHER): void {
  db.pragma("cipher = 'sqlcipher'");
  db.pragma('legacy = 4');
  db.pragma(`legacy_page_size = ${format.pageSize}`);
}

/** Sets the cipher and the key on a fresh connection, before its first read. */
export function applyKey(db: Db, key: Buffer, format: CipherFormat = STORE_CIPHER): void {
  setCipher(db, format);
  db.pragma(`key = "${rawKey(key)}"`);
}

/** SQLCipher's raw-key form: the 32 bytes as hex, the AES key itself (no passphrase KDF). */
export function rawKey(key: Buffer): string {
  return `x'${key.toString('hex')}'`;
}

/**
 * A connection to `path` keyed with `key` in whichever format the file has (a new or empty file gets
 * STORE_CIPHER), or null when no format opens it (a wrong key, a clear or damaged file). A connection takes one
 * key, so each format is tried on a fresh one from `open`.
 */
export function openKeyed(path: string, key: Buffer, open: () => Db): { db: Db; format: CipherFormat } | null {
  for (const format of CIPHER_FORMATS) {
    const db = open();
    let opens = false;
    try {
      applyKey(db, key, format);
      opens = keyOpens(db);
    } finally {
      if (!opens) db.close();
    }
    if (opens) return { db, format };
  }
  return null;
}

/** The format `key` opens the file at `path` with, or null (a wrong key, a clear file). */
export function cipherFormatOf(path: string, key: Buffer): CipherFormat | null {
  const opened = openKeyed(path, key, () => new Database(path, { fileMustExist: true }));
  opened?.db.close();
  return opened?.format ?? null;
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

export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

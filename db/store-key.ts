import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { KioskError } from '../contract/errors.ts';
import { cipherFormatOf, isClearSqliteFile, keyOpens, STORE_CIPHER, wrongKeyError } from './encryption.ts';
import { reencryptFile, StoreInUseError } from './reencrypt.ts';
import { listBackups } from './backup.ts';
import { loadOrCreateKey, newKey, type KeyStore } from './keystore.ts';
import { openStore, type Store, type StoreOptions } from './store.ts';

/** Opens the store encrypted under its key from `keys` (prepareStoreKey first: migration, rotation recovery). */
export function openEncryptedStore(path: string, keys: KeyStore, options: Omit<StoreOptions, 'key' | 'auditKey'> = {}): Store {
  const key = prepareStoreKey(path, keys, { readonly: options.readonly ?? false });
  const existing = keys.read('audit');
  const auditKey = existing ?? (options.readonly ? null : loadOrCreateKey(keys, 'audit'));
  return openStore(path, { ...options, key, auditKey, keyAuditChain: existing === null });
}

export type StoreFileState = 'missing' | 'clear' | 'encrypted';

/**
 * The key to open the store at `path` with, after bringing the file to the encrypted state:
 * - no file yet: the store key (created on first use); SQLite creates the file encrypted;
 * - a clear file (made before this build): encrypted in place under the store key, every row kept
 *   (`reencryptFile`: copy, re-key, check, rename);
 * - an encrypted file: the store key; if it does not open the file but the pending "next" key of a rotation
 *   that crashed after its rename does, that key is promoted. A stale next key (the crash came before the
 *   rename) is discarded;
 * - a file in an older cipher format (SQLCIPHER4_DEFAULTS: 4 KiB pages): re-encrypted in place into STORE_CIPHER
 *   under the same key, every row kept (`reencryptFile`).
 * Read-only callers (status commands) never write: a clear file is opened clear, an older format as it is,
 * nothing is promoted.
 */
export function prepareStoreKey(path: string, keys: KeyStore, options: { readonly?: boolean } = {}): Buffer | null {
  const state = storeFileState(path);
  if (options.readonly) {
    if (state === 'clear') return null;
    const key = keys.read('store');
    if (key && opensWith(path, key)) return key;
    const next = keys.readNext('store');
    if (next && opensWith(path, next)) return next;
    throw key ? wrongKeyError(path) : missingKeyError(path);
  }
  if (state === 'missing') return loadOrCreateKey(keys, 'store');
  if (state === 'clear') {
    const key = loadOrCreateKey(keys, 'store');
    reencryptFile(path, null, key);
    return key;
  }
  const key = keys.read('store');
  if (key && opensWith(path, key)) {
    keys.discardNext('store');
    return inCurrentFormat(path, key);
  }
  const next = keys.readNext('store');
  if (next && opensWith(path, next)) {
    finishRotation(path, keys, key, next);
    return inCurrentFormat(path, next);
  }
  throw key ? wrongKeyError(path) : missingKeyError(path);
}

/** What a rotation did to the backups beside the store (`backups/`). */
export interface RotatedBackups {
  /** Re-encrypted under the new key: they restore as before. */
  rekeyed: number;
  /** Backups neither key opens (made before an earlier rotation, or damaged), left as they are. */
  notRekeyed: string[];
}

/**
 * `kiosk store rotate-key`: a new store key. The new key is written as the key store's "next" key before the
 * file is re-encrypted, and promoted after, so a crash at any point leaves a file that one of the two keys
 * opens (prepareStoreKey finishes the job). The terminal's own backups (`backups/`) are re-encrypted under the new
 * key before it is promoted: once it is, the old key is gone, and a backup still under it could never be
 * restored. Copies taken off the terminal before the rotation still need the old key (docs/security.md).
 */
export function rotateStoreKey(path: string, keys: KeyStore): { rotatedAt: Date; backups: RotatedBackups } {
  const current = prepareStoreKey(path, keys);
  if (!current || !existsSync(path)) throw new KioskError('STORE_ERROR', `本地数据库不存在（${path}）。`, ['请先启动一次终端程序。']);
  const next = newKey();
  keys.writeNext('store', next);
  try {
    reencryptFile(path, current, next);
  } catch (err) {
    if (opensWith(path, current)) keys.discardNext('store');
    throw err;
  }
  return { rotatedAt: new Date(), backups: finishRotation(path, keys, current, next) };
}

/**
 * The store is under `next`: the backups still under the old key follow it (each by copy and rename, like the
 * store), then `next` becomes the key. Also how a rotation that crashed after the store's rename is finished at
 * the next open. A backup that cannot be re-encrypted (neither key opens it, or its copy fails its check) is left
 * as it is and named: it must not keep the terminal from starting.
 */
function finishRotation(path: string, keys: KeyStore, old: Buffer | null, next: Buffer): RotatedBackups {
  const result: RotatedBackups = { rekeyed: 0, notRekeyed: [] };
  for (const backup of listBackups(path)) {
    try {
      if (opensWith(backup.path, next)) continue; // done before a crash
      if (!old || !opensWith(backup.path, old)) throw new Error('neither key opens it');
      reencryptFile(backup.path, old, next);
      result.rekeyed++;
    } catch {
      result.notRekeyed.push(backup.path);
    }
  }
  keys.promoteNext('store');
  return result;
}

export function storeFileState(path: string): StoreFileState {
  if (!existsSync(path)) return 'missing';
  if (isClearSqliteFile(path)) return 'clear';
  // A file SQLite created but has not written its first page to yet (everything in the WAL): probe it.
  if (statSync(path).size < 16) return opensWith(path, null) ? 'clear' : 'encrypted';
  return 'encrypted';
}

/**
 * The key, after re-encrypting a store of an older cipher format into the current one. While another connection
 * has the store open (a `kiosk` command), the store stays in its format, which opens as well: the next open
 * migrates it.
 */
function inCurrentFormat(path: string, key: Buffer): Buffer {
  if (cipherFormatOf(path, key) === STORE_CIPHER) return key;
  try {
    reencryptFile(path, key, key);
  } catch (err) {
    if (!(err instanceof StoreInUseError)) throw err;
  }
  return key;
}

function opensWith(path: string, key: Buffer | null): boolean {
  if (key) return cipherFormatOf(path, key) !== null;
  const db = new Database(path, { fileMustExist: true });
  try {
    return keyOpens(db);
  } finally {
    db.close();
  }
}

function missingKeyError(path: string): KioskError {
  return new KioskError('STORE_ERROR', `本地数据库已加密，但本机找不到它的密钥（${path}）。`, [
    '请从密钥备份恢复数据目录下的 keys 目录（或系统密钥库中的终端密钥）。',
    '不要删除数据库文件：其中可能有尚未上传的业务。',
  ]);
}

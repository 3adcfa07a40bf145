import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { KioskError } from '../contract/errors.ts';
import { fsyncDir, writePrivateFile } from './private-files.ts';

/**
 * Where the terminal's secret keys live: the store's encryption key and the audit chain's HMAC key.
 *
 * Keys are 32 random bytes. They are never in the configuration file, never in the database they protect, and
 * never logged. Two backings:
 * - `FileKeyStore`: a file per key in `<dataDir>/keys/`, folder 0700, files 0600, readable by the service
 *   account only (the browser host and the CLI in plain Node);
 * - `SafeStorageKeyStore`: the same files, but holding the key encrypted by the OS keystore through Electron's
 *   `safeStorage` (DPAPI on Windows, the login keychain on macOS, libsecret/kwallet on Linux). A copied disk or
 *   backup of the data folder without the Windows account cannot decrypt the store.
 */
export type KeyName = 'store' | 'audit';

export interface KeyStore {
  /** What protects the keys, for the start-up line and `kiosk store status` (never the key). */
  readonly kind: 'file' | 'safe-storage';
  /** The key, or null when it was never created. Throws a clear error when the key file is unreadable. */
  read(name: KeyName): Buffer | null;
  /** Writes the key durably (fsync, atomic rename). */
  write(name: KeyName, key: Buffer): void;
  /** A pending next key (written before a rotation re-encrypts the store), or null. */
  readNext(name: KeyName): Buffer | null;
  writeNext(name: KeyName, key: Buffer): void;
  /** The rotation is done: the next key becomes the key. */
  promoteNext(name: KeyName): void;
  discardNext(name: KeyName): void;
}

export const KEY_BYTES = 32;

export function newKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** The key, created (and stored) on first use. */
export function loadOrCreateKey(keys: KeyStore, name: KeyName): Buffer {
  const existing = keys.read(name);
  if (existing) return existing;
  const key = newKey();
  keys.write(name, key);
  return key;
}

/** The folder holding the keys: `<dataDir>/keys`. */
export function keyDir(dataDir: string): string {
  return join(dataDir, 'keys');
}

/** How a key is sealed in its file. The file store keeps hex; the safeStorage store keeps the OS ciphertext. */
interface KeyCodec {
  seal(key: Buffer): Buffer;
  open(sealed: Buffer, file: string): Buffer;
}

class SealedFileKeyStore implements KeyStore {
  constructor(
    readonly kind: 'file' | 'safe-storage',
    private readonly dir: string,
    private readonly codec: KeyCodec,
    private readonly suffix: string,
  ) {}

  read(name: KeyName): Buffer | null {
    return this.readFile(this.file(name));
  }
  write(name: KeyName, key: Buffer): void {
    this.writeFile(this.file(name), key);
  }
  readNext(name: KeyName): Buffer | null {
    return this.readFile(this.file(name) + '.next');
  }
  writeNext(name: KeyName, key: Buffer): void {
    this.writeFile(this.file(name) + '.next', key);
  }
  promoteNext(name: KeyName): void {
    renameSync(this.file(name) + '.next', this.file(name));
    fsyncDir(this.dir);
  }
  discardNext(name: KeyName): void {
    rmSync(this.file(name) + '.next', { force: true });
  }

  private file(name: KeyName): string {
    return join(this.dir, `${name}.${this.suffix}`);
  }

  private readFile(file: string): Buffer | null {
    if (!existsSync(file)) return null;
    let sealed: Buffer;
    try {
      sealed = readFileSync(file);
    } catch (err) {
      throw new KioskError('STORE_ERROR', `密钥文件无法读取（${file}）。`, ['请以终端服务账户运行，并检查 keys 目录的权限。'], { cause: err });
    }
    const key = this.codec.open(sealed, file);
    if (key.length !== KEY_BYTES) throw new KioskError('STORE_ERROR', `密钥文件已损坏（${file}）。`, ['请从密钥备份恢复该文件；不要删除数据库。']);
    return key;
  }

  /** Atomically, 0600 in a 0700 folder: a crash leaves the old or the new key. */
  private writeFile(file: string, key: Buffer): void {
    writePrivateFile(file, this.codec.seal(key));
  }
}

/** Keys in files readable by the service account only (0600 in a 0700 folder). */
export class FileKeyStore extends SealedFileKeyStore {
  constructor(dir: string) {
    super('file', dir, hexCodec, 'key');
  }
}

const hexCodec: KeyCodec = {
  seal: (key) => Buffer.from(key.toString('hex') + '\n', 'utf8'),
  open: (sealed, file) => {
    const hex = sealed.toString('utf8').trim();
    if (!/^[0-9a-f]{64}$/i.test(hex)) throw new KioskError('STORE_ERROR', `密钥文件已损坏（${file}）。`, ['请从密钥备份恢复该文件；不要删除数据库。']);
    return Buffer.from(hex, 'hex');
  },
};

/** The part of Electron's `safeStorage` this needs (so the code is tested with a fake and imports no electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/**
 * Keys sealed by the OS keystore through Electron's safeStorage. Refuses to run when the OS offers no
 * encryption (Linux without a keyring: safeStorage would fall back to a hard-coded password) rather than
 * pretending the key is protected.
 */
export class SafeStorageKeyStore extends SealedFileKeyStore {
  constructor(dir: string, safeStorage: SafeStorageLike) {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new KioskError('STORE_ERROR', '操作系统密钥库不可用，无法保护本地数据库密钥。', [
        'Windows：请以终端服务账户登录后启动；Linux：请安装并解锁 gnome-keyring 或 kwallet。',
        '或在配置中设置 store.keyStore 为 "file"（密钥文件仅服务账户可读）。',
      ]);
    }
    super('safe-storage', dir, safeStorageCodec(safeStorage), 'key.sealed');
    this.adoptKeyFiles(dir);
  }

  /** A terminal moved from key files to the OS keystore: seal each plain key file, then remove it. */
  private adoptKeyFiles(dir: string): void {
    const plain = new FileKeyStore(dir);
    for (const name of ['store', 'audit'] as const) {
      const key = this.read(name) ? null : plain.read(name);
      if (!key) continue;
      this.write(name, key);
      rmSync(join(dir, `${name}.key`), { force: true });
    }
  }
}

function safeStorageCodec(safeStorage: SafeStorageLike): KeyCodec {
  return {
    seal: (key) => safeStorage.encryptString(key.toString('hex')),
    open: (sealed, file) => {
      let hex: string;
      try {
        hex = safeStorage.decryptString(sealed);
      } catch (err) {
        throw new KioskError('STORE_ERROR', `操作系统密钥库无法解开密钥（${file}）。`, ['请以创建该密钥的 Windows 账户运行终端。'], { cause: err });
      }
      return hexCodec.open(Buffer.from(hex, 'utf8'), file);
    },
  };
}


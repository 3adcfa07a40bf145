import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileKeyStore, loadOrCreateKey, newKey, SafeStorageKeyStore, type SafeStorageLike } from '../../../db/keystore.ts';
import { icaclsArgs } from '../../../db/private-files.ts';

/** A stand-in for Electron's safeStorage: "encrypts" by XOR with a per-instance secret, so a file sealed by one
 * OS account (instance) does not open under another. */
function fakeSafeStorage(secret = 0x5a, available = true): SafeStorageLike & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    isEncryptionAvailable: () => available,
    encryptString: (plain) => {
      calls.push('encrypt');
      return Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ secret));
    },
    decryptString: (sealed) => {
      calls.push('decrypt');
      const text = Buffer.from(sealed.map((b) => b ^ secret)).toString('utf8');
      if (!/^[0-9a-f]+$/.test(text)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return text;
    },
  };
}

describe('key stores', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('file: creates a 32-byte key once, in a 0600 file inside a 0700 folder, and reads the same key back', () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-keys-'));
    const keys = new FileKeyStore(join(dir, 'keys'));
    const key = loadOrCreateKey(keys, 'store');
    expect(key).toHaveLength(32);
    expect(loadOrCreateKey(new FileKeyStore(join(dir, 'keys')), 'store').equals(key)).toBe(true);
    expect(loadOrCreateKey(keys, 'audit').equals(key)).toBe(false);
    expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'keys', 'store.key')).mode & 0o777).toBe(0o600);
  });

  it('file: a damaged key file is a clear error, not a new key (a new key would orphan the store)', () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-keys-'));
    const keys = new FileKeyStore(join(dir, 'keys'));
    loadOrCreateKey(keys, 'store');
    writeFileSync(join(dir, 'keys', 'store.key'), 'not a key');
    expect(() => loadOrCreateKey(keys, 'store')).toThrow(/密钥文件已损坏/);
  });

  it('safeStorage: the file holds only the OS ciphertext; another OS account cannot open it', () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-keys-'));
    const os = fakeSafeStorage();
    const keys = new SafeStorageKeyStore(join(dir, 'keys'), os);
    const key = loadOrCreateKey(keys, 'store');
    const sealed = readFileSync(join(dir, 'keys', 'store.key.sealed'));
    expect(sealed.toString('utf8')).not.toContain(key.toString('hex'));
    expect(os.calls).toEqual(['encrypt']);
    expect(new SafeStorageKeyStore(join(dir, 'keys'), os).read('store')!.equals(key)).toBe(true);
    expect(() => new SafeStorageKeyStore(join(dir, 'keys'), fakeSafeStorage(0x33)).read('store')).toThrow(/操作系统密钥库无法解开密钥/);
  });

  it('safeStorage: refuses to run without OS encryption instead of pretending the key is protected', () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-keys-'));
    expect(() => new SafeStorageKeyStore(join(dir, 'keys'), fakeSafeStorage(0x5a, false))).toThrow(/操作系统密钥库不可用/);
  });

  it('safeStorage: adopts key files of a terminal that used plain key files, then removes them', () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-keys-'));
    const plain = new FileKeyStore(join(dir, 'keys'));
    const key = loadOrCreateKey(plain, 'store');
    const sealedStore = new SafeStorageKeyStore(join(dir, 'keys'), fakeSafeStorage());
    expect(sealedStore.read('store')!.equals(key)).toBe(true);
    expect(existsSync(join(dir, 'keys', 'store.key'))).toBe(false);
  });

  it('next key: written, promoted over the key, or discarded', () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-keys-'));
    const keys = new FileKeyStore(join(dir, 'keys'));
    const first = loadOrCreateKey(keys, 'store');
    const next = newKey();
    keys.writeNext('store', next);
    expect(keys.read('store')!.equals(first)).toBe(true);
    keys.promoteNext('store');
    expect(keys.read('store')!.equals(next)).toBe(true);
    expect(keys.readNext('store')).toBeNull();
    keys.writeNext('store', newKey());
    keys.discardNext('store');
    expect(keys.readNext('store')).toBeNull();
  });

  it('Windows: icacls removes inherited entries and grants the service account, SYSTEM and Administrators only', () => {
    expect(icaclsArgs('C:\\ProgramData\\kiosk', 'dir', 'HOSP\\kiosk-svc')).toEqual([
      'C:\\ProgramData\\kiosk',
      '/inheritance:r',
      '/grant:r',
      'HOSP\\kiosk-svc:(OI)(CI)F',
      '*S-1-5-18:(OI)(CI)F',
      '*S-1-5-32-544:(OI)(CI)F',
    ]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { applyKey, cipherFormatOf, SQLCIPHER4_DEFAULTS, STORE_CIPHER } from '../../../db/encryption.ts';
import { loadOrCreateKey } from '../../../db/keystore.ts';
import { openDatabase } from '../../../db/connection.ts';
import { openStore } from '../../../db/store.ts';
import { openEncryptedStore } from '../../../db/store-key.ts';
import { cliKeyStore } from '../../../services/security/key-store.ts';
import { HOSPITAL, queueStay, tempDir } from '../sync/helpers.ts';

// `kiosk store status | encrypt | rotate-key` as IT runs them on a stopped terminal's data folder: a real process
// on real files, the store made the way the terminal makes it (or the way earlier builds did).
const KIOSK = resolve(import.meta.dirname, '../../../bin/kiosk.mjs');

function kiosk(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(process.execPath, [KIOSK, 'store', ...args], { env: { ...process.env, KIOSK_CONFIG: '' }, timeout: 60_000 }, (err, stdout, stderr) => {
      res({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

let dir: ReturnType<typeof tempDir>;
afterEach(() => dir?.cleanup());

function terminalStore(stays: number): string {
  dir = tempDir('kiosk-enc-cli-');
  const path = join(dir.dir, 'kiosk.sqlite');
  const store = openEncryptedStore(path, cliKeyStore(path), { fixmedinsCode: HOSPITAL });
  for (let i = 0; i < stays; i++) queueStay(store, { psnNo: `P${i}` });
  store.close();
  return path;
}

const admissions = (path: string, key: Buffer) => {
  const db = openDatabase(path, { readonly: true, key });
  try {
    return (db.prepare('SELECT count(*) AS n FROM admissions').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('kiosk store encryption commands', () => {
  it('status names the format; rotate-key re-encrypts under a new key, audited, rows kept', async () => {
    const path = terminalStore(3);
    const status = await kiosk(['status', '--store', path, '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ state: 'encrypted', keyPresent: true, cipher: STORE_CIPHER.name });
    const old = cliKeyStore(path).read('store')!;

    const rotated = await kiosk(['rotate-key', '--store', path]);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain('已更换数据库密钥');
    const now = cliKeyStore(path).read('store')!;
    expect(now.equals(old)).toBe(false);
    expect(cipherFormatOf(path, old)).toBeNull();
    expect(cipherFormatOf(path, now)).toBe(STORE_CIPHER);
    expect(admissions(path, now)).toBe(3);
    const store = openEncryptedStore(path, cliKeyStore(path), { readonly: true });
    expect(store.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'store.rotate-key'").get()).toEqual({ n: 1 });
    expect(store.audit.verify().ok).toBe(true);
    store.close();
  }, 60_000);

  it('backups taken before rotate-key still restore after it (they are re-encrypted with the store)', async () => {
    const path = terminalStore(2);
    const backup = await kiosk(['backup', '--store', path]);
    expect(backup.code).toBe(0);
    const before = /已备份：(\S+\.sqlite)/.exec(backup.stdout)![1]!;

    const rotated = await kiosk(['rotate-key', '--store', path]);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain('本机备份（backups/）：1 个已改用新密钥，可照常恢复');
    const store = openEncryptedStore(path, cliKeyStore(path), { readonly: true });
    expect(store.audit.list({}).find((e) => e.action === 'store.rotate-key')?.detail).toMatchObject({ backupsRekeyed: 1, backupsNotRekeyed: 0 });
    store.close();

    const restored = await kiosk(['restore', '--from', before, '--store', path]);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(admissions(path, cliKeyStore(path).read('store')!)).toBe(2);
  }, 60_000);

  it('status shows the modes of keys/, backups/ and spool/ too and flags an earlier build’s open spool; encrypt tightens it', async () => {
    const path = terminalStore(1);
    // An earlier build (no encryption, no file modes) left its spooled 结算单 readable by every local account.
    const spool = join(dir.dir, 'spool');
    mkdirSync(spool, { mode: 0o755 });
    chmodSync(spool, 0o755);
    const pdf = join(spool, '20261120083000-settlement-sheet-1.pdf');
    writeFileSync(pdf, '%PDF 张三', { mode: 0o644 });
    chmodSync(pdf, 0o644);
    await kiosk(['backup', '--store', path]);

    const before = await kiosk(['status', '--store', path]);
    expect(before.code).toBe(0);
    expect(before.stdout).toContain(`权限 755  ${spool}  ← 过宽：应为 0700`);
    expect(before.stdout).toContain(`权限 644  ${pdf}  ← 过宽：应为 0600`);
    expect(before.stdout).toMatch(/权限 600 {2}\S+backups\/kiosk-\d{8}T\d{6}Z\.sqlite\n/);
    expect(before.stdout).toContain(`权限 600  ${join(dir.dir, 'keys', 'store.key')}`);
    expect(before.stdout).toContain('权限：2 处过宽');
    expect(JSON.parse((await kiosk(['status', '--store', path, '--json'])).stdout).tooOpen).toEqual([spool, pdf]);

    expect((await kiosk(['encrypt', '--store', path])).code).toBe(0);
    expect([statSync(spool).mode & 0o777, statSync(pdf).mode & 0o777]).toEqual([0o700, 0o600]);
    const after = await kiosk(['status', '--store', path, '--json']);
    expect(JSON.parse(after.stdout).tooOpen).toEqual([]);
  }, 60_000);

  it('a store of the earlier format: status says so, encrypt migrates it in place', async () => {
    dir = tempDir('kiosk-enc-cli-');
    const path = join(dir.dir, 'kiosk.sqlite');
    // As an earlier build made it: SQLCipher 4 defaults (4 KiB pages), then the terminal's schema and rows.
    const key = loadOrCreateKey(cliKeyStore(path), 'store');
    mkdirSync(dir.dir, { recursive: true });
    const raw = new Database(path);
    applyKey(raw, key, SQLCIPHER4_DEFAULTS);
    raw.pragma('journal_mode = WAL');
    raw.close();
    const store = openStore(path, { fixmedinsCode: HOSPITAL, key }); // opens in its format; no format migration
    for (let i = 0; i < 2; i++) queueStay(store, { psnNo: `P${i}` });
    store.close();
    expect(cipherFormatOf(path, key)).toBe(SQLCIPHER4_DEFAULTS);

    const status = await kiosk(['status', '--store', path]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('SQLCipher 4 默认 4 KiB 页');
    expect(admissions(path, key)).toBe(2); // read-only opens read it as it is

    const encrypt = await kiosk(['encrypt', '--store', path]);
    expect(encrypt.code).toBe(0);
    expect(encrypt.stdout).toContain('已迁移到当前加密格式');
    expect(cipherFormatOf(path, key)).toBe(STORE_CIPHER);
    expect(admissions(path, key)).toBe(2);
  }, 60_000);
});

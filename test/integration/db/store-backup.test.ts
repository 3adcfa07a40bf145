import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { closeSync, openSync, readdirSync, truncateSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { backupStore, listBackups } from '../../../db/backup.ts';
import { openStore, type Store } from '../../../db/store.ts';
import { openEncryptedStore } from '../../../db/store-key.ts';
import { cliKeyStore } from '../../../services/security/key-store.ts';
import { HOSPITAL, queueStay, tempDir } from '../sync/helpers.ts';

// Rotating online backups through SQLite's backup API, and `kiosk store` as an operator runs it after the
// store was emptied or damaged: a real process on real files.
const KIOSK = resolve(import.meta.dirname, '../../../bin/kiosk.mjs');

function kiosk(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(process.execPath, [KIOSK, 'store', ...args], { env: { ...process.env, KIOSK_CONFIG: '' }, timeout: 60_000 }, (err, stdout, stderr) => {
      res({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

let dir: ReturnType<typeof tempDir>;
let store: Store | null = null;
afterEach(() => {
  store?.close();
  store = null;
  dir?.cleanup();
});

function storeWithStays(n: number): { path: string; store: Store } {
  dir = tempDir('kiosk-backup-');
  const path = join(dir.dir, 'kiosk.sqlite');
  store = openEncryptedStore(path, cliKeyStore(path), { fixmedinsCode: HOSPITAL }); // as the terminal's: encrypted
  for (let i = 0; i < n; i++) queueStay(store, { psnNo: `P${i}` });
  return { path, store };
}

const admissions = (s: Store) => (s.db.prepare('SELECT count(*) AS n FROM admissions').get() as { n: number }).n;

describe('store backups', () => {
  it('takes consistent online backups while the store is open, and keeps the newest 6', async () => {
    const { path, store: s } = storeWithStays(5);
    const t0 = Date.parse('2026-11-20T00:00:00Z');
    for (let i = 0; i < 8; i++) {
      queueStay(s, { psnNo: `Q${i}` }); // the store changes between backups
      await backupStore(s.db, path, { now: new Date(t0 + i * 6 * 3600_000) });
    }
    const list = listBackups(path);
    expect(list).toHaveLength(6);
    expect(list[0]!.at.toISOString()).toBe('2026-11-21T18:00:00.000Z');
    expect(list.map((b) => b.at.getTime())).toEqual([...list.map((b) => b.at.getTime())].sort((a, b) => b - a));
    // Encrypted under the store's key like the store (docs/security.md).
    expect(() => openStore(list[0]!.path, { readonly: true })).toThrow(/已加密/);
    const newest = openStore(list[0]!.path, { readonly: true, key: cliKeyStore(path).read('store') });
    try {
      expect(admissions(newest)).toBe(13);
    } finally {
      newest.close();
    }
  });

  it('kiosk store restore refuses while another process has the store open, whatever its relay lease says', async () => {
    // As the demo terminal: open, working, its lease written on its own (demo) day, so the lease looks expired.
    const { path, store: s } = storeWithStays(2);
    await backupStore(s.db, path, { now: new Date('2026-11-20T00:00:00Z') });
    queueStay(s, { psnNo: 'LATER' }); // done after the backup: must not be lost under the terminal
    const r = await kiosk(['restore', '--store', path]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('终端正在使用该数据库');
    expect(r.stderr).toContain('请先停止终端');
    expect(readdirSync(dir.dir).filter((f) => f.includes('.replaced-'))).toEqual([]);
    queueStay(s, { psnNo: 'EVEN-LATER' }); // the terminal goes on writing to the store it has
    expect(admissions(s)).toBe(4);
    s.close();
    store = null;
    const reopened = openEncryptedStore(path, cliKeyStore(path), { fixmedinsCode: HOSPITAL });
    expect(admissions(reopened)).toBe(4);
    reopened.close();
  }, 60_000);

  it('kiosk store restore brings back an emptied store from the newest backup and keeps the empty file aside', async () => {
    const { path, store: s } = storeWithStays(5);
    await backupStore(s.db, path, { now: new Date('2026-11-20T06:00:00Z') });
    s.close();
    store = null;
    truncateSync(path, 0);

    const check = await kiosk(['check', '--store', path]);
    console.error('DEBUG', check.stdout, check.stderr);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('0 字节');
    expect(check.stderr).toContain('kiosk store restore');

    const restored = await kiosk(['restore', '--store', path]);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain('已从');
    expect(restored.stdout).toMatch(/kiosk\.sqlite\.replaced-\d{8}T\d{6}Z/);

    store = openEncryptedStore(path, cliKeyStore(path), { fixmedinsCode: HOSPITAL });
    expect(admissions(store)).toBe(5);
    expect(store.integrity?.ok).toBe(true);
    const ok = await kiosk(['check', '--store', path, '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, marker: true });
  }, 60_000);

  it('kiosk store check finds a damaged page; backup refuses to rotate in a damaged copy', async () => {
    const { path, store: s } = storeWithStays(30);
    // A page in the middle of the outbox's rows (not the schema, which the open itself reads).
    const pageSize = Number(s.db.pragma('page_size', { simple: true }));
    const leaves = s.db.prepare<[], { pageno: number }>("SELECT pageno FROM dbstat WHERE name = 'outbox' AND pagetype = 'leaf' ORDER BY pageno").all();
    const damaged = leaves[Math.floor(leaves.length / 2)]!.pageno;
    s.close();
    store = null;
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (damaged - 1) * pageSize);
    closeSync(fd);
    const check = await kiosk(['check', '--store', path]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('已损坏');
    expect(check.stderr).toContain('本机数据库已损坏');
    const backup = await kiosk(['backup', '--store', path]);
    expect(backup.code).toBe(1);
    expect(listBackups(path)).toHaveLength(0);
  }, 60_000);

  it('kiosk store check reports a damaged schema page as damaged (the open itself cannot read the store)', async () => {
    const { path, store: s } = storeWithStays(3);
    const pageSize = Number(s.db.pragma('page_size', { simple: true }));
    const schemaPage = s.db.prepare<[], { pageno: number }>("SELECT pageno FROM dbstat WHERE name = 'sqlite_schema' AND pageno > 1 ORDER BY pageno LIMIT 1").get()!.pageno;
    s.close();
    store = null;
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (schemaPage - 1) * pageSize);
    closeSync(fd);
    const check = await kiosk(['check', '--store', path]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('已损坏');
    expect(check.stderr).toContain('本机数据库已损坏');
  }, 60_000);
});

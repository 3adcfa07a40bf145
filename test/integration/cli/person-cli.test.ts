import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openEncryptedStore } from '../../../db/store-key.ts';
import { cliKeyStore } from '../../../services/security/key-store.ts';

/** `kiosk person purge` as IT runs it: a real process on an encrypted store, the terminal possibly holding it. */
const KIOSK = resolve(import.meta.dirname, '../../../bin/kiosk.mjs');
const CERTNO = '320200197503141014';

function kiosk(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(process.execPath, [KIOSK, 'person', ...args], { env: { ...process.env, KIOSK_CONFIG: '' }, timeout: 60_000 }, (err, stdout, stderr) => {
      res({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('kiosk person purge', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function storeWithPerson(): string {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-person-cli-'));
    const path = join(dir, 'kiosk.sqlite');
    const s = openEncryptedStore(path, cliKeyStore(path));
    s.write((tx) => {
      s.persons.save(tx, { baseinfo: { psn_no: 'P1', certno: CERTNO, psn_name: '张三', psn_cert_type: '01' }, insuinfo: [{ insuplc_admdvs: '320200', insutype: '310' }] });
      s.cards.record(tx, { cardNo: 'C1', cardSn: 'SN', certno: CERTNO, psnName: '张三', regionCode: '320200', generation: 3, expiryDate: '2030-01-01' });
    });
    s.close();
    return path;
  }

  it('purges and empties the WAL when nothing else holds the store', { timeout: 60_000 }, async () => {
    const path = storeWithPerson();
    const r = await kiosk(['purge', CERTNO, '--reason', '本人申请', '--store', path]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ deleted: { persons: 1, cardsSeen: 1 }, walEmptied: true });
    expect(r.stderr).not.toMatch(/WAL/);
  });

  it('says so when the running terminal keeps the WAL busy: the rows are deleted, their old pages not yet gone', { timeout: 60_000 }, async () => {
    const path = storeWithPerson();
    // The terminal, reading: an open read transaction on its own connection (a snapshot the WAL must keep).
    const terminal = openEncryptedStore(path, cliKeyStore(path));
    try {
      terminal.db.exec('BEGIN');
      terminal.db.prepare('SELECT count(*) FROM persons').get();
      const r = await kiosk(['purge', CERTNO, '--reason', '本人申请', '--store', path]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ deleted: { persons: 1 }, walEmptied: false });
      expect(r.stderr).toMatch(/已删除。终端正在使用数据库，数据库日志（WAL）中删除前的旧页暂未清除/);
      terminal.db.exec('COMMIT');
      expect(terminal.db.prepare('SELECT count(*) AS n FROM persons').get()).toEqual({ n: 0 });
    } finally {
      terminal.close();
    }
  });
});

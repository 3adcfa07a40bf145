import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openEncryptedStore } from '../../../db/store-key.ts';
import { cliKeyStore } from '../../../services/security/key-store.ts';
import { spoolFileName } from '../../../services/documents/spool-retention.ts';
import { sampleAdmission } from '../../unit/db/helpers.ts';

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

  it('removes the PDFs of the person’s stays spooled beside the store (full name in clear); others’ and day-end reports stay', { timeout: 60_000 }, async () => {
    const path = storeWithPerson();
    // The person was admitted and settled at this terminal, with no printer: the 结算单 and 费用清单 were spooled.
    const s = openEncryptedStore(path, cliKeyStore(path));
    const { iptNo, settlementId } = s.write((tx) => {
      const adm = s.admissions.create(tx, { ...sampleAdmission, psnNo: 'P1' });
      const setl = s.settlements.open(tx, { iptNo: adm.iptNo, mdtrtId: null, psnNo: 'P1', insutype: '310', msgid: 'M1' });
      s.admissions.setStatus(tx, adm.iptNo, 'settled');
      return { iptNo: adm.iptNo, settlementId: String(setl.id) };
    });
    s.close();
    const spool = join(dir, 'spool');
    mkdirSync(spool);
    const theirs = [spoolFileName('20261207093000', { kind: 'settlement-sheet', settlementId }), spoolFileName('20261207093001', { kind: 'fee-list', admissionId: iptNo })];
    const kept = [
      spoolFileName('20261207093002', { kind: 'settlement-sheet', settlementId: `${settlementId}1` }), // another patient's settlement 11
      spoolFileName('20261207093003', { kind: 'fee-list', admissionId: `${iptNo}9` }),
      spoolFileName('20261207180000', { kind: 'day-end-report', dayEnd: { from: '2026-12-07' } }),
    ];
    for (const f of [...theirs, ...kept]) writeFileSync(join(spool, f), '%PDF 张三');

    const r = await kiosk(['purge', CERTNO, '--reason', '本人申请', '--store', path]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ deleted: { persons: 1, spooledDocuments: 2 } });
    expect(theirs.filter((f) => existsSync(join(spool, f)))).toEqual([]);
    expect(readdirSync(spool).sort()).toEqual([...kept].sort());
    const after = openEncryptedStore(path, cliKeyStore(path), { readonly: true });
    expect(after.audit.list({}).find((e) => e.action === 'person.purge')?.detail).toMatchObject({ deleted: { spooledDocuments: 2 } });
    after.close();
  });

  it('export --out leaves the file readable by its owner only, also when it existed before with a wider mode', { timeout: 60_000 }, async () => {
    const path = storeWithPerson();
    const out = join(dir, 'person.json');
    writeFileSync(out, '', { mode: 0o644 });
    chmodSync(out, 0o644);
    const r = await kiosk(['export', CERTNO, '--out', out, '--store', path]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('张三');
    expect(statSync(out).mode & 0o777).toBe(0o600);
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

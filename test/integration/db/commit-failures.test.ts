import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RegisterOutcome } from '../../../contract/dto/admission.ts';
import type { EligibilityDecision } from '../../../contract/dto/eligibility.ts';
import { pendingCheckPathOf } from '../../../db/commit.ts';
import type { Store } from '../../../db/store.ts';
import { openEncryptedStore } from '../../../db/store-key.ts';
import { cliKeyStore } from '../../../services/security/key-store.ts';
import { credentialsOf, startHarness, type Harness } from '../services/harness.ts';
import { failingCommitSeam } from '../../unit/db/failing-commit-seam.ts';

/**
 * A disk that fails at commit, through the whole admission desk (real sandbox, reader, SQLite file).
 *
 * What is injected, honestly: better-sqlite3 has no VFS hook, so a real fsync or pwrite error cannot be
 * provoked on a normal file system. The store's commit goes through a seam (db/commit.ts), and this test's
 * seam either runs the real COMMIT and then reports SQLITE_IOERR_FSYNC (the frames reached the WAL, the disk
 * said the sync failed: what issue #12 observed) or rolls back and reports SQLITE_IOERR_WRITE (a pwrite that
 * failed before the commit frame). Disk full is real SQLite: PRAGMA max_page_count caps the file.
 */
const seam = failingCommitSeam();

const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-commit-failures-'));
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ mode: 'admission', commitSeam: seam, dataDir });
  await h.call('operator', 'signIn', credentialsOf('1001'));
}, 60_000);
afterAll(async () => {
  await h?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const form = (checkId: string, bed: string, receiptNo: string) => ({
  checkId,
  deptCode: 'A03.01',
  ward: 'W05',
  bed,
  attendingDoctorCode: 'D0301001',
  attendingDoctorName: '林志远',
  diagnosisCode: 'J44.1',
  diagnosisName: '慢性阻塞性肺病伴有急性加重',
  admissionType: 'normal',
  deposit: { amountFen: 200_000, receiptNo, method: 'cash' },
});

async function eligible(certNo: string): Promise<EligibilityDecision> {
  return h.call<EligibilityDecision>('eligibility', 'check', { credential: { kind: 'id', certType: '02', certNo } });
}

/**
 * Leaves the file no room: VACUUM packs it, max_page_count caps it where it is, and audit rows (the one table
 * every registration appends to) fill its last page, so the next registration needs a page the "disk" does
 * not have: SQLITE_FULL, as on a full disk.
 */
function fillTheDisk(store: Store): void {
  store.db.exec('VACUUM');
  store.db.pragma(`max_page_count = ${Number(store.db.pragma('page_count', { simple: true }))}`);
  for (const size of [2_000, 200, 20, 1]) {
    for (;;) {
      try {
        store.write((tx) => store.audit.append(tx, { actor: 'test', action: 'test.disk-filler', subject: 'disk', detail: { pad: 'x'.repeat(size) } }));
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_FULL') throw err;
        break;
      }
    }
  }
}

const admissionsOf = (psnNo: string) => h.terminal.parts.store.db.prepare('SELECT ipt_no FROM admissions WHERE psn_no = ?').all(psnNo) as { ipt_no: string }[];

describe('a commit that fails at the disk', () => {
  const people = { committed: '', lost: '' };

  it('fsync fails after the commit reached the WAL: the desk is told it is being checked (在核实), never 未生效', async () => {
    const d = await eligible('320200197503141014');
    people.committed = d.person.psnNo;
    await h.network.setOnline(false); // nothing is sent meanwhile: the store alone settles the truth
    seam.next = 'fsync-after-commit';
    const err = await h.callError('admission', 'register', form(d.checkId, '0508', 'YJ-FSYNC-1'));
    expect(`${err.code} ${err.message}`).toMatch(/^STORE_OUTCOME_UNKNOWN /);
    expect(err.message).toContain('正在核实');
    expect(err.message).not.toContain('未生效');
    expect(err.guidance.join('')).toContain('请勿重复办理');
    expect(existsSync(pendingCheckPathOf(h.terminal.parts.store.path))).toBe(true);
  });

  it('a pwrite fails before the commit frame: told the same (在核实); the disk decides, not the message', async () => {
    await h.network.setOnline(true);
    const d = await eligible('320100195810011717');
    people.lost = d.person.psnNo;
    await h.network.setOnline(false);
    seam.next = 'pwrite-before-commit';
    const err = await h.callError('admission', 'register', form(d.checkId, '0509', 'YJ-PWRITE-1'));
    expect(err.code).toBe('STORE_OUTCOME_UNKNOWN');
    expect(admissionsOf(people.lost)).toEqual([]);
  });

  it('disk full (max_page_count): 未生效 is the truth there (SQLite rolled back), and the desk works again once space is freed', async () => {
    await h.network.setOnline(true);
    const d = await eligible('320281198006091311');
    await h.network.setOnline(false);
    const db = h.terminal.parts.store.db;
    fillTheDisk(h.terminal.parts.store);
    const full = await h.callError('admission', 'register', form(d.checkId, '0510', 'YJ-FULL-1'));
    expect(full.code).toBe('STORE_ERROR');
    expect(full.message).toBe('本机磁盘已满，本次操作未生效');
    expect(admissionsOf(d.person.psnNo)).toEqual([]);
    // Space comes back (the cap is lifted): the very next commit succeeds, no restart, nothing to repair.
    const store = h.terminal.parts.store;
    const freed = performance.now();
    db.pragma('max_page_count = 1073741823');
    store.write((tx) => store.audit.append(tx, { actor: 'test', action: 'test.space-freed', subject: 'disk' }));
    const recoveryMs = performance.now() - freed;
    const registered = await h.call<RegisterOutcome>('admission', 'register', form(d.checkId, '0510', 'YJ-FULL-1'));
    expect(registered.admission.status).toBe('queued');
    console.log(JSON.stringify({ figure: 'store-disk-full-recovery', firstCommitAfterSpaceFreedMs: Math.round(recoveryMs * 100) / 100 }));
  });

  it('the next open settles both: the committed one is kept (its 2401 queued, recorded in the audit log), the lost one recorded as lost', async () => {
    const path = h.terminal.parts.store.path;
    await h.close(); // the terminal stops; its data directory stays
    const store = openEncryptedStore(path, cliKeyStore(path), { fixmedinsCode: 'H32020000001' });
    try {
      expect(store.settledCommits.map((s) => s.outcome)).toEqual(['committed', 'lost']);
      expect(existsSync(pendingCheckPathOf(path))).toBe(false);
      const kept = store.db.prepare('SELECT ipt_no FROM admissions WHERE psn_no = ?').get(people.committed) as { ipt_no: string };
      expect(store.money.depositTotalFen(kept.ipt_no)).toBe(200_000); // the deposit came back with it
      const queued = store.db.prepare("SELECT infno, state FROM outbox WHERE visit_key = ?").all(kept.ipt_no);
      // Queued for the relay (the outage made its first try end unknown; the relay settles that with the platform).
      expect(queued).toEqual([{ infno: '2401', state: expect.stringMatching(/^(pending|in-flight|unknown-outcome)$/) }]);
      expect(store.db.prepare('SELECT count(*) AS n FROM admissions WHERE psn_no = ?').get(people.lost)).toEqual({ n: 0 });
      const audit = store.audit.list().filter((e) => e.action === 'store.commit-settled');
      expect(audit.map((e) => [e.subject, (e.detail as { outcome: string }).outcome])).toEqual([
        [`admission:${kept.ipt_no}`, 'committed'],
        [expect.stringMatching(/^admission:/), 'lost'],
      ]);
    } finally {
      store.close();
    }
    // Opened again: nothing left to settle.
    const again = openEncryptedStore(path, cliKeyStore(path), { fixmedinsCode: 'H32020000001' });
    expect(again.settledCommits).toEqual([]);
    again.close();
  });
});

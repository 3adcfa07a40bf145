import { copyFileSync, rmSync } from 'node:fs';
import { backupEncrypted } from '../../../../db/encryption.ts';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chinaTime } from '../../../../base/china-time.ts';
import { hashPassword } from '../../../../services/security/passwords.ts';
import { admit, CALL, openTestTerminal, startTestSandbox, tempDir, type TestSandbox, type TestTerminal, outcome } from './harness.ts';

/**
 * Day-end reconciliation against the sandbox: 3201 per insutype and clr_type, 3202 record by record. The
 * terminal's store is restored from a backup taken before the day's last settlement (a disk replaced, a
 * copy put back): that settlement is on the platform and missing locally, and the report says so.
 */
const RESIDENT = { certNo: '32020019620802112X', psnNo: '32020000000000000002' };
const EMPLOYEE = { certNo: '320200197503141014', psnNo: '32020000000000000001' };
const SUPERVISOR = { opterNo: 'SUP01', name: '主管', password: 'pw-123456' };
const BILL = 'med_list_codg,cnt\n0010001941077,2\n0030003439479,1\n';

describe('day-end reconciliation', () => {
  let sandbox: TestSandbox;
  let t: TestTerminal;
  let tmp: ReturnType<typeof tempDir>;
  let storePath: string;
  const open = () =>
    openTestTerminal({
      platformUrl: sandbox.url,
      storePath,
      supervisors: [{ opterNo: SUPERVISOR.opterNo, name: SUPERVISOR.name, passwordHash: hashPassword(SUPERVISOR.password) }],
    });

  beforeEach(async () => {
    tmp = tempDir();
    storePath = join(tmp.dir, 'kiosk.sqlite');
    sandbox = await startTestSandbox();
    t = await open();
  });
  afterEach(async () => {
    await t?.close();
    await sandbox?.close();
    tmp?.remove();
  });

  async function settle(certNo: string, receiptNo: string) {
    const stay = await admit(t, { certNo, deposits: [{ amountFen: 100_000, method: 'cash', receiptNo }] });
    await t.billing.charges.import({ admissionId: stay.admissionId, format: 'csv', content: BILL }, CALL);
    outcome(await t.billing.discharge.preSettle({ admissionId: stay.admissionId }, CALL), 'presettled');
    return { stay, settled: outcome(await t.billing.discharge.settle({ admissionId: stay.admissionId }, CALL), 'settled').settlement };
  }

  it('agrees when both sides have the same records, a reversal and a re-settlement included', async () => {
    const { stay, settled } = await settle(RESIDENT.certNo, 'YJ-A');
    outcome(await t.billing.discharge.reverse({ settlementId: settled.settlementId, supervisorNo: SUPERVISOR.opterNo, supervisorPassword: SUPERVISOR.password, reason: '重新结算' }, CALL), 'reversed');
    outcome(await t.billing.discharge.preSettle({ admissionId: stay.admissionId }, CALL), 'presettled');
    outcome(await t.billing.discharge.settle({ admissionId: stay.admissionId }, CALL), 'settled');
    await settle(EMPLOYEE.certNo, 'YJ-B');

    const today = chinaTime(new Date()).day;
    const report = await t.billing.reconciliation.run({ date: today }, CALL);
    expect(report.mismatches).toEqual([]);
    expect(report.totals).toEqual([
      // 310: one settlement. 390: settlement, its reversal (a negative record), the new settlement.
      expect.objectContaining({ insutype: '310', clrType: '21', localCount: 1, platformAgrees: true, platformMessage: '对账平' }),
      expect.objectContaining({ insutype: '390', clrType: '21', localCount: 3, platformAgrees: true, platformMessage: '对账平' }),
    ]);
    expect(t.store.audit.list({ subject: `day:${today}` }).map((e) => e.action)).toEqual(['reconciliation.run']);
  });

  it('reports a settlement present on the platform but missing from the local store', async () => {
    await settle(RESIDENT.certNo, 'YJ-C');
    // Last night's copy of the store, taken before the employee's settlement.
    backupEncrypted(t.store.db, join(tmp.dir, 'backup.sqlite'));
    const { settled: lost } = await settle(EMPLOYEE.certNo, 'YJ-D');
    await t.close();
    for (const suffix of ['-wal', '-shm']) rmSync(storePath + suffix, { force: true });
    copyFileSync(join(tmp.dir, 'backup.sqlite'), storePath);
    t = await open();

    const report = await t.billing.reconciliation.run({ date: chinaTime(new Date()).day }, CALL);
    expect(report.totals).toEqual([expect.objectContaining({ insutype: '390', clrType: '21', localCount: 1, platformAgrees: true })]);
    expect(report.mismatches).toEqual([
      {
        kind: 'missing-locally',
        setlId: lost.setlId,
        msgid: lost.msgid,
        // 280 元 = bed 30 × 2 + CT 220. Fund 0: in scope 60 + 176 = 236 元 is under the 950 元 deductible
        // (320200 / 310, level 3), so 统筹 pays nothing (settlement-rules §4.1–4.3).
        detail: expect.stringMatching(new RegExp(`^医保平台有结算 ${lost.setlId}（就诊ID \\S+，报文 ${lost.msgid}，医疗费 280\\.00元，基金 0\\.00元），本机没有这笔记录`)),
      },
    ]);
  });
});

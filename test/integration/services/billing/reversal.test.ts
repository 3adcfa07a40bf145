import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../../services/security/passwords.ts';
import { admit, CALL, CASHIER, liveSettlements, openTestTerminal, startTestSandbox, tempDir, type TestSandbox, type TestTerminal, outcome } from './harness.ts';

/** 2305 住院结算撤销 by a supervisor with a reason, against the sandbox; refused without one. */
const PERSON = { certNo: '32020019620802112X', psnNo: '32020000000000000002' };
const SUPERVISOR = { opterNo: 'SUP07', name: '刘主管', password: 'zg-2026-07' };
const BILL = 'med_list_codg,cnt\n0010001941077,4\n0030003439479,1\n'; // 30 × 4 + 220 = 340 元

describe('settlement reversal by a supervisor', () => {
  let sandbox: TestSandbox;
  let t: TestTerminal;
  let tmp: ReturnType<typeof tempDir>;

  beforeEach(async () => {
    tmp = tempDir();
    sandbox = await startTestSandbox();
    t = await openTestTerminal({
      platformUrl: sandbox.url,
      storePath: join(tmp.dir, 'kiosk.sqlite'),
      supervisors: [{ opterNo: SUPERVISOR.opterNo, name: SUPERVISOR.name, passwordHash: hashPassword(SUPERVISOR.password) }],
    });
  });
  afterEach(async () => {
    await t?.close();
    await sandbox?.close();
    tmp?.remove();
  });

  async function settledStay() {
    const stay = await admit(t, { certNo: PERSON.certNo, deposits: [{ amountFen: 100_000, method: 'cash', receiptNo: 'YJ-V-1' }] });
    await t.billing.charges.import({ admissionId: stay.admissionId, format: 'csv', content: BILL }, CALL);
    outcome(await t.billing.discharge.preSettle({ admissionId: stay.admissionId }, CALL), 'presettled');
    return { stay, settled: outcome(await t.billing.discharge.settle({ admissionId: stay.admissionId }, CALL), 'settled').settlement };
  }

  it('is refused without a supervisor, and the settlement stays', async () => {
    const { stay, settled } = await settledStay();
    const attempt = (supervisorNo: string, supervisorPassword: string) =>
      t.billing.discharge.reverse({ settlementId: settled.settlementId, supervisorNo, supervisorPassword, reason: '患者要求重新结算' }, CALL);
    await expect(attempt(SUPERVISOR.opterNo, 'Xq9-not-it')).rejects.toMatchObject({ code: 'SUPERVISOR_REQUIRED', message: '须由主管授权：主管工号或密码不正确。' });
    await expect(attempt('SF001', SUPERVISOR.password)).rejects.toMatchObject({ code: 'SUPERVISOR_REQUIRED' });
    // The cashier's own, correct credentials approve nothing: a cashier cannot reverse.
    await expect(attempt(CASHIER.opterNo, CASHIER.password)).rejects.toMatchObject({ code: 'SUPERVISOR_REQUIRED' });
    expect((await t.billing.discharge.get({ settlementId: settled.settlementId }, CALL)).status).toBe('settled');
    expect(await liveSettlements(sandbox, PERSON.psnNo)).toHaveLength(1);
    expect(await sandbox.admin.journal({ psn_no: PERSON.psnNo, infno: '2305' })).toEqual([]);
    expect(t.store.admissions.get(stay.admissionId)?.status).toBe('settled');
    // Every attempt is in the audit log, without the password.
    const refused = t.store.audit.list({ subject: `settlement:${settled.settlementId}` }).filter((e) => e.action === 'operator.approval-refused');
    expect(refused.map((e) => e.detail)).toEqual([{ why: 'credentials' }, { why: 'credentials' }, { why: 'not-a-supervisor' }]);
    expect(JSON.stringify(refused)).not.toContain('Xq9-not-it');
    // Five failures lock the number, even for the right password.
    for (let i = 0; i < 4; i++) await expect(attempt(SUPERVISOR.opterNo, `bad-${i}`)).rejects.toMatchObject({ code: 'SUPERVISOR_REQUIRED' });
    await expect(attempt(SUPERVISOR.opterNo, SUPERVISOR.password)).rejects.toMatchObject({ code: 'SUPERVISOR_REQUIRED', message: expect.stringContaining('已锁定至') });
  });

  it('reverses with 2305, keeps the reason, reopens the stay; a new settlement counts what was already refunded', async () => {
    const { stay, settled } = await settledStay();
    const refundedFirst = t.store.money.refunds(stay.admissionId).reduce((n, r) => n + r.amountFen, 0);
    expect(refundedFirst).toBe(100_000 - settled.breakdown.psnCashPayFen);

    const reversed = outcome(
      await t.billing.discharge.reverse(
        { settlementId: settled.settlementId, supervisorNo: SUPERVISOR.opterNo, supervisorPassword: SUPERVISOR.password, reason: '漏记费用，撤销后重新结算' },
        CALL,
      ),
      'reversed',
    ).settlement;
    expect(reversed).toMatchObject({ settlementId: settled.settlementId, status: 'reversed', setlId: settled.setlId });
    expect(t.store.settlements.get(Number(settled.settlementId))?.reversalReason).toBe('漏记费用，撤销后重新结算');
    expect(await sandbox.admin.journal({ psn_no: PERSON.psnNo, infno: '2305' })).toHaveLength(1);
    expect(await liveSettlements(sandbox, PERSON.psnNo)).toHaveLength(0);
    expect(t.store.admissions.get(stay.admissionId)?.status).toBe('discharged');
    const requested = t.store.audit.list({ subject: `settlement:${settled.settlementId}` }).find((e) => e.action === 'discharge.reverse-requested');
    expect(requested?.actor).toBe(`supervisor:${SUPERVISOR.opterNo}`);
    expect(requested?.detail.reason).toBe('漏记费用，撤销后重新结算');
    // Reversing again changes nothing.
    expect((outcome(await t.billing.discharge.reverse({ settlementId: settled.settlementId, supervisorNo: SUPERVISOR.opterNo, supervisorPassword: SUPERVISOR.password, reason: '重复' }, CALL), 'reversed').settlement).status).toBe('reversed');
    expect(await sandbox.admin.journal({ psn_no: PERSON.psnNo, infno: '2305' })).toHaveLength(1);

    // The forgotten fee, then a new settlement. The hospital now holds 1000 元 − the first refund = the first
    // psn_cash_pay; the new bill is 30 元 (one bed day, 甲类 under its ceiling) larger.
    await t.billing.charges.add({ admissionId: stay.admissionId, lines: [{ medListCodg: '0010001941077', cnt: 1 }] }, CALL);
    const pre = outcome(await t.billing.discharge.preSettle({ admissionId: stay.admissionId }, CALL), 'presettled').preSettlement;
    expect(pre.breakdown.medfeeSumamtFen).toBe(settled.breakdown.medfeeSumamtFen + 3_000);
    expect(pre.breakdown.depositFen).toBe(settled.breakdown.psnCashPayFen);
    const again = outcome(await t.billing.discharge.settle({ admissionId: stay.admissionId }, CALL), 'settled').settlement;
    expect(again.settlementId).not.toBe(settled.settlementId);
    expect(again.breakdown.dueFen).toBe(again.breakdown.psnCashPayFen - settled.breakdown.psnCashPayFen);
    expect(await liveSettlements(sandbox, PERSON.psnNo)).toHaveLength(1);
    expect(t.store.settlements.byVisit(stay.admissionId).map((s) => s.status)).toEqual(['reversed', 'settled']);

    // The reversed 结算单 can still be printed, marked as reversed.
    const sheet = await t.billing.documents.render({ kind: 'settlement-sheet', settlementId: settled.settlementId, pdf: false }, CALL);
    expect(sheet.html).toContain('本结算已冲销（2305）：漏记费用，撤销后重新结算');
  });
});

import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { balanceDueOf } from '../../../../services/payments/balance-due.ts';
import { admit, CALL, CASHIER, liveSettlements, openTestTerminal, startTestSandbox, tempDir, type TestSandbox, type TestTerminal, outcome } from './harness.ts';

/**
 * Discharge settlement against the sandbox platform over HTTP, from a real SQLite file, with the amounts
 * computed here by hand from settlement-rules.md (§4 split and funds, §5 多退少补) and parameters.json.
 *
 * Patient: local-resident 李秀英 (fixtures/people.json), 城乡居民 390, insured in 无锡市区 320200, no earlier
 * settlement this year; hospital H32020000001 (无锡, level 3): case local, no reduction.
 * 320200 / 390: deductible level 3 = 800 元, ratio level 3 = 0.65, no repeatAdmission (m = 1),
 * seriousIllness threshold 15000 元 at 0.60; defaultSelfpayProp 02 = 0.10. No account (residents).
 *
 * The bill (catalogue of insurance/sandbox/fixtures/default.json):
 *   ICU bed      0010004771707 甲类 180 元 × 2, ceiling 135 元: a = 36000, over = 36000 − 27000 = 9000, inscp 27000
 *   CT           0030003439479 乙类 220 元 × 1, selfpay 0.20:   a = 22000, pre = 4400, inscp 17600
 *   MRI enhanced 0030007664191 乙类 780 元 × 1, default 0.10:   a = 78000, pre = 7800, inscp 70200
 *   降钙素原      0040013662137 丙类 150 元 × 2:                  a = 30000, fulamt_ownpay 30000
 * medfee 166000 = fulamt 30000 + overlmt 9000 + pre 12200 + inscp 114800 (fen)
 * D = 80000; act_pay_dedc = min(114800, 80000) = 80000; hifp = round((114800 − 80000) × 0.65) = 22620
 * hifmi: B = 114800 − 22620 = 92180, C = 0, T = 1500000 → max(0, 92180 − 1500000) = 0 → 0; maf 0
 * fund 22620; psn_part = 166000 − 22620 = 143380; acct 0; psn_cash_pay 143380
 */
const RESIDENT = { certNo: '32020019620802112X', psnNo: '32020000000000000002', name: '李秀英' };
const BILL_CSV = [
  'feedetl_sn,med_list_codg,cnt,pric,det_item_fee_sumamt',
  'H0001,0010004771707,2,180.00,360.00',
  'H0002,0030003439479,1,220.00,220.00',
  'H0003,0030007664191,1,780.00,780.00',
  'H0004,0040013662137,2,150.00,300.00',
].join('\n');
const EXPECTED = {
  medfeeSumamtFen: 166_000,
  fulamtOwnpayFen: 30_000,
  overlmtSelfpayFen: 9_000,
  preselfpayFen: 12_200,
  inscpScpFen: 114_800,
  actPayDedcFen: 80_000,
  hifpPayFen: 22_620,
  hifmiPayFen: 0,
  mafPayFen: 0,
  fundPaySumamtFen: 22_620,
  acctPayFen: 0,
  psnCashPayFen: 143_380,
};

describe('discharge settlement with 多退少补 (sandbox over HTTP, SQLite file)', () => {
  let sandbox: TestSandbox;
  let t: TestTerminal;
  let tmp: ReturnType<typeof tempDir>;
  const printed: string[] = [];

  beforeEach(async () => {
    tmp = tempDir();
    sandbox = await startTestSandbox();
    printed.length = 0;
    t = await openTestTerminal({
      platformUrl: sandbox.url,
      storePath: join(tmp.dir, 'kiosk.sqlite'),
      printer: { print: async (job) => (printed.push(job.html), { status: 'printed', message: '已打印' }) },
    });
  });
  afterEach(async () => {
    await t?.close();
    await sandbox?.close();
    tmp?.remove();
  });

  it('refunds the deposit left over: due = psn_cash_pay − deposits < 0', async () => {
    // Deposits 1500 元 cash then 500 元 WeChat = 2000 元; due = 143380 − 200000 = −56620 → refund 566.20 元.
    const stay = await admit(t, {
      certNo: RESIDENT.certNo,
      deposits: [
        { amountFen: 150_000, method: 'cash', receiptNo: 'YJ-R-1' },
        { amountFen: 50_000, method: 'bank-card', receiptNo: 'YJ-R-2' },
      ],
    });
    const imported = await t.billing.charges.import({ admissionId: stay.admissionId, format: 'csv', content: BILL_CSV }, CALL);
    expect(imported.totalFen).toBe(166_000);
    expect(imported.byCategory).toEqual([
      { chrgitmType: '01', label: '床位费', amountFen: 36_000 },
      { chrgitmType: '03', label: '检查费', amountFen: 100_000 },
      { chrgitmType: '04', label: '化验费', amountFen: 30_000 },
    ]);
    const uploaded = await t.billing.charges.upload({ admissionId: stay.admissionId }, CALL);
    expect(uploaded.lines.map((l) => l.state)).toEqual(['uploaded', 'uploaded', 'uploaded', 'uploaded']);

    const pre = outcome(await t.billing.discharge.preSettle({ admissionId: stay.admissionId }, CALL), 'presettled').preSettlement;
    expect(pre.breakdown).toEqual({ ...EXPECTED, depositFen: 200_000, dueFen: -56_620 });
    expect(pre.pinRequired).toBe(false);
    expect(pre.refusedLines).toEqual([]);

    const settled = outcome(await t.billing.discharge.settle({ admissionId: stay.admissionId }, CALL), 'settled').settlement;
    expect(settled.status).toBe('settled');
    expect(settled.breakdown).toEqual({ ...EXPECTED, depositFen: 200_000, dueFen: -56_620 });
    // The refund goes back the way the newest deposit was paid.
    // Under the cashier who settled (defect: the relay's write-back recorded it with no cashier, opter_no NULL).
    expect(t.store.money.refunds(stay.admissionId)).toMatchObject([{ reason: 'settlement', amountFen: 56_620, method: 'bank-card', settlementId: Number(settled.settlementId), opterNo: CASHIER.opterNo }]);
    expect(t.store.admissions.get(stay.admissionId)?.status).toBe('settled');

    const live = await liveSettlements(sandbox, RESIDENT.psnNo);
    expect(live).toHaveLength(1);
    expect(live[0]!.setl_id).toBe(settled.setlId);
    expect(live[0]!.msgid).toBe(settled.msgid);

    // Calling settle again (a double click, a resumed screen) answers the same settlement, nothing new.
    const again = outcome(await t.billing.discharge.settle({ admissionId: stay.admissionId }, CALL), 'settled').settlement;
    expect(again).toEqual(settled);
    expect(await liveSettlements(sandbox, RESIDENT.psnNo)).toHaveLength(1);
    expect(t.store.money.refunds(stay.admissionId)).toHaveLength(1);

    // The 结算单 on screen is masked; on paper the name is in full, the ID number never.
    const sheet = await t.billing.documents.render({ kind: 'settlement-sheet', settlementId: settled.settlementId, pdf: false }, CALL);
    expect(sheet.media).toBe('a4');
    expect(sheet.html).toContain('李*英');
    expect(sheet.html).not.toContain(RESIDENT.name);
    expect(sheet.html).not.toContain(RESIDENT.certNo);
    expect(sheet.html).toContain('3202**********112X');
    expect(sheet.html).toContain('1,433.80'); // 个人现金支付
    expect(sheet.html).toContain('566.20'); // 应退还
    expect(await t.billing.documents.print({ kind: 'settlement-sheet', settlementId: settled.settlementId }, CALL)).toEqual({ status: 'printed', message: '已打印' });
    expect(printed[0]).toContain(RESIDENT.name);
    expect(printed[0]).not.toContain(RESIDENT.certNo);
    // A second print is a reprint and says so.
    await t.billing.documents.print({ kind: 'settlement-sheet', settlementId: settled.settlementId }, CALL);
    expect(printed[1]).toContain('（补打）');
  });

  it('leaves what the deposits do not cover due (待补缴), recorded as collected only when it is: due = psn_cash_pay − deposits > 0', async () => {
    // Deposit 800 元; due = 143380 − 80000 = 63380 → collect 633.80 元.
    const stay = await admit(t, { certNo: RESIDENT.certNo, deposits: [{ amountFen: 80_000, method: 'cash', receiptNo: 'YJ-C-1' }] });
    await t.billing.charges.import({ admissionId: stay.admissionId, format: 'csv', content: BILL_CSV }, CALL);
    const pre = outcome(await t.billing.discharge.preSettle({ admissionId: stay.admissionId }, CALL), 'presettled').preSettlement;
    expect(pre.breakdown).toEqual({ ...EXPECTED, depositFen: 80_000, dueFen: 63_380 });
    const settled = outcome(await t.billing.discharge.settle({ admissionId: stay.admissionId }, CALL), 'settled').settlement;
    expect(settled.breakdown.dueFen).toBe(63_380);
    // The settlement collects nothing by itself (it used to record 633.80 as cash taken): the stay owes it.
    expect(t.store.money.deposits(stay.admissionId).filter((d) => d.kind === 'balance-due')).toEqual([]);
    expect(balanceDueOf(t.store, stay.admissionId)).toMatchObject({ dueFen: 63_380, paidFen: 0, outstandingFen: 63_380, open: null });
    expect((await t.billing.discharge.openStays({ q: stay.admissionId }, CALL)).map((s) => [s.status, s.balanceDueFen])).toEqual([['settled', 63_380]]);
    expect(t.store.money.refunds(stay.admissionId)).toEqual([]);
    expect(await liveSettlements(sandbox, RESIDENT.psnNo)).toHaveLength(1);
  });

  it('refuses to settle amounts the patient has not confirmed', async () => {
    const stay = await admit(t, { certNo: RESIDENT.certNo, deposits: [{ amountFen: 80_000, method: 'cash', receiptNo: 'YJ-X-1' }] });
    await t.billing.charges.import({ admissionId: stay.admissionId, format: 'csv', content: BILL_CSV }, CALL);
    await expect(t.billing.discharge.settle({ admissionId: stay.admissionId }, CALL)).rejects.toMatchObject({ code: 'ADMISSION_STATE', message: '请先预结算，并请患者确认结算金额。' });
    outcome(await t.billing.discharge.preSettle({ admissionId: stay.admissionId }, CALL), 'presettled');
    // A deposit after the pre-settlement changes 多退少补: the patient must see it again.
    await t.admission.group().addDeposit({ admissionId: stay.admissionId, deposit: { amountFen: 10_000, method: 'cash', receiptNo: 'YJ-X-2' } }, CALL);
    expect(await t.billing.discharge.settle({ admissionId: stay.admissionId }, CALL)).toMatchObject({ outcome: 'refused', reasons: ['结算金额与患者确认的预结算不一致（费用或预交金有变化）。'] });
    expect(await liveSettlements(sandbox, RESIDENT.psnNo)).toHaveLength(0);
    const pre = outcome(await t.billing.discharge.preSettle({ admissionId: stay.admissionId }, CALL), 'presettled').preSettlement;
    expect(pre.breakdown.dueFen).toBe(143_380 - 90_000);
    const settled = outcome(await t.billing.discharge.settle({ admissionId: stay.admissionId }, CALL), 'settled').settlement;
    expect(settled.breakdown.dueFen).toBe(53_380);
  });
});

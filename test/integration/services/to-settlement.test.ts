import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisterOutcome } from '../../../contract/dto/admission.ts';
import type { SettleOutcome } from '../../../contract/dto/settlement.ts';
import type { EligibilityDecision } from '../../../contract/dto/eligibility.ts';
import { credentialsOf, startHarness, type Harness } from './harness.ts';

/**
 * Card read all the way to settlement through the composition root: this half's eligibility and admission,
 * the billing half's charges and discharge (services/billing.ts), the relay, the sandbox. The split is written
 * here by hand from settlement-rules §4 and parameters.json; each bill is 100 days of 普通病房床位费 (甲类,
 * 30.00 元 < its 36.00 ceiling): 3,000.00 元 all in scope. Hospital level 3.
 */
const BED_FEE = '0010001941077';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ mode: 'admission' });
  await h.call('operator', 'signIn', credentialsOf('1001'));
}, 60_000);
afterAll(async () => {
  await h?.close();
});

async function admitAndSettle(card: string, bed: string, depositFen: number) {
  await h.control.remove().catch(() => undefined);
  expect((await h.insert(card)).name).toBe('card-read');
  const d = await h.call<EligibilityDecision>('eligibility', 'check', { credential: { kind: 'card' } });
  const registered = await h.call<RegisterOutcome>('admission', 'register', {
    checkId: d.checkId,
    deptCode: 'A04.01',
    ward: 'W11',
    bed,
    attendingDoctorCode: 'D0401001',
    attendingDoctorName: '袁建华',
    diagnosisCode: 'K80.2',
    diagnosisName: '胆囊结石不伴有胆囊炎',
    admissionType: 'normal',
    deposit: { amountFen: depositFen, receiptNo: `YJ-S-${bed}`, method: 'cash' },
  });
  expect(registered.outcome).toBe('admitted');
  const adm = registered.admission;
  await h.call('charges', 'add', { admissionId: adm.admissionId, lines: [{ medListCodg: BED_FEE, cnt: 100 }] });
  await h.call('charges', 'upload', { admissionId: adm.admissionId });
  await h.call('discharge', 'preSettle', { admissionId: adm.admissionId });
  const settled = await h.call<SettleOutcome>('discharge', 'settle', { admissionId: adm.admissionId });
  if (settled.outcome !== 'settled') throw new Error(`expected settled, got ${settled.outcome}`);
  const s = settled.settlement;
  expect(s.status).toBe('settled');
  await h.call('system', 'resetSession');
  return { decision: d, breakdown: s.breakdown };
}

describe('from card read to settlement', () => {
  it('local employee (无锡 310): deductible 950, ratio 88 %, the rest from the account, deposit refunded', async () => {
    const { decision, breakdown } = await admitAndSettle('local-employee/g3', '1101', 50_000);
    expect(decision).toMatchObject({ direct: true, scope: 'local', reduction: 0 });
    // hifp = round((3000.00 − 950.00) × 0.88) = 1804.00; own share 1196.00 ≤ balance 5234.00 → all from the account.
    expect(breakdown).toMatchObject({
      medfeeSumamtFen: 300_000,
      inscpScpFen: 300_000,
      actPayDedcFen: 95_000,
      hifpPayFen: 180_400,
      fundPaySumamtFen: 180_400,
      acctPayFen: 119_600,
      psnCashPayFen: 0,
      depositFen: 50_000,
      dueFen: -50_000,
    });
  });

  it('南京 employee unfiled (省内, 20 points less): deductible 1000 (first stay of the year), ratio 88 − 20 = 68 %', async () => {
    const { decision, breakdown } = await admitAndSettle('nj-unfiled/g3', '1102', 100_000);
    expect(decision).toMatchObject({ direct: true, scope: 'in-province', visitCase: 'unfiled', reduction: 0.2 });
    // hifp = round((3000.00 − 1000.00) × 0.68) = 1360.00; own share 1640.00 ≤ balance 4300.00.
    expect(breakdown).toMatchObject({
      medfeeSumamtFen: 300_000,
      actPayDedcFen: 100_000,
      hifpPayFen: 136_000,
      fundPaySumamtFen: 136_000,
      acctPayFen: 164_000,
      psnCashPayFen: 0,
      dueFen: -100_000,
    });
  });

  it('local resident (无锡 390, no account): deductible 800, ratio 65 %, below the 大病 threshold, cash due', async () => {
    const { decision, breakdown } = await admitAndSettle('local-resident/g3', '1103', 100_000);
    expect(decision).toMatchObject({ direct: true, scope: 'local' });
    // hifp = round((3000.00 − 800.00) × 0.65) = 1430.00; burden 1570.00 < 15000 threshold → hifmi 0; no 医疗救助;
    // cash 1570.00 − deposit 1000.00 = 570.00 to collect.
    expect(breakdown).toMatchObject({
      medfeeSumamtFen: 300_000,
      actPayDedcFen: 80_000,
      hifpPayFen: 143_000,
      hifmiPayFen: 0,
      mafPayFen: 0,
      fundPaySumamtFen: 143_000,
      acctPayFen: 0,
      psnCashPayFen: 157_000,
      depositFen: 100_000,
      dueFen: 57_000,
    });
  });
});

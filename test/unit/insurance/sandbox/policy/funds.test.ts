import { describe, expect, it } from 'vitest';
import { computeFunds, repeatFactorE4, type FundsInput } from '../../../../../insurance/sandbox/policy/funds.ts';
import type { BillTotals } from '../../../../../insurance/sandbox/policy/bill.ts';
import type { InsutypeRules } from '../../../../../insurance/sandbox/policy/parameters.ts';
import { rules } from './params.ts';

// Every expected amount below is computed by hand from parameters.json (sandbox copy) and written out; the
// engine under test never computes an expectation. Money in fen.

/** 12,000 yuan: 1,000 全自费 + 500 超限价 + 500 先行自付 + 10,000 in scope. */
const BILL: BillTotals = { medfeeSumamtFen: 1_200_000, fulamtOwnpayFen: 100_000, overlmtSelfpayFen: 50_000, preselfpayFen: 50_000, inscpFen: 1_000_000 };

function input(over: Partial<FundsInput> & { rules: InsutypeRules }): FundsInput {
  return {
    bill: BILL,
    insutype: '310',
    level: 3,
    retired: false,
    reductionE4: 0,
    earlierAdmissions: 0,
    hifpEarlierFen: 0,
    inscpBurdenEarlierFen: 0,
    assistanceRatioE4: null,
    acctUsed: false,
    balcFen: 0,
    ...over,
  };
}

describe('§4.1 deductible', () => {
  it('uses deductible[level] of the insured place (Wuxi 310, level 3: 950 yuan)', () => {
    // D = 950.00 → 95000; act_pay_dedc = min(1000000, 95000) = 95000
    // hifp = round((1000000 − 95000) × 0.88) = round(796400) = 796400
    // psn_part = 1200000 − 796400 = 403600; no account → cash 403600
    const f = computeFunds(input({ rules: rules('320200', '310') }));
    expect(f).toMatchObject({ deductibleFen: 95_000, actPayDedcFen: 95_000, ratioE4: 8_800, hifpPayFen: 796_400, hifmiPayFen: 0, mafPayFen: 0 });
    expect(f).toMatchObject({ fundPaySumamtFen: 796_400, psnPartAmtFen: 403_600, acctPayFen: 0, psnCashPayFen: 403_600 });
  });

  it('uses the level of the hospital (Wuxi 310, level 1: 400 yuan, ratio 0.95)', () => {
    // D = 40000; hifp = round((1000000 − 40000) × 0.95) = 912000
    const f = computeFunds(input({ rules: rules('320200', '310'), level: 1 }));
    expect(f).toMatchObject({ actPayDedcFen: 40_000, hifpPayFen: 912_000 });
  });

  it('uses deductibleRetired and retiredBonus for a retired psn_type (Wuxi 310 level 3: 750 yuan, 0.88 + 0.03)', () => {
    // D = 75000; r = 0.91; hifp = round(925000 × 0.91) = 841750; psn_part = 1200000 − 841750 = 358250
    const f = computeFunds(input({ rules: rules('320200', '310'), retired: true }));
    expect(f).toMatchObject({ actPayDedcFen: 75_000, ratioE4: 9_100, hifpPayFen: 841_750, psnPartAmtFen: 358_250 });
  });

  it('a block without deductibleRetired / retiredBonus gives a retiree the base figures (Wuxi 390)', () => {
    // Wuxi 390 level 3: D = 800 yuan = 80000; r = 0.65 (no bonus); hifp = round(920000 × 0.65) = 598000
    const f = computeFunds(input({ rules: rules('320200', '390'), insutype: '390', retired: true }));
    expect(f).toMatchObject({ actPayDedcFen: 80_000, ratioE4: 6_500, hifpPayFen: 598_000 });
  });

  it('act_pay_dedc = min(inscp, D) when the in-scope amount is below the deductible', () => {
    // inscp 60000 < D 95000 → dedc 60000, hifp = round(0 × 0.88) = 0, psn_part = medfee 70000
    const bill = { medfeeSumamtFen: 70_000, fulamtOwnpayFen: 10_000, overlmtSelfpayFen: 0, preselfpayFen: 0, inscpFen: 60_000 };
    const f = computeFunds(input({ rules: rules('320200', '310'), bill }));
    expect(f).toMatchObject({ actPayDedcFen: 60_000, hifpPayFen: 0, fundPaySumamtFen: 0, psnPartAmtFen: 70_000 });
  });

  describe('repeatAdmission (Nanjing 310 [1, 0.5, 0], level 3: 1000 yuan)', () => {
    const nj = rules('320100', '310');
    it('1st settled admission of the year: m = 1', () => {
      // D = 100000; r = 0.88 − 0.20 (in-province unfiled) = 0.68; hifp = round(900000 × 0.68) = 612000
      const f = computeFunds(input({ rules: nj, reductionE4: 2_000, earlierAdmissions: 0 }));
      expect(f).toMatchObject({ repeatFactorE4: 10_000, deductibleFen: 100_000, ratioE4: 6_800, hifpPayFen: 612_000 });
    });
    it('2nd: m = 0.5', () => {
      // D = round(100000 × 0.5) = 50000; hifp = round(950000 × 0.68) = 646000
      const f = computeFunds(input({ rules: nj, reductionE4: 2_000, earlierAdmissions: 1 }));
      expect(f).toMatchObject({ repeatFactorE4: 5_000, deductibleFen: 50_000, hifpPayFen: 646_000 });
    });
    it('3rd: m = 0', () => {
      // D = 0; hifp = round(1000000 × 0.68) = 680000
      const f = computeFunds(input({ rules: nj, reductionE4: 2_000, earlierAdmissions: 2 }));
      expect(f).toMatchObject({ deductibleFen: 0, actPayDedcFen: 0, hifpPayFen: 680_000 });
    });
    it('beyond the array: the last element', () => {
      expect(repeatFactorE4(nj, 4)).toBe(0);
      expect(repeatFactorE4(rules('320400', '310'), 9)).toBe(0);
    });
    it('a region without repeatAdmission: m = 1 for every admission (Wuxi)', () => {
      expect(repeatFactorE4(rules('320200', '310'), 0)).toBe(10_000);
      expect(repeatFactorE4(rules('320200', '310'), 5)).toBe(10_000);
    });
  });
});

describe('§4.2 ratio', () => {
  const base: InsutypeRules = { ...rules('320200', '310') };
  it('subtracts the reduction of the case', () => {
    // Wuxi 310 level 3: r = 0.88 − 0.10 = 0.78; hifp = round(905000 × 0.78) = 705900
    const f = computeFunds(input({ rules: base, reductionE4: 1_000 }));
    expect(f).toMatchObject({ ratioE4: 7_800, hifpPayFen: 705_900 });
  });
  it('is clamped to 1', () => {
    // 0.95 + 0.10 = 1.05 → 1; hifp = round((1000000 − 95000) × 1) = 905000
    const r: InsutypeRules = { ...base, ratioE4: { 1: 9_500, 2: 9_500, 3: 9_500 }, retiredBonusE4: 1_000, deductibleRetiredFen: null };
    const f = computeFunds(input({ rules: r, retired: true }));
    expect(f).toMatchObject({ ratioE4: 10_000, hifpPayFen: 905_000 });
  });
  it('is clamped to 0', () => {
    // 0.10 − 0.20 = −0.10 → 0; hifp = 0
    const r: InsutypeRules = { ...base, ratioE4: { 1: 1_000, 2: 1_000, 3: 1_000 } };
    const f = computeFunds(input({ rules: r, reductionE4: 2_000 }));
    expect(f).toMatchObject({ ratioE4: 0, hifpPayFen: 0, psnPartAmtFen: 1_200_000 });
  });
  it('rounds the fund half up', () => {
    // inscp 100001: (100001 − 95000) × 0.88 = 5001 × 0.88 = 4400.88 → 4401
    const bill = { medfeeSumamtFen: 100_001, fulamtOwnpayFen: 0, overlmtSelfpayFen: 0, preselfpayFen: 0, inscpFen: 100_001 };
    const f = computeFunds(input({ rules: base, bill }));
    expect(f.hifpPayFen).toBe(4_401);
  });
});

describe('§4.3 annual cap', () => {
  it('pays at most what the cap leaves this year (Wuxi 310 cap 300,000 yuan)', () => {
    // cap 30000000; earlier 29900000 → left 100000; computed 796400 → hifp = 100000
    // psn_part = 1200000 − 100000 = 1100000
    const f = computeFunds(input({ rules: rules('320200', '310'), hifpEarlierFen: 29_900_000 }));
    expect(f).toMatchObject({ hifpPayFen: 100_000, psnPartAmtFen: 1_100_000 });
  });
  it('pays nothing once the cap is used up', () => {
    const f = computeFunds(input({ rules: rules('320200', '310'), hifpEarlierFen: 30_000_000 }));
    expect(f.hifpPayFen).toBe(0);
  });
});

describe('§4.4 residents\' serious-illness insurance (Wuxi 390 level 3: D 800, r 0.65, T 15,000, 0.60)', () => {
  // Bill: 20,000 yuan all in scope. D = 80000; hifp = round(1920000 × 0.65) = 1248000; B = 2000000 − 1248000 = 752000
  const bill = { medfeeSumamtFen: 2_000_000, fulamtOwnpayFen: 0, overlmtSelfpayFen: 0, preselfpayFen: 0, inscpFen: 2_000_000 };
  const wx390 = rules('320200', '390');
  it('below the threshold: nothing', () => {
    // C = 0: max(0, 0 + 752000 − max(1500000, 0)) = 0
    const f = computeFunds(input({ rules: wx390, insutype: '390', bill }));
    expect(f).toMatchObject({ hifpPayFen: 1_248_000, hifmiPayFen: 0, psnPartAmtFen: 752_000 });
  });
  it('crossing the threshold: the part above it', () => {
    // C = 1000000: 1000000 + 752000 − max(1500000, 1000000) = 252000; × 0.60 = 151200
    // fund = 1248000 + 151200 = 1399200; psn_part = 2000000 − 1399200 = 600800
    const f = computeFunds(input({ rules: wx390, insutype: '390', bill, inscpBurdenEarlierFen: 1_000_000 }));
    expect(f).toMatchObject({ hifmiPayFen: 151_200, fundPaySumamtFen: 1_399_200, psnPartAmtFen: 600_800 });
  });
  it('already past the threshold: the whole burden of this bill', () => {
    // C = 2000000: 2000000 + 752000 − max(1500000, 2000000) = 752000; × 0.60 = 451200
    const f = computeFunds(input({ rules: wx390, insutype: '390', bill, inscpBurdenEarlierFen: 2_000_000 }));
    expect(f.hifmiPayFen).toBe(451_200);
  });
  it('employees have none, even past the threshold', () => {
    const f = computeFunds(input({ rules: rules('320200', '310'), bill, inscpBurdenEarlierFen: 5_000_000 }));
    expect(f.hifmiPayFen).toBe(0);
  });
});

describe('§4.5 医疗救助', () => {
  const bill = { medfeeSumamtFen: 2_000_000, fulamtOwnpayFen: 0, overlmtSelfpayFen: 0, preselfpayFen: 0, inscpFen: 2_000_000 };
  const wx390 = rules('320200', '390');
  it('pays assistance.ratio of what remains in scope', () => {
    // hifp 1248000 (as above), hifmi 0; maf = round((2000000 − 1248000 − 0) × 0.70) = 526400
    // fund = 1248000 + 526400 = 1774400; psn_part = 225600; residents have no account → cash 225600
    const f = computeFunds(input({ rules: wx390, insutype: '390', bill, assistanceRatioE4: 7_000, acctUsed: true, balcFen: 999_999 }));
    expect(f).toMatchObject({ mafPayFen: 526_400, fundPaySumamtFen: 1_774_400, psnPartAmtFen: 225_600, acctPayFen: 0, psnCashPayFen: 225_600 });
  });
  it('comes after the serious-illness insurance', () => {
    // C = 1000000: hifmi 151200; maf = round((2000000 − 1248000 − 151200) × 0.70) = round(420560) = 420560
    const f = computeFunds(input({ rules: wx390, insutype: '390', bill, assistanceRatioE4: 7_000, inscpBurdenEarlierFen: 1_000_000 }));
    expect(f).toMatchObject({ hifmiPayFen: 151_200, mafPayFen: 420_560 });
  });
});

describe('§4.7 personal account', () => {
  const wx310 = rules('320200', '310');
  it('pays the whole personal share when the balance covers it', () => {
    // psn_part 403600 (see §4.1 first case); balc 500000 → acct 403600, cash 0, balc after 96400
    const f = computeFunds(input({ rules: wx310, acctUsed: true, balcFen: 500_000 }));
    expect(f).toMatchObject({ acctPayFen: 403_600, psnCashPayFen: 0, balcAfterFen: 96_400 });
  });
  it('pays the balance when it is smaller than the personal share', () => {
    // balc 100000 < 403600 → acct 100000, cash 303600, balc after 0
    const f = computeFunds(input({ rules: wx310, acctUsed: true, balcFen: 100_000 }));
    expect(f).toMatchObject({ acctPayFen: 100_000, psnCashPayFen: 303_600, balcAfterFen: 0 });
  });
  it('pays nothing when acct_used_flag is 0', () => {
    const f = computeFunds(input({ rules: wx310, acctUsed: false, balcFen: 500_000 }));
    expect(f).toMatchObject({ acctPayFen: 0, psnCashPayFen: 403_600, balcAfterFen: 500_000 });
  });
  it('pays nothing where the insured place does not allow it (Shanghai accountUsable false)', () => {
    // Shanghai 310 level 3: D 1500 → 150000; r = 0.85 − 0.20 (cross-province temporary) = 0.65
    // hifp = round(850000 × 0.65) = 552500; psn_part = 1200000 − 552500 = 647500; acct 0; cash 647500
    const f = computeFunds(input({ rules: rules('310000', '310'), reductionE4: 2_000, acctUsed: true, balcFen: 1_000_000 }));
    expect(f).toMatchObject({ actPayDedcFen: 150_000, ratioE4: 6_500, hifpPayFen: 552_500, acctPayFen: 0, psnCashPayFen: 647_500 });
  });
});

describe('§6 retired psn_type', () => {
  it('is 1201, 1202, 1203, 1260 or the legacy 12', async () => {
    const { isRetired } = await import('../../../../../insurance/sandbox/policy/retired.ts');
    for (const t of ['1201', '1202', '1203', '1260', '12']) expect(isRetired(t)).toBe(true);
    for (const t of ['1101', '1300', '1501', '11', '']) expect(isRetired(t)).toBe(false);
  });
});

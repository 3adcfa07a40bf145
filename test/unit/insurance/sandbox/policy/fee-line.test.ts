import { describe, expect, it } from 'vitest';
import { lineAmountAcceptable, splitFeeLine, type CatalogueEntry } from '../../../../../insurance/sandbox/policy/fee-line.ts';

// settlement-rules §4, per fee line. defaultSelfpayProp of parameters.json: { "02": 0.10 } → 1000 (10^4-scaled).
const DEFAULTS = { '02': 1000 };

function entry(lv: string, opts: Partial<CatalogueEntry> = {}): CatalogueEntry {
  return { medListCodg: 'X', name: 'x', medChrgitmType: '09', chrgitmLv: lv, pricUplmtE6: null, selfpayPropE4: null, ...opts };
}
const yuanE6 = (y: string) => BigInt(Math.round(Number(y) * 1e6));
const cntE4 = (c: number) => BigInt(Math.round(c * 1e4));

describe('fee line amount check: |round(pric × cnt) − a| > 1 is rejected', () => {
  // pric 0.333333 × cnt 3 = 0.999999 yuan = 99.9999 fen → round = 100 fen
  const line = (a: number) => ({ amountFen: a, pricE6: 333_333n, cntE4: cntE4(3) });
  it('accepts the exact amount and 1 fen either side', () => {
    expect(lineAmountAcceptable(line(100))).toBe(true);
    expect(lineAmountAcceptable(line(99))).toBe(true);
    expect(lineAmountAcceptable(line(101))).toBe(true);
  });
  it('rejects 2 fen off either side', () => {
    expect(lineAmountAcceptable(line(98))).toBe(false);
    expect(lineAmountAcceptable(line(102))).toBe(false);
  });
});

describe('fee line split (settlement-rules §4)', () => {
  it('not in the catalogue: wholly self-paid', () => {
    const s = splitFeeLine({ amountFen: 5_000, pricE6: yuanE6('50'), cntE4: cntE4(1) }, undefined, DEFAULTS);
    expect(s).toMatchObject({ fulamtOwnpayFen: 5_000, overlmtSelfpayFen: 0, preselfpayFen: 0, inscpFen: 0, chrgitmLv: null });
  });

  it('丙类 (03): wholly self-paid even with a ceiling', () => {
    const s = splitFeeLine({ amountFen: 8_800, pricE6: yuanE6('88'), cntE4: cntE4(1) }, entry('03', { pricUplmtE6: yuanE6('10') }), DEFAULTS);
    expect(s).toMatchObject({ fulamtOwnpayFen: 8_800, overlmtSelfpayFen: 0, preselfpayFen: 0, inscpFen: 0, chrgitmLv: '03' });
  });

  it('甲类 (01) without ceiling: all in scope, no 先行自付', () => {
    // 6.17 × 2 = 12.34 yuan = 1234 fen; pre = 0; inscp = 1234
    const s = splitFeeLine({ amountFen: 1_234, pricE6: yuanE6('6.17'), cntE4: cntE4(2) }, entry('01'), DEFAULTS);
    expect(s).toMatchObject({ fulamtOwnpayFen: 0, overlmtSelfpayFen: 0, preselfpayFen: 0, inscpFen: 1_234, selfpayPropE4: 0 });
  });

  it('甲类 (01) with a ceiling below the price: the excess is 超限价自费', () => {
    // a = 30 × 1.5 = 45.00 yuan = 4500 fen; ceiling = round(25.5 × 1.5) = 38.25 yuan = 3825 fen
    // over = 4500 − 3825 = 675; base = 3825; pre = 0; inscp = 3825
    const s = splitFeeLine({ amountFen: 4_500, pricE6: yuanE6('30'), cntE4: cntE4(1.5) }, entry('01', { pricUplmtE6: yuanE6('25.5') }), DEFAULTS);
    expect(s).toMatchObject({ fulamtOwnpayFen: 0, overlmtSelfpayFen: 675, preselfpayFen: 0, inscpFen: 3_825, ceilingFen: 3_825 });
  });

  it('乙类 (02) with the default proportion', () => {
    // 45.67 × 3 = 137.01 yuan = 13701 fen; pre = round(13701 × 0.10) = round(1370.1) = 1370; inscp = 12331
    const s = splitFeeLine({ amountFen: 13_701, pricE6: yuanE6('45.67'), cntE4: cntE4(3) }, entry('02'), DEFAULTS);
    expect(s).toMatchObject({ fulamtOwnpayFen: 0, overlmtSelfpayFen: 0, preselfpayFen: 1_370, inscpFen: 12_331, selfpayPropE4: 1000 });
  });

  it('乙类 (02) with the entry\'s own proportion', () => {
    // 100 × 1 = 10000 fen; entry selfpay_prop 0.05 → pre = 500; inscp = 9500
    const s = splitFeeLine({ amountFen: 10_000, pricE6: yuanE6('100'), cntE4: cntE4(1) }, entry('02', { selfpayPropE4: 500 }), DEFAULTS);
    expect(s).toMatchObject({ preselfpayFen: 500, inscpFen: 9_500, selfpayPropE4: 500 });
  });

  it('乙类 (02) with a ceiling: 超限价 first, 先行自付 on the base', () => {
    // a = 80 × 2 = 160.00 yuan = 16000 fen; ceiling = round(60 × 2) = 12000; over = 4000; base = 12000
    // pre = round(12000 × 0.10) = 1200; inscp = 12000 − 1200 = 10800
    const s = splitFeeLine({ amountFen: 16_000, pricE6: yuanE6('80'), cntE4: cntE4(2) }, entry('02', { pricUplmtE6: yuanE6('60') }), DEFAULTS);
    expect(s).toMatchObject({ fulamtOwnpayFen: 0, overlmtSelfpayFen: 4_000, preselfpayFen: 1_200, inscpFen: 10_800 });
  });

  it('a ceiling above the amount leaves nothing over', () => {
    // a = 0.20 × 1 = 20 fen; ceiling round(0.50 × 1) = 50 fen → over = max(0, 20 − 50) = 0
    const s = splitFeeLine({ amountFen: 20, pricE6: yuanE6('0.2'), cntE4: cntE4(1) }, entry('01', { pricUplmtE6: yuanE6('0.5') }), DEFAULTS);
    expect(s).toMatchObject({ overlmtSelfpayFen: 0, inscpFen: 20 });
  });

  it('rounds 先行自付 half up', () => {
    // a = 5 fen; pre = round(5 × 0.10) = round(0.5) = 1; inscp = 4
    const s = splitFeeLine({ amountFen: 5, pricE6: yuanE6('0.05'), cntE4: cntE4(1) }, entry('02'), DEFAULTS);
    expect(s).toMatchObject({ preselfpayFen: 1, inscpFen: 4 });
  });

  it('a refund line (negative cnt) is the exact negative of its original', () => {
    // |a| = 80 × 1 = 8000; ceiling 6000; over 2000; base 6000; pre = 600; inscp = 5400 → all negated
    const s = splitFeeLine({ amountFen: -8_000, pricE6: yuanE6('80'), cntE4: cntE4(-1) }, entry('02', { pricUplmtE6: yuanE6('60') }), DEFAULTS);
    expect(s).toMatchObject({ fulamtOwnpayFen: 0, overlmtSelfpayFen: -2_000, preselfpayFen: -600, inscpFen: -5_400 });
  });
});

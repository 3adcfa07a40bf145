import { describe, expect, it } from 'vitest';
import { applyRate, fractionToE4, priceTimesCountFen, roundDiv, yuanToFen } from '../../../../../insurance/sandbox/policy/money.ts';
import { parseScaledDecimal, fenToYuanNumber } from '../../../../../insurance/sandbox/policy/decimal.ts';

describe('money: round() is half-up to a whole fen', () => {
  it('rounds halves up and the rest to nearest', () => {
    expect(roundDiv(5n, 10n)).toBe(1n); // 0.5 → 1
    expect(roundDiv(4n, 10n)).toBe(0n); // 0.4 → 0
    expect(roundDiv(15n, 10n)).toBe(2n); // 1.5 → 2
    expect(roundDiv(-15n, 10n)).toBe(-2n); // magnitude rounded: refund lines mirror their originals
  });

  it('applies a 10^4-scaled rate', () => {
    // 12345 fen × 0.88 = 10863.6 → 10864
    expect(applyRate(12345, 8800)).toBe(10864);
    // 5 fen × 0.10 = 0.5 → 1 (half up)
    expect(applyRate(5, 1000)).toBe(1);
    // 4 fen × 0.10 = 0.4 → 0
    expect(applyRate(4, 1000)).toBe(0);
  });

  it('computes round(pric × cnt) exactly in fen', () => {
    // 0.333333 yuan × 3 = 0.999999 yuan = 99.9999 fen → 100
    expect(priceTimesCountFen(333_333n, 30_000n)).toBe(100);
    // 12.345 yuan × 2.5 = 30.8625 yuan = 3086.25 fen → 3086
    expect(priceTimesCountFen(12_345_000n, 25_000n)).toBe(3086);
    // 0.005 yuan × 1 = 0.5 fen → 1 (half up)
    expect(priceTimesCountFen(5_000n, 10_000n)).toBe(1);
  });

  it('converts parameter figures exactly and refuses extra precision', () => {
    expect(yuanToFen(950)).toBe(95_000);
    expect(yuanToFen(0.1)).toBe(10);
    expect(fractionToE4(0.88)).toBe(8800);
    expect(fractionToE4(0.05)).toBe(500);
    expect(() => yuanToFen(0.001)).toThrow(/2 decimals/);
    expect(() => fractionToE4(0.12345)).toThrow(/4 decimals/);
  });
});

describe('decimal: wire numbers parsed without floats', () => {
  it('parses numbers and strings to scaled integers', () => {
    expect(parseScaledDecimal(12.5, 6)).toBe(12_500_000n);
    expect(parseScaledDecimal('12.50', 2)).toBe(1250n);
    expect(parseScaledDecimal('3', 4)).toBe(30_000n);
    expect(parseScaledDecimal(-2, 4)).toBe(-20_000n);
    expect(parseScaledDecimal(1e-7, 8)).toBe(10n);
    expect(parseScaledDecimal(0.1, 2)).toBe(10n);
  });

  it('refuses junk and excess precision', () => {
    expect(parseScaledDecimal('1.234', 2)).toBeNull();
    expect(parseScaledDecimal('1.2300', 2)).toBe(123n); // trailing zeros are not precision
    expect(parseScaledDecimal('abc', 2)).toBeNull();
    expect(parseScaledDecimal('1e3', 2)).toBeNull();
    expect(parseScaledDecimal(Number.NaN, 2)).toBeNull();
    expect(parseScaledDecimal(null, 2)).toBeNull();
    expect(parseScaledDecimal({}, 2)).toBeNull();
  });

  it('prints fen as yuan numbers with their exact decimals', () => {
    expect(fenToYuanNumber(123_456)).toBe(1234.56);
    expect(JSON.stringify(fenToYuanNumber(1))).toBe('0.01');
    expect(JSON.stringify(fenToYuanNumber(-337_926))).toBe('-3379.26');
  });
});

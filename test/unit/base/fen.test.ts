import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fen, fenToYuan, parseYuan } from '../../../base/fen.ts';

describe('fenToYuan', () => {
  it('writes yuan with exactly two decimals', () => {
    expect(fenToYuan(fen(0))).toBe('0.00');
    expect(fenToYuan(fen(5))).toBe('0.05');
    expect(fenToYuan(fen(123456))).toBe('1234.56');
    expect(fenToYuan(fen(-337926))).toBe('-3379.26');
    expect(fenToYuan(fen(-5))).toBe('-0.05');
    expect(fenToYuan(fen(100))).toBe('1.00');
  });

  it('rejects fractions of a fen', () => {
    expect(() => fenToYuan(12.5)).toThrow(RangeError);
    expect(() => fen(0.1)).toThrow(RangeError);
    expect(() => fen(Number.NaN)).toThrow(RangeError);
  });
});

describe('parseYuan', () => {
  it('reads the forms platforms send, exactly', () => {
    expect(parseYuan('23442.46')).toBe(2344246);
    expect(parseYuan(23442.46)).toBe(2344246);
    expect(parseYuan(' -3379.26 ')).toBe(-337926);
    expect(parseYuan('0')).toBe(0);
    expect(parseYuan('-0.00')).toBe(0);
    expect(parseYuan('.5')).toBe(50);
    expect(parseYuan('12.')).toBe(1200);
    expect(parseYuan('+7.1')).toBe(710);
    expect(parseYuan('1,234.56')).toBe(123456);
    expect(parseYuan(1e3)).toBe(100000);
    expect(parseYuan('1.5e2')).toBe(15000);
    expect(parseYuan('1E-2')).toBe(1);
    expect(parseYuan(0.1 + 0.2)).toBe(30); // 0.30000000000000004 yuan
  });

  it('rounds beyond two decimals half away from zero, without binary floating point', () => {
    expect(parseYuan(1.005)).toBe(101); // 1.005 * 100 = 100.49999999999999 in floating point
    expect(parseYuan('1.004')).toBe(100);
    expect(parseYuan('-1.005')).toBe(-101);
    expect(parseYuan('0.125')).toBe(13);
    expect(parseYuan('2.675')).toBe(268);
  });

  it('returns null for anything that is not an amount', () => {
    for (const v of ['', ' ', 'abc', '1.2.3', '1,23', '--1', '1e', 'NaN', 'Infinity', null, undefined, true, {}, [], Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(parseYuan(v)).toBeNull();
    }
    expect(parseYuan('1e300')).toBeNull(); // beyond a safe integer of fen
    expect(parseYuan('99999999999999999999')).toBeNull();
  });

  it('round-trips every safe amount of fen through the wire form', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(parseYuan(fenToYuan(fen(n)))).toBe(n);
      }),
    );
  });

  it('reads a yuan double with two decimals as the intended fen', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (n) => {
        expect(parseYuan(n / 100)).toBe(n);
      }),
    );
  });

  it('fast paths agree with the exact path (a leading space forces the exact path)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e14, max: 1e14 }), fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 1000)), (x) => {
        expect(parseYuan(x)).toBe(parseYuan(` ${String(x)}`));
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.boolean(), fc.bigInt({ min: 0n, max: 9_999_999_999_999n }), fc.integer({ min: 0, max: 99 }), fc.boolean(), (neg, int, frac, oneDigit) => {
        const text = `${neg ? '-' : ''}${int}.${oneDigit ? String(frac % 10) : String(frac).padStart(2, '0')}`;
        expect(parseYuan(text)).toBe(parseYuan(` ${text}`));
      }),
      { numRuns: 5000 },
    );
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.string(), fc.double()), (v) => {
        const r = parseYuan(v);
        expect(r === null || Number.isSafeInteger(r)).toBe(true);
      }),
    );
  });
});

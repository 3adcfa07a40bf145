import { describe, expect, it } from 'vitest';
import { toPolicyParameters } from '../../../../../insurance/sandbox/policy/parameters.ts';
import { PARAMS } from './params.ts';

describe('parameters.json in engine units', () => {
  it('converts yuan to fen and fractions to 10^4', () => {
    const wx = PARAMS.regions['320200']!.insutypes['310']!;
    expect(wx.deductibleFen).toEqual({ 1: 40_000, 2: 75_000, 3: 95_000 });
    expect(wx.ratioE4).toEqual({ 1: 9_500, 2: 9_200, 3: 8_800 });
    expect(wx.annualCapFen).toBe(30_000_000);
    expect(PARAMS.reductionsE4['in-province']['filed-referral']).toBe(500);
    expect(PARAMS.defaultSelfpayPropE4['02']).toBe(1_000);
    expect(PARAMS.assistance).toEqual({ identities: ['2301', '2302'], ratioE4: 7_000 });
  });
  it('reads a region without inProvinceUnfiledDirect as false (Hefei)', () => {
    expect(PARAMS.regions['340100']!.inProvinceUnfiledDirect).toBe(false);
    expect(PARAMS.regions['320282']!.inProvinceUnfiledDirect).toBe(false);
    expect(PARAMS.regions['320200']!.inProvinceUnfiledDirect).toBe(true);
  });
  it('a block without deductibleRetired / retiredBonus has none (Wuxi 390)', () => {
    const r = PARAMS.regions['320200']!.insutypes['390']!;
    expect(r.deductibleRetiredFen).toBeNull();
    expect(r.retiredBonusE4).toBe(0);
    expect(r.accountUsable).toBe(false);
    expect(r.seriousIllness).toEqual({ thresholdFen: 1_500_000, ratioE4: 6_000 });
  });
  it('refuses a malformed file with a readable error', () => {
    expect(() => toPolicyParameters({ year: 2026 })).toThrow(/poolingGroups|reductions/);
    expect(() =>
      toPolicyParameters({
        year: 2026,
        poolingGroups: [],
        reductions: { local: {}, 'in-province': {}, 'cross-province': {} },
        defaultSelfpayProp: { '02': 1.5 },
        assistance: { identities: [], ratio: 0.7 },
        regions: {},
      }),
    ).toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { splitFeeLine, expectedLineFen, type CatalogueEntry } from '../../../../../insurance/sandbox/policy/fee-line.ts';
import { sumBill } from '../../../../../insurance/sandbox/policy/bill.ts';
import { computeFunds } from '../../../../../insurance/sandbox/policy/funds.ts';
import type { HospitalLevel } from '../../../../../insurance/sandbox/policy/types.ts';
import { PARAMS } from './params.ts';

// The two invariants of settlement-rules §4 on random bills, random people and every region of parameters.json:
//   line/bill: medfee_sumamt = fulamt_ownpay_amt + overlmt_selfpay + preselfpay_amt + inscp_scp_amt
//   funds:     medfee_sumamt = fund_pay_sumamt + acct_pay + psn_cash_pay

const entryArb: fc.Arbitrary<CatalogueEntry | undefined> = fc.option(
  fc.record({
    medListCodg: fc.constant('X'),
    name: fc.constant('x'),
    medChrgitmType: fc.constantFrom('01', '03', '09', '10', '11'),
    chrgitmLv: fc.constantFrom('01', '02', '03'),
    pricUplmtE6: fc.option(fc.bigInt({ min: 0n, max: 50_000_000_000n }), { nil: null }),
    selfpayPropE4: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: null }),
  }),
  { nil: undefined },
);

const lineArb = fc
  .record({
    pricE6: fc.bigInt({ min: 1n, max: 20_000_000_000n }), // up to 20,000 yuan per unit, 6 decimals
    cntE4: fc.bigInt({ min: 1n, max: 1_000_000n }), // up to 100 units, 4 decimals
    fenOff: fc.integer({ min: -1, max: 1 }), // within the accepted 1 fen
    entry: entryArb,
  })
  .map(({ pricE6, cntE4, fenOff, entry }) => {
    const amountFen = Math.max(0, expectedLineFen({ amountFen: 0, pricE6, cntE4 }) + fenOff);
    return { amountFen, pricE6, cntE4, entry };
  });

const regionKeys = Object.keys(PARAMS.regions);

const personArb = fc.record({
  region: fc.constantFrom(...regionKeys),
  insutype: fc.constantFrom('310', '390'),
  level: fc.constantFrom<HospitalLevel>(1, 2, 3),
  retired: fc.boolean(),
  reductionE4: fc.constantFrom(0, 500, 1_000, 2_000),
  earlierAdmissions: fc.integer({ min: 0, max: 6 }),
  hifpEarlierFen: fc.integer({ min: 0, max: 70_000_000 }),
  inscpBurdenEarlierFen: fc.integer({ min: 0, max: 5_000_000 }),
  assistance: fc.boolean(),
  acctUsed: fc.boolean(),
  balcFen: fc.integer({ min: 0, max: 5_000_000 }),
});

describe('§4 invariants (property)', () => {
  it('each line splits into its four parts exactly, none negative', () => {
    fc.assert(
      fc.property(lineArb, (l) => {
        const s = splitFeeLine(l, l.entry, PARAMS.defaultSelfpayPropE4);
        expect(s.fulamtOwnpayFen + s.overlmtSelfpayFen + s.preselfpayFen + s.inscpFen).toBe(l.amountFen);
        for (const part of [s.fulamtOwnpayFen, s.overlmtSelfpayFen, s.preselfpayFen, s.inscpFen]) expect(part).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 2_000 },
    );
  });

  it('a refund line mirrors its original exactly', () => {
    fc.assert(
      fc.property(lineArb, (l) => {
        const s = splitFeeLine(l, l.entry, PARAMS.defaultSelfpayPropE4);
        const r = splitFeeLine({ amountFen: -l.amountFen, pricE6: l.pricE6, cntE4: -l.cntE4 }, l.entry, PARAMS.defaultSelfpayPropE4);
        expect(r.fulamtOwnpayFen + s.fulamtOwnpayFen).toBe(0);
        expect(r.overlmtSelfpayFen + s.overlmtSelfpayFen).toBe(0);
        expect(r.preselfpayFen + s.preselfpayFen).toBe(0);
        expect(r.inscpFen + s.inscpFen).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it('every bill: medfee = parts, and medfee = fund + acct + cash, with each fund within its bounds', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 60 }), personArb, (lines, p) => {
        const bill = sumBill(lines.map((l) => ({ amountFen: l.amountFen, split: splitFeeLine(l, l.entry, PARAMS.defaultSelfpayPropE4) })));
        expect(bill.fulamtOwnpayFen + bill.overlmtSelfpayFen + bill.preselfpayFen + bill.inscpFen).toBe(bill.medfeeSumamtFen);

        const rules = PARAMS.regions[p.region]!.insutypes[p.insutype]!;
        const f = computeFunds({
          bill,
          rules,
          insutype: p.insutype,
          level: p.level,
          retired: p.retired,
          reductionE4: p.reductionE4,
          earlierAdmissions: p.earlierAdmissions,
          hifpEarlierFen: p.hifpEarlierFen,
          inscpBurdenEarlierFen: p.inscpBurdenEarlierFen,
          assistanceRatioE4: p.assistance ? PARAMS.assistance.ratioE4 : null,
          acctUsed: p.acctUsed,
          balcFen: p.balcFen,
        });
        expect(f.fundPaySumamtFen + f.acctPayFen + f.psnCashPayFen).toBe(bill.medfeeSumamtFen);
        expect(f.fundPaySumamtFen).toBe(f.hifpPayFen + f.hifmiPayFen + f.mafPayFen);
        // bounds that make the invariant meaningful
        expect(f.actPayDedcFen).toBeLessThanOrEqual(bill.inscpFen);
        expect(f.hifpPayFen).toBeGreaterThanOrEqual(0);
        expect(f.hifpPayFen).toBeLessThanOrEqual(Math.max(0, rules.annualCapFen - p.hifpEarlierFen));
        expect(f.hifpPayFen + f.hifmiPayFen + f.mafPayFen).toBeLessThanOrEqual(bill.inscpFen);
        expect(f.acctPayFen).toBeGreaterThanOrEqual(0);
        expect(f.acctPayFen).toBeLessThanOrEqual(p.balcFen);
        expect(f.psnCashPayFen).toBeGreaterThanOrEqual(0);
        expect(f.balcAfterFen).toBe(p.balcFen - f.acctPayFen);
      }),
      { numRuns: 1_000 },
    );
  });
});

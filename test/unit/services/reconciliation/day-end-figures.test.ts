import { describe, expect, it } from 'vitest';
import { aggregateDayEnd, chinaDayRange, type DayEndFacts, type MoneyFact, type SettlementFact } from '../../../../services/reconciliation/day-end-figures.ts';

/** China wall time → epoch ms. */
const at = (chinaTime: string) => Date.parse(`${chinaTime.replace(' ', 'T')}+08:00`);
const DAY = '2026-12-07';
const range = (from = DAY, to = from, opterNo: string | null = null) => ({ ...chinaDayRange(from, to), opterNo });

let receipt = 0;
const money = (over: Partial<MoneyFact> & Pick<MoneyFact, 'kind' | 'amountFen'>): MoneyFact => ({
  iptNo: 'ZY2026000001',
  receiptNo: `R${++receipt}`,
  channel: 'cash',
  opterNo: '1001',
  at: at(`${DAY} 09:00:00`),
  ...(over.kind === 'refund' && !over.refund ? { refund: { state: 'paid' as const, paidAt: over.at ?? at(`${DAY} 09:00:00`) } } : {}),
  ...over,
});
const settlement = (over: Partial<SettlementFact>): SettlementFact => ({
  settlementId: 1,
  iptNo: 'ZY2026000001',
  setlId: 'SETL1',
  medfeeFen: 300_000,
  fundFen: 200_000,
  acctFen: 10_000,
  psnCashFen: 90_000,
  settledAt: at(`${DAY} 10:00:00`),
  settledBy: '1001',
  reversedAt: null,
  reversedBy: null,
  ...over,
});
const facts = (f: Partial<DayEndFacts>): DayEndFacts => ({ money: [], settlements: [], names: new Map([['1001', '张收费'], ['1002', '李收费']]), ...f });

describe('cashier day-end figures', () => {
  it('nets a settlement reversed the same day to zero: one settlement, one reversal, net 0, not 4 settlements', () => {
    const f = aggregateDayEnd(
      facts({
        settlements: [
          settlement({ settlementId: 1, acctFen: 0, psnCashFen: 100_000, reversedAt: at(`${DAY} 11:00:00`), reversedBy: '1001' }),
          // the stay settled again after the reversal
          settlement({ settlementId: 2, setlId: 'SETL2', settledAt: at(`${DAY} 11:30:00`), medfeeFen: 280_000, fundFen: 180_000, acctFen: 0, psnCashFen: 100_000 }),
        ],
      }),
      range(),
    );
    expect(f.total.settlements).toEqual({ settledCount: 2, reversedCount: 1, netCount: 1, medfeeFen: 280_000, fundFen: 180_000, acctFen: 0, psnCashFen: 100_000 });
    expect(f.settlementLines.map((l) => [l.settlementId, l.kind, l.status, l.medfeeFen])).toEqual([
      ['1', 'settle', 'reversed-in-range', 300_000],
      ['1', 'reversal', 'reversal', -300_000],
      ['2', 'settle', 'standing', 280_000],
    ]);
    // A zero amount negated stays 0 (not −0, which JSON and the CLI's output tell apart).
    expect(Object.is(f.settlementLines[1]!.acctFen, 0)).toBe(true);
    // The pair alone sums to zero in every column.
    const pair = f.settlementLines.filter((l) => l.settlementId === '1');
    expect(pair.reduce((n, l) => n + l.medfeeFen + l.fundFen + l.acctFen + l.psnCashFen, 0)).toBe(0);
  });

  it('counts a reversal of an earlier day as −1 with its amounts negated', () => {
    const f = aggregateDayEnd(facts({ settlements: [settlement({ settledAt: at('2026-12-05 10:00:00'), reversedAt: at(`${DAY} 08:00:00`), reversedBy: '1002' })] }), range());
    expect(f.total.settlements).toMatchObject({ settledCount: 0, reversedCount: 1, netCount: -1, medfeeFen: -300_000, fundFen: -200_000 });
    expect(f.operators.map((o) => [o.opterNo, o.settlements.netCount])).toEqual([['1002', -1]]);
  });

  it('totals deposits, 补缴 and paid refunds per channel, and the cash to hand in is cash in − cash out', () => {
    const f = aggregateDayEnd(
      facts({
        money: [
          money({ kind: 'deposit', amountFen: 500_000 }),
          money({ kind: 'deposit', amountFen: 200_000 }),
          money({ kind: 'deposit', amountFen: 300_000, channel: 'bank-card' }),
          money({ kind: 'deposit', amountFen: 100_000, channel: 'alipay' }),
          money({ kind: 'balance-due', amountFen: 12_345 }),
          money({ kind: 'balance-due', amountFen: 5_000, channel: 'alipay' }),
          money({ kind: 'refund', amountFen: 45_600 }),
          money({ kind: 'refund', amountFen: 20_000, channel: 'bank-card' }),
        ],
      }),
      range(),
    );
    expect(f.total.channels).toEqual([
      { channel: 'cash', depositCount: 2, depositFen: 700_000, balanceDueCount: 1, balanceDueFen: 12_345, refundCount: 1, refundFen: 45_600, voidCount: 0, voidFen: 0, netFen: 666_745 },
      { channel: 'bank-card', depositCount: 1, depositFen: 300_000, balanceDueCount: 0, balanceDueFen: 0, refundCount: 1, refundFen: 20_000, voidCount: 0, voidFen: 0, netFen: 280_000 },
      { channel: 'alipay', depositCount: 1, depositFen: 100_000, balanceDueCount: 1, balanceDueFen: 5_000, refundCount: 0, refundFen: 0, voidCount: 0, voidFen: 0, netFen: 105_000 },
    ]);
    expect(f.total.cash).toEqual({ inFen: 712_345, outFen: 45_600, handInFen: 666_745 });
  });

  it('counts a gateway refund only when paid; 退款中 and refused ones are listed, not counted', () => {
    const f = aggregateDayEnd(
      facts({
        money: [
          money({ kind: 'refund', amountFen: 30_000, channel: 'alipay', refund: { state: 'paid', paidAt: at(`${DAY} 09:05:00`) } }),
          money({ kind: 'refund', amountFen: 40_000, channel: 'alipay', refund: { state: 'refunding' }, receiptNo: 'TK-A' }),
          money({ kind: 'refund', amountFen: 50_000, channel: 'alipay', refund: { state: 'attention' }, receiptNo: 'TK-B' }),
          // recorded yesterday, confirmed by the gateway today: today's refund
          money({ kind: 'refund', amountFen: 60_000, channel: 'alipay', at: at('2026-12-06 23:00:00'), refund: { state: 'paid', paidAt: at(`${DAY} 00:10:00`) } }),
        ],
      }),
      range(),
    );
    expect(f.total.channels.find((c) => c.channel === 'alipay')).toMatchObject({ refundCount: 2, refundFen: 90_000 });
    expect(f.refundsInFlight.map((r) => [r.receiptNo, r.amountFen, r.state])).toEqual([
      ['TK-A', 40_000, 'refunding'],
      ['TK-B', 50_000, 'attention'],
    ]);
    expect(f.total.refundsInFlight).toEqual({ count: 2, fen: 90_000 });
    // The receipt list has the paid ones only, each at the moment it was paid.
    expect(f.moneyLines.map((m) => [m.at, m.amountFen])).toEqual([
      ['2026-12-07 00:10:00', 60_000],
      ['2026-12-07 09:05:00', 30_000],
    ]);
    // Cash is not touched by gateway refunds.
    expect(f.total.cash).toEqual({ inFen: 0, outFen: 0, handInFen: 0 });
  });

  it('keeps two operators apart; the total is their sum; one operator alone on request', () => {
    const all = facts({
      money: [
        money({ kind: 'deposit', amountFen: 100_000, opterNo: '1001' }),
        money({ kind: 'deposit', amountFen: 70_000, opterNo: '1002' }),
        money({ kind: 'refund', amountFen: 15_000, opterNo: '1002' }),
      ],
      settlements: [settlement({ settledBy: '1001' }), settlement({ settlementId: 2, setlId: 'SETL2', settledBy: '1002', reversedAt: at(`${DAY} 12:00:00`), reversedBy: '1002' })],
    });
    const f = aggregateDayEnd(all, range());
    expect(f.operators.map((o) => [o.opterNo, o.name, o.cash.handInFen, o.settlements.netCount])).toEqual([
      ['1001', '张收费', 100_000, 1],
      ['1002', '李收费', 55_000, 0],
    ]);
    expect(f.total.cash.handInFen).toBe(155_000);
    expect(f.total.settlements.netCount).toBe(1);
    const one = aggregateDayEnd(all, range(DAY, DAY, '1002'));
    expect(one.operators.map((o) => o.opterNo)).toEqual(['1002']);
    expect(one.total).toEqual(one.operators[0]);
    expect(one.settlementLines.every((l) => l.opterNo === '1002')).toBe(true);
    // An operator with nothing that day still gets a (zero) report.
    const none = aggregateDayEnd(all, range(DAY, DAY, '1003'));
    expect(none.total).toMatchObject({ opterNo: '1003', cash: { inFen: 0, outFen: 0, handInFen: 0 }, settlements: { netCount: 0 } });
  });

  it('cuts days at midnight China time (16:00 UTC), not at the machine’s midnight', () => {
    const late = money({ kind: 'deposit', amountFen: 11_100, at: at(`${DAY} 23:59:59`) });
    const early = money({ kind: 'deposit', amountFen: 22_200, at: at('2026-12-08 00:00:00') });
    expect(new Date(early.at).toISOString()).toBe('2026-12-07T16:00:00.000Z');
    const night = settlement({ settledAt: at(`${DAY} 23:50:00`), reversedAt: at('2026-12-08 00:10:00') });
    const f = facts({ money: [late, early], settlements: [night] });

    const d7 = aggregateDayEnd(f, range(DAY));
    expect(d7.total.cash.inFen).toBe(11_100);
    expect(d7.settlementLines.map((l) => l.status)).toEqual(['reversed-later']);
    expect(d7.total.settlements.netCount).toBe(1);

    const d8 = aggregateDayEnd(f, range('2026-12-08'));
    expect(d8.total.cash.inFen).toBe(22_200);
    expect(d8.total.settlements).toMatchObject({ settledCount: 0, reversedCount: 1, netCount: -1 });

    const both = aggregateDayEnd(f, range(DAY, '2026-12-08'));
    expect(both.total.cash.inFen).toBe(33_300);
    expect(both.total.settlements).toMatchObject({ settledCount: 1, reversedCount: 1, netCount: 0, medfeeFen: 0 });
    expect(both.settlementLines.map((l) => l.at)).toEqual(['2026-12-07 23:50:00', '2026-12-08 00:10:00']);
  });

  it('refuses a range that ends before it starts', () => {
    expect(() => chinaDayRange('2026-12-08', DAY)).toThrow(RangeError);
  });

  it('a voided cash deposit (作废) corrects the drawer of the cashier who took it, on the day of the void, as its own line', () => {
    const f = aggregateDayEnd(
      facts({
        money: [
          money({ kind: 'deposit', amountFen: 500_000, receiptNo: 'YJ-1' }), // 5,000.00 typed for 500.00
          money({ kind: 'void', amountFen: 500_000, receiptNo: 'YJ-1', at: at(`${DAY} 09:05:00`), voidedBy: '9001' }),
          money({ kind: 'deposit', amountFen: 50_000, receiptNo: 'YJ-2', at: at(`${DAY} 09:06:00`) }),
          // a bank-card deposit voided the next day counts on that day, not this one
          money({ kind: 'deposit', amountFen: 30_000, channel: 'bank-card', receiptNo: 'POS-1' }),
          money({ kind: 'void', amountFen: 30_000, channel: 'bank-card', receiptNo: 'POS-1', at: at('2026-12-08 08:00:00'), voidedBy: '9001' }),
        ],
      }),
      range(),
    );
    const cash = f.total.channels.find((c) => c.channel === 'cash')!;
    expect(cash).toMatchObject({ depositCount: 2, depositFen: 550_000, voidCount: 1, voidFen: 500_000, netFen: 50_000 });
    expect(f.total.cash).toEqual({ inFen: 50_000, outFen: 0, handInFen: 50_000 });
    expect(f.total.channels.find((c) => c.channel === 'bank-card')).toMatchObject({ depositFen: 30_000, voidCount: 0, netFen: 30_000 });
    expect(f.operators.map((o) => o.opterNo)).toEqual(['1001']); // the supervisor has no drawer of their own here
    expect(f.moneyLines.filter((l) => l.kind === 'void')).toEqual([
      { kind: 'void', at: `${DAY} 09:05:00`, iptNo: 'ZY2026000001', receiptNo: 'YJ-1', opterNo: '1001', channel: 'cash', amountFen: 500_000, voidedBy: '9001' },
    ]);
    const nextDay = aggregateDayEnd(facts({ money: [money({ kind: 'void', amountFen: 30_000, channel: 'bank-card', receiptNo: 'POS-1', at: at('2026-12-08 08:00:00'), voidedBy: '9001' })] }), range('2026-12-08'));
    expect(nextDay.total.channels.find((c) => c.channel === 'bank-card')).toMatchObject({ depositCount: 0, voidCount: 1, voidFen: 30_000, netFen: -30_000 });
  });
});

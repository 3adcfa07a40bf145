import { describe, expect, it } from 'vitest';
import { dayEndSections } from '../../../../contract/day-end-text.ts';
import type { DayEndReport, OperatorFigures } from '../../../../contract/dto/day-end.ts';
import { renderDayEndSheet } from '../../../../services/documents/day-end-sheet.ts';
import { dayEndText } from '../../../../cli/commands/day-end.ts';

const figures = (opterNo: string, name: string | null, depositFen: number): OperatorFigures => ({
  opterNo,
  name,
  channels: [{ channel: 'cash', depositCount: 1, depositFen, balanceDueCount: 0, balanceDueFen: 0, refundCount: 0, refundFen: 0, voidCount: 0, voidFen: 0, netFen: depositFen }],
  settlements: { settledCount: 0, reversedCount: 0, netCount: 0, medfeeFen: 0, fundFen: 0, acctFen: 0, psnCashFen: 0 },
  cash: { inFen: depositFen, outFen: 0, handInFen: depositFen },
  refundsInFlight: { count: 0, fen: 0 },
});

/** A report over every operator (no 工号 asked) with the given operators; the total as the service builds it ('' 工号). */
function everyone(operators: OperatorFigures[]): DayEndReport {
  const sum = operators.reduce((n, o) => n + o.cash.inFen, 0);
  return {
    from: '2026-12-07',
    to: '2026-12-07',
    opterNo: null,
    generatedAt: '2026-12-07 18:00:00',
    operators,
    total: figures('', null, sum),
    settlementLines: [],
    moneyLines: [],
    refundsInFlight: [],
    auditChain: { ok: true, checked: 3, headSeq: 3, headHash: 'ab'.repeat(32), problems: [], problemCount: 0 },
  };
}

const PLACE = { hospitalName: '无锡市第一人民医院', terminalName: '出院结算 1 号窗口' };

describe('day-end sections (one layout for the screen, the paper and the CLI)', () => {
  it('titles the one cashier of an every-operator report by name — the paper and the CLI said "收款员 未记录收款员"', () => {
    const r = everyone([figures('0002', '王收费', 50_000)]);
    expect(dayEndSections(r).map((s) => s.title)).toEqual(['0002 王收费']);
    const html = renderDayEndSheet(r, PLACE);
    expect(html).toContain('收款员 0002 王收费');
    expect(html).not.toContain('未记录收款员');
    expect(dayEndText(r)).toContain('■ 0002 王收费');
    expect(dayEndText(r)).not.toContain('未记录收款员');
  });

  it('lists each cashier and then the total when several took money', () => {
    const r = everyone([figures('0002', '王收费', 50_000), figures('0003', '李收费', 20_000)]);
    const sections = dayEndSections(r);
    expect(sections.map((s) => s.title)).toEqual(['0002 王收费', '0003 李收费', '合计（全部收款员）']);
    expect(sections[2]!.figures.cash.handInFen).toBe(70_000);
    expect(renderDayEndSheet(r, PLACE)).toContain('合计（全部收款员）');
  });

  it('a broken audit chain stands out on the paper the supervisor signs (it was a footnote like the others)', () => {
    const ok = everyone([figures('0002', '王收费', 50_000)]);
    expect(renderDayEndSheet(ok, PLACE)).toContain('<div data-audit>审计记录完好');
    const broken = { ...ok, auditChain: { ...ok.auditChain, ok: false, problems: ['edited @20: row 20 was changed after it was written'], problemCount: 1 } };
    expect(renderDayEndSheet(broken, PLACE)).toContain('<div data-audit class="audit-broken">审计记录校验失败（1 处异常）');
    expect(renderDayEndSheet(broken, PLACE)).toMatch(/\.audit-broken \{ font-weight: bold;[^}]*border:/);
  });

  it('writes the lines\' times as the screen does: time of day in a one-day report, an earlier day\'s refund with its day; never 2026-12-07 10:00', () => {
    const r: DayEndReport = {
      ...everyone([figures('0002', '王收费', 50_000)]),
      moneyLines: [{ kind: 'deposit', at: '2026-12-07 09:00:00', iptNo: 'ZY2026000008', receiptNo: 'YJ1', opterNo: '0002', channel: 'cash', amountFen: 50_000 }],
      refundsInFlight: [
        { iptNo: 'ZY2026000009', receiptNo: 'TK-1', opterNo: '0002', channel: 'cash', amountFen: 7_000, since: '2026-12-07 10:00:00', state: 'refunding' },
        { iptNo: 'ZY2026000010', receiptNo: 'TK-2', opterNo: '0002', channel: 'cash', amountFen: 8_000, since: '2026-12-05 11:00:00', state: 'refunding' },
      ],
    };
    for (const text of [renderDayEndSheet(r, PLACE), dayEndText(r)]) {
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2} \d{2}:/);
      expect(text).toContain('2026年12月5日 11:00:00');
      expect(text).toContain('退款中（未计入已退款与应缴现金）');
    }
    expect(renderDayEndSheet(r, PLACE)).toContain('<td>10:00:00</td>');
  });

  it('shows the asked cashier alone', () => {
    const own = figures('0003', '李收费', 20_000);
    expect(dayEndSections({ opterNo: '0003', operators: [own], total: own }).map((s) => s.title)).toEqual(['0003 李收费']);
  });
});

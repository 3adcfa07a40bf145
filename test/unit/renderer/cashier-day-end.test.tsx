// @vitest-environment jsdom
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../../renderer/app/App.tsx';
import type { DayEndQuery, DayEndReport, OperatorFigures } from '../../../contract/dto/day-end.ts';
import { fakeKiosk } from '../../fakes/fake-kiosk.ts';
import { renderWith } from './harness.tsx';

const figures = (opterNo: string, name: string | null, handInFen: number): OperatorFigures => ({
  opterNo,
  name,
  channels: [{ channel: 'cash', depositCount: 1, depositFen: 50_000, balanceDueCount: 0, balanceDueFen: 0, refundCount: 1, refundFen: 50_000 - handInFen, voidCount: 0, voidFen: 0, netFen: handInFen }],
  settlements: { settledCount: 2, reversedCount: 1, netCount: 1, medfeeFen: 28_000, fundFen: 0, acctFen: 0, psnCashFen: 28_000 },
  cash: { inFen: 50_000, outFen: 50_000 - handInFen, handInFen },
  refundsInFlight: { count: 1, fen: 7_000 },
});

function report(q: DayEndQuery): DayEndReport {
  const own = figures('0002', '王收费', -12_345);
  return {
    from: q.from,
    to: q.to ?? q.from,
    opterNo: q.opterNo ?? null,
    generatedAt: '2026-03-02 18:00:00',
    operators: [own],
    total: own,
    settlementLines: [],
    moneyLines: [{ kind: 'refund', at: '2026-03-02 09:00:00', iptNo: 'ZY2026000008', receiptNo: 'TK-ZY2026000008-2', opterNo: '0002', channel: 'cash', amountFen: 62_345 }],
    refundsInFlight: [{ iptNo: 'ZY2026000009', receiptNo: 'TK-ZY2026000009-3', opterNo: '0002', channel: 'alipay', amountFen: 7_000, since: '2026-03-02 10:00:00', state: 'refunding' }],
    auditChain: { ok: true, checked: 12, headSeq: 12, headHash: 'cd'.repeat(32), problems: [], problemCount: 0 },
  };
}

describe('cashier day-end (日终 tab)', () => {
  it('asks for the signed-in cashier’s day, shows the figures in yuan with 退款中 apart, and prints the same query', async () => {
    const fake = fakeKiosk(
      {
        reconciliation: { dayEnd: async (q) => report(q) },
        documents: { print: async () => ({ status: 'spooled-pdf' as const, message: '未连接打印机，已生成 PDF 文件：/tmp/x.pdf' }) },
        discharge: { openStays: async () => [] },
      },
      { mode: 'discharge', demo: false, today: '2026-03-02', operator: { opterNo: '0002', name: '王收费' } },
    );
    renderWith(fake, <App />);
    fireEvent.click(await screen.findByTestId('tab-reconciliation'));
    // The first day has the focus; the day and the cashier are filled in: Enter is enough.
    expect(document.activeElement?.getAttribute('name')).toBe('day-end-from');
    fireEvent.click(screen.getByTestId('day-end-run'));
    const section = await screen.findByTestId('day-end-0002');
    expect(fake.callsTo('reconciliation.dayEnd')).toEqual([{ from: '2026-03-02', to: '2026-03-02', opterNo: '0002' }]);
    expect(within(section).getByText('-123.45', { selector: '[data-figure="hand-in"]' })).toBeTruthy();
    expect(section.textContent).toContain('应缴现金为负');
    expect(section.textContent).toContain('应缴现金 -123.45 元　退款中 1 笔 70.00 元（未计入）');
    expect(screen.getByTestId('day-end-in-flight').textContent).toContain('TK-ZY2026000009-3');
    expect(screen.getByTestId('day-end-money-lines').textContent).toContain('TK-ZY2026000008-2');
    // Times as the paper writes them: the time of day in a one-day report, never "2026-03-02 10:00:00".
    expect(screen.getByTestId('day-end-in-flight').textContent).toContain('10:00:00');
    expect(screen.getByTestId('day-end-money-lines').textContent).toContain('09:00:00');
    expect(document.body.textContent).not.toMatch(/\d{4}-\d{2}-\d{2} \d{2}:/);
    expect(screen.getByTestId('day-end-range').textContent).toBe('收款员 0002 王收费，2026年3月2日 00:00 至 24:00（北京时间），生成于 2026年3月2日 18:00:00');
    fireEvent.click(screen.getByTestId('print-day-end-report'));
    await waitFor(() => expect(fake.callsTo('documents.print')).toEqual([{ kind: 'day-end-report', dayEnd: { from: '2026-03-02', to: '2026-03-02', opterNo: '0002' } }]));
    expect((await screen.findByTestId('print-day-end-report-result')).textContent).toContain('已生成 PDF 文件');
  });
});

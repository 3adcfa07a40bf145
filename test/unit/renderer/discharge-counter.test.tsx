// @vitest-environment jsdom
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../../renderer/app/App.tsx';
import { fakeKiosk } from '../../fakes/fake-kiosk.ts';
import { sampleAdmission, sampleBreakdown, sampleCharges, sampleSettlement } from '../../fakes/kiosk-samples.ts';
import { renderWith } from './harness.tsx';
import type { BalanceDueView } from '../../../contract/dto/payments.ts';

/** 少补 as the terminal reports it: nothing collected yet (or, with `paid`, the cash collection). */
function balance(outstandingFen: number, paid: BalanceDueView['payments'] = []): BalanceDueView {
  return { admissionId: 'adm-1', settlementId: '1', dueFen: 12_345, paidFen: 12_345 - outstandingFen, outstandingFen, payments: paid, open: null };
}

function counterFake(over: Parameters<typeof fakeKiosk>[0] = {}) {
  return fakeKiosk(
    {
      discharge: {
        openStays: async () => [sampleAdmission()],
        preSettle: async () => ({
          outcome: 'presettled' as const,
          preSettlement: { admissionId: 'adm-1', breakdown: sampleBreakdown({ dueFen: 12_345 }), pinRequired: false, refusedLines: [{ feedetlSn: 'F9', reason: '超出限定支付范围' }], computedAt: '2026-03-02 10:00:00' },
        }),
        settle: async () => ({ outcome: 'settled' as const, settlement: sampleSettlement({ breakdown: sampleBreakdown({ dueFen: 12_345 }) }) }),
        list: async () => [sampleSettlement()],
        reverse: async () => ({ outcome: 'reversed' as const, settlement: sampleSettlement({ status: 'reversed' }) }),
      },
      charges: { list: async () => sampleCharges(), upload: async () => ({ ...sampleCharges(), lines: sampleCharges().lines.map((l) => ({ ...l, state: 'uploaded' as const })) }) },
      payments: { balanceDue: async () => balance(12_345), deposits: async ({ admissionId }) => ({ admissionId, depositsFen: 0, heldFen: 0, deposits: [] }) },
      documents: {
        render: async ({ kind }) => ({ kind, title: '医保结算单', html: '<p>结算单</p>', pdfBase64: null, media: 'a4' as const }),
        print: async () => ({ status: 'spooled-pdf' as const, message: '打印机未就绪，已生成 PDF 并送入打印队列。' }),
      },
      ...over,
    },
    { mode: 'discharge', demo: false, operator: { opterNo: '0002', name: '王收费' } },
  );
}

describe('discharge counter', () => {
  it('opens a stay, filters charges by category and search, pre-settles, settles and prints', async () => {
    const fake = counterFake();
    renderWith(fake, <App />);
    // Already signed in (the status carries the operator): straight to the open stays.
    fireEvent.click(await screen.findByTestId('open-stay'));
    const charges = await screen.findByTestId('charges');
    expect(screen.getByTestId('charges-shown').textContent).toBe('显示 3 / 3 项，合计 3,085.00 元');
    fireEvent.click(within(charges).getByRole('button', { name: /检查费/ }));
    expect(screen.getByTestId('charges-shown').textContent).toBe('显示 1 / 3 项，合计 3,000.00 元');
    fireEvent.click(within(charges).getByRole('button', { name: /全部/ }));
    fireEvent.change(screen.getByTestId('charges-search'), { target: { value: '阿司匹林' } });
    expect(screen.getByTestId('charges-shown').textContent).toBe('显示 1 / 3 项，合计 5.00 元');

    fireEvent.click(screen.getByTestId('upload-charges'));
    await waitFor(() => expect(fake.callsTo('charges.upload')).toEqual([{ admissionId: 'adm-1' }]));

    fireEvent.click(screen.getByTestId('presettle'));
    const table = await screen.findByTestId('breakdown');
    for (const label of ['总费用', '统筹基金支付', '大病保险支付', '医疗救助支付', '个人账户支付', '个人现金支付', '已交预交金']) expect(table.textContent).toContain(label);
    expect(within(table).getByText('总费用').closest('tr')!.textContent).toContain('12,345.00 元');
    expect(screen.getByTestId('breakdown-due').textContent).toBe('应补缴123.45 元');
    expect(screen.getByTestId('refused-lines').textContent).toContain('超出限定支付范围');
    expect(fake.callsTo('discharge.settle')).toHaveLength(0);

    fireEvent.click(screen.getByTestId('settle'));
    // 少补: due, not collected — the settlement no longer counts it as taken.
    expect((await screen.findByTestId('settled-due')).textContent).toBe('待补缴 123.45 元');
    fireEvent.click(screen.getByTestId('print-settlement-sheet'));
    const printed = await screen.findByTestId('print-settlement-sheet-result');
    expect(printed.getAttribute('data-status')).toBe('spooled-pdf');
    // Not printed yet: said as a warning, not in the success colour.
    expect(printed.className).toBe('warn-text');
    await screen.findByTestId('preview-settlement-sheet');
  });

  it('collects the balance in cash: the change is shown, nothing is recorded until the cashier confirms', async () => {
    const cashOrder = { outTradeNo: 'BJ-adm-1-1', channel: 'cash' as const, scene: 'counter' as const, purpose: 'balance-due' as const, admissionId: 'adm-1', amountFen: 12_345, state: 'applied' as const, qrCode: null, expiresAt: 0, secondsLeft: 0, tradeNo: null, message: null, tenderedFen: 20_000 };
    let collected = false;
    const fake = counterFake({
      payments: {
        balanceDue: async () => (collected ? balance(0, [cashOrder]) : balance(12_345)),
        collectBalance: async () => {
          collected = true;
          return { order: cashOrder, balance: balance(0, [cashOrder]) };
        },
      },
    });
    renderWith(fake, <App />);
    fireEvent.click(await screen.findByTestId('open-stay'));
    await screen.findByTestId('charges');
    fireEvent.click(screen.getByTestId('presettle'));
    await screen.findByTestId('breakdown');
    fireEvent.click(screen.getByTestId('settle'));
    fireEvent.click(await screen.findByTestId('balance-cash'));
    fireEvent.change(screen.getByTestId('balance-cash-input'), { target: { value: '100' } });
    expect(screen.queryByTestId('balance-change')).toBeNull(); // 100.00 < 123.45: no change, refused
    fireEvent.change(screen.getByTestId('balance-cash-input'), { target: { value: '200' } });
    expect(screen.getByTestId('balance-change').textContent).toBe('找零 76.55 元');
    fireEvent.submit(screen.getByTestId('balance-cash-form'));
    expect((await screen.findByTestId('balance-confirm')).textContent).toContain('确认收取现金：应收 123.45 元，实收 200.00 元，找零 76.55 元');
    expect(fake.callsTo('payments.collectBalance')).toEqual([]);
    fireEvent.click(screen.getByTestId('balance-confirm-submit'));
    await waitFor(() => expect(screen.getByTestId('settled-due').textContent).toBe('补缴已收清'));
    expect(fake.callsTo('payments.collectBalance')).toEqual([{ admissionId: 'adm-1', channel: 'cash', amountFen: 12_345, tenderedFen: 20_000 }]);
    expect(screen.getByTestId('balance-payment').textContent).toContain('200.00 元 / 76.55 元');
  });

  it('shows why settlement cannot happen offline, with the guidance (an outcome value, not an error)', async () => {
    const fake = counterFake({
      discharge: {
        openStays: async () => [sampleAdmission()],
        preSettle: async () => ({
          outcome: 'waiting' as const,
          reason: 'offline' as const,
          // As services/discharge/outcomes.ts words it: no self-pay way (the terminal has none, docs/services.md).
          message: '出院预结算需要连接医保平台，当前无法连接。',
          guidance: ['费用和登记信息已保存在本机；医保平台恢复连接后会自动上传，届时再办理即可。', '医保平台恢复前，请不要让患者重复缴费。'],
        }),
      },
    });
    renderWith(fake, <App />);
    fireEvent.click(await screen.findByTestId('open-stay'));
    fireEvent.click(await screen.findByTestId('presettle'));
    const err = await screen.findByTestId('error');
    expect(err.getAttribute('data-code')).toBe('SETTLEMENT_NEEDS_PLATFORM');
    expect(screen.getByTestId('error-guidance').textContent).toContain('医保平台恢复连接后会自动上传');
  });

  it('reverses a settlement only with the supervisor, a password and a reason', async () => {
    const fake = counterFake();
    renderWith(fake, <App />);
    fireEvent.click(await screen.findByTestId('tab-settlements'));
    // 2305 is 撤销结算, as the day-end report and the 2305 itself call it: 冲正 is the platform's 2601, which the
    // counter shows for a settlement whose answer was lost (系统正在冲正) — one word for each, never both for one.
    expect((await screen.findByTestId('reverse')).textContent).toBe('撤销结算');
    fireEvent.click(screen.getByTestId('reverse'));
    const dialog = await screen.findByTestId('reverse-dialog');
    expect(dialog.textContent).not.toContain('冲正');
    fireEvent.submit(dialog);
    expect(dialog.textContent).toContain('请输入主管工号和密码');
    fireEvent.change(within(dialog).getByLabelText('主管工号'), { target: { value: '8001' } });
    fireEvent.change(within(dialog).getByLabelText('主管密码'), { target: { value: 'secret' } });
    fireEvent.change(within(dialog).getByLabelText('撤销原因'), { target: { value: '费用录入错误' } });
    fireEvent.submit(dialog);
    await waitFor(() => expect(screen.queryByTestId('reverse-dialog')).toBeNull());
    expect(fake.callsTo('discharge.reverse')).toEqual([{ settlementId: 'set-1', supervisorNo: '8001', supervisorPassword: 'secret', reason: '费用录入错误' }]);
  });

  it('runs the day-end reconciliation and lists mismatches in words', async () => {
    const fake = counterFake({
      reconciliation: {
        run: async ({ date }) => ({
          date,
          totals: [{ insutype: '310', clrType: '21', localCount: 3, localFundFen: 900_000, localCashFen: 100_000, platformAgrees: false, platformMessage: '笔数不符' }],
          mismatches: [{ kind: 'missing-locally' as const, setlId: 'SETL9', msgid: null, detail: '平台有一笔本地没有的结算' }],
          auditChain: { ok: false, checked: 40, headSeq: 40, headHash: 'ab'.repeat(32), problems: ['record-changed @12: refunds:1 differs from its audited value'], problemCount: 1 },
        }),
      },
    });
    renderWith(fake, <App />);
    fireEvent.click(await screen.findByTestId('tab-reconciliation'));
    fireEvent.change(screen.getByLabelText('对账日期'), { target: { value: '2026-03-02' } });
    fireEvent.click(screen.getByTestId('reconcile-run'));
    expect((await screen.findByTestId('reconcile-verdict')).textContent).toBe('2026年3月2日 对账有差异，请核查');
    expect(screen.getByTestId('reconcile-mismatches').textContent).toContain('平台有、本地无');
    expect(screen.getByTestId('reconcile-audit').textContent).toBe(`审计记录校验失败（1 处异常），请立即通知信息科（kiosk store audit 逐条列出）。链头：第 40 条 ${'ab'.repeat(32)}`);
    expect(fake.callsTo('reconciliation.run')).toEqual([{ date: '2026-03-02' }]);
  });
});

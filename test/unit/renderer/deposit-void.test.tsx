// @vitest-environment jsdom
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DepositView, StayDeposits } from '../../../contract/dto/payments.ts';
import { KioskError } from '../../../contract/errors.ts';
import { DepositList } from '../../../renderer/payment/DepositList.tsx';
import { fakeKiosk } from '../../fakes/fake-kiosk.ts';
import { renderWith } from './harness.tsx';

const row = (over: Partial<DepositView>): DepositView => ({
  depositId: '1',
  admissionId: 'ZY2026000001',
  kind: 'deposit',
  method: 'cash',
  amountFen: 500_000,
  receiptNo: 'YJ-1',
  opterNo: 'SF001',
  receivedAt: '2026-12-07 09:00:00',
  void: null,
  voidRefusal: null,
  ...over,
});
const live = (deposits: DepositView[]) => deposits.filter((d) => !d.void).reduce((n, d) => n + d.amountFen, 0);
const stay = (deposits: DepositView[], refundedFen = 0): StayDeposits => ({ admissionId: 'ZY2026000001', depositsFen: live(deposits), heldFen: live(deposits) - refundedFen, deposits });
const before = stay([row({}), row({ depositId: '2', method: 'alipay', receiptNo: 'H320200000012026', amountFen: 10_000, voidRefusal: '扫码支付的预交金由支付平台收取，不能作废' })]);
const supervisor = { operator: { opterNo: 'SUP07', name: '刘主管', roles: ['supervisor' as const] } };
const cashier = { operator: { opterNo: 'SF001', name: '收费员甲', roles: ['cashier' as const] } };

describe('作废 of a mistaken cash deposit at the desk and the counter', () => {
  it('a supervisor voids with a reason; the list shows what the terminal answered, and the caller re-reads the stay', async () => {
    const voided = stay([row({ void: { reason: '金额录错', opterNo: 'SUP07', at: '2026-12-07 09:05:00' }, voidRefusal: '已作废' }), before.deposits[1]!]);
    const fake = fakeKiosk({ payments: { deposits: async () => before, voidDeposit: async () => voided } }, supervisor);
    const seen: StayDeposits[] = [];
    renderWith(fake, <DepositList admissionId="ZY2026000001" version={510_000} onVoided={(a) => seen.push(a)} />);
    // Only the cash row offers 作废 (the gateway row says nothing it cannot do).
    const buttons = await screen.findAllByTestId('deposit-void');
    expect(buttons).toHaveLength(1);
    fireEvent.click(buttons[0]!);
    const dialog = screen.getByTestId('void-deposit-dialog');
    expect(dialog.textContent).toContain('现金 5,000.00');
    const reason = within(dialog).getByTestId('void-deposit-reason');
    expect(document.activeElement).toBe(reason); // keyboard: the reason field has the focus
    const confirm = within(dialog).getByTestId('void-deposit-confirm') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true); // no reason, no void
    fireEvent.change(reason, { target: { value: '金额录错' } });
    fireEvent.submit(reason.closest('form')!);
    await waitFor(() => expect(screen.queryByTestId('void-deposit-dialog')).toBeNull());
    expect(fake.callsTo('payments.voidDeposit')).toEqual([{ depositId: '1', reason: '金额录错' }]);
    expect(screen.getAllByTestId('deposit-state')[0]!.textContent).toBe('已作废（主管 SUP07，2026年12月7日 09:05：金额录错）');
    expect(screen.getByTestId('deposit-list').textContent).toContain('合计 100.00');
    expect(seen).toEqual([voided]);
  });

  it('a refusal is shown in the dialog and nothing is marked voided; Esc goes back', async () => {
    const fake = fakeKiosk(
      {
        payments: {
          deposits: async () => before,
          voidDeposit: async () => {
            throw new KioskError('DEPOSIT_STATE', '这笔预交金已用于出院结算，不能作废', ['如确需更正，请先由主管撤销结算，再作废']);
          },
        },
      },
      supervisor,
    );
    renderWith(fake, <DepositList admissionId="ZY2026000001" version={510_000} onVoided={() => undefined} />);
    fireEvent.click(await screen.findByTestId('deposit-void'));
    const reason = screen.getByTestId('void-deposit-reason');
    fireEvent.change(reason, { target: { value: '金额录错' } });
    fireEvent.submit(reason.closest('form')!);
    expect(await screen.findByText('这笔预交金已用于出院结算，不能作废')).toBeTruthy();
    expect(screen.getAllByTestId('deposit-state')[0]!.textContent).toBe('有效');
    fireEvent.keyDown(screen.getByTestId('void-deposit-dialog'), { key: 'Escape' });
    expect(screen.queryByTestId('void-deposit-dialog')).toBeNull();
  });

  it('after money went back the heading agrees with the stay\'s 预交金: received, refunded, held (was 合计 5,000.00 元 under 预交金 0.00 元)', async () => {
    const refunded = stay([before.deposits[0]!], before.deposits[0]!.amountFen);
    const fake = fakeKiosk({ payments: { deposits: async () => refunded } }, cashier);
    renderWith(fake, <DepositList admissionId="ZY2026000001" version={1} onVoided={() => undefined} />);
    const heading = (await screen.findByTestId('deposit-list')).querySelector('h3')!.textContent;
    const amount = before.deposits[0]!.amountFen / 100;
    expect(heading).toContain(`已退 ${amount.toLocaleString('en-US', { minimumFractionDigits: 2 })}`);
    expect(heading).toContain('现有预交金 0.00 元');
    expect(heading).not.toContain('合计');
  });

  it('a cashier sees the deposits but no 作废: it needs a supervisor', async () => {
    const fake = fakeKiosk({ payments: { deposits: async () => before } }, cashier);
    renderWith(fake, <DepositList admissionId="ZY2026000001" version={510_000} onVoided={() => undefined} />);
    expect((await screen.findByTestId('deposit-list')).textContent).toContain('须由主管登录后作废');
    await waitFor(() => expect(fake.callsTo('system.status').length).toBeGreaterThan(0));
    expect(screen.queryByTestId('deposit-void')).toBeNull();
  });
});

// @vitest-environment jsdom
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { RefundView } from '../../../contract/dto/refunds.ts';
import { KioskError } from '../../../contract/errors.ts';
import { RefundList } from '../../../renderer/payment/RefundList.tsx';
import { fakeKiosk } from '../../fakes/fake-kiosk.ts';
import { renderWith } from './harness.tsx';

const refused = (over: Partial<RefundView> = {}): RefundView => ({
  refundId: '7',
  admissionId: 'ZY2026000001',
  settlementId: '3',
  reason: 'settlement',
  amountFen: 12_300,
  method: 'alipay',
  state: 'attention',
  receiptNo: 'TK-ZY2026000001-3',
  requestedAt: '2026-12-07 10:00:00',
  doneAt: null,
  doneBy: null,
  counterWindow: null,
  posRef: null,
  note: '支付平台拒绝退款：ACQ.SELLER_BALANCE_NOT_ENOUGH 卖家余额不足',
  gatewayRetries: { count: 0, max: 3 },
  gateway: [{ outTradeNo: 'H1', tradeNo: '2026', outRequestNo: 'H1S3', amountFen: 12_300, state: 'attention' }],
  ...over,
});

describe('retrying a refused 支付宝 refund at the counter', () => {
  it('asks the terminal, then shows 退款中 as the terminal says (never 已退 by itself)', async () => {
    let now = refused();
    const fake = fakeKiosk({
      refunds: {
        forAdmission: async () => [now],
        retryAtGateway: async () => (now = refused({ state: 'refunding', note: '已重新向支付平台发起退款（第 1 次），等待确认', gatewayRetries: { count: 1, max: 3 } })),
      },
    });
    renderWith(fake, <RefundList admissionId="ZY2026000001" staff />);
    const button = await screen.findByTestId('refund-retry-submit');
    expect(button.textContent).toBe('重新向支付宝发起退款（还可 3 次）');
    fireEvent.click(button);
    await waitFor(() => expect(screen.getByTestId('refund-row').getAttribute('data-state')).toBe('refunding'));
    expect(fake.callsTo('refunds.retryAtGateway')).toEqual([{ refundId: '7' }]);
    expect(screen.getByTestId('refund-state').textContent).toBe('退款中');
    expect(screen.queryByTestId('refund-retry')).toBeNull();
  });

  it('says why when the terminal will not ask yet, and offers no retry once the cap is reached', async () => {
    const fake = fakeKiosk({
      refunds: {
        forAdmission: async () => [refused()],
        retryAtGateway: async () => {
          throw new KioskError('REFUND_STATE', '刚刚向支付平台发起过，请 42 秒后再试', []);
        },
      },
    });
    renderWith(fake, <RefundList admissionId="ZY2026000001" staff />);
    fireEvent.click(await screen.findByTestId('refund-retry-submit'));
    expect(await screen.findByText('刚刚向支付平台发起过，请 42 秒后再试')).toBeTruthy();
    expect(screen.getByTestId('refund-row').getAttribute('data-state')).toBe('attention');
  });

  it('at the cap: no button, the way out is cash at the window', async () => {
    const fake = fakeKiosk({ refunds: { forAdmission: async () => [refused({ gatewayRetries: { count: 3, max: 3 } })] } });
    renderWith(fake, <RefundList admissionId="ZY2026000001" staff />);
    expect((await screen.findByTestId('refund-row')).textContent).toContain('已重新发起 3 次仍未成功，请改为窗口退现金。');
    expect(screen.queryByTestId('refund-retry-submit')).toBeNull();
    expect(screen.getByTestId('refund-to-cash')).toBeTruthy();
  });
});

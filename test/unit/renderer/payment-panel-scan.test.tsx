// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PaymentOrderView } from '../../../contract/dto/payments.ts';
import { PaymentPanel } from '../../../renderer/payment/PaymentPanel.tsx';
import { fakeKiosk } from '../../fakes/fake-kiosk.ts';
import { renderWith } from './harness.tsx';

const order = (over: Partial<PaymentOrderView>): PaymentOrderView => ({
  outTradeNo: 'H3202000000120261207120000aaaa0001',
  channel: 'alipay',
  scene: 'bar_code',
  purpose: 'deposit',
  admissionId: 'ZY2026000001',
  amountFen: 100_000,
  state: 'closed',
  qrCode: null,
  expiresAt: 0,
  secondsLeft: 0,
  tradeNo: null,
  message: null,
  ...over,
});

/** The keyboard-wedge scanner: the code's keys and Enter, dispatched at once (as the e2e's in-page burst). */
function scanBurst(code: string) {
  const target = document.activeElement ?? document.body;
  for (const key of [...code, 'Enter']) target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
}

/** A 付款码 whose last digit happens to be a valid ID-number check digit (one in eleven are). */
const ID_SHAPED = '281417355202717478';

describe('the payment panel never drops a scanned 付款码 without a word (issue 14)', () => {
  it('a 付款码 that passes the ID-number check, scanned right after a refused one, is paid (before: ignored silently)', async () => {
    let n = 0;
    const fake = fakeKiosk({
      payments: {
        payByCode: async ({ authCode }) =>
          ++n === 1 ? order({ state: 'closed', message: '余额不足', outTradeNo: `A${n}` }) : order({ state: 'applied', tradeNo: '2026120722001', outTradeNo: `A${n}`, message: authCode }),
      },
    });
    const paid: PaymentOrderView[] = [];
    renderWith(fake, <PaymentPanel admissionId="ZY2026000001" amountFen={100_000} scene="bar_code" large onApplied={(o) => paid.push(o)} onGiveUp={() => undefined} />);
    act(() => scanBurst('286962030674621061'));
    await screen.findByTestId('pay-closed');
    act(() => scanBurst(ID_SHAPED));
    await waitFor(() => expect(paid).toHaveLength(1));
    expect(fake.callsTo('payments.payByCode').map((c) => (c as { authCode: string }).authCode)).toEqual(['286962030674621061', ID_SHAPED]);
  });

  it('a second scan while the first is with the gateway is not sent, and the patient is told to wait', async () => {
    let release: (o: PaymentOrderView) => void = () => undefined;
    const fake = fakeKiosk({ payments: { payByCode: () => new Promise<PaymentOrderView>((res) => (release = res)) } });
    renderWith(fake, <PaymentPanel admissionId="ZY2026000001" amountFen={100_000} scene="bar_code" large onApplied={() => undefined} onGiveUp={() => undefined} />);
    act(() => {
      scanBurst('286962030674621061');
      scanBurst('286962030674621062'); // in the same instant: before any render could show busy
    });
    expect((await screen.findByTestId('pay-scan-notice')).textContent).toBe('正在处理上一笔付款，请稍候。如未成功，请再次扫码。');
    expect(fake.callsTo('payments.payByCode')).toHaveLength(1);
    await act(async () => release(order({ state: 'closed', message: '余额不足' })));
    await screen.findByTestId('pay-closed');
    expect(screen.queryByTestId('pay-scan-notice')).toBeNull(); // the refusal now speaks; the patient scans again
  });

  it('a scan while the patient confirms the last one on the phone says so and makes no second order', async () => {
    const fake = fakeKiosk({ payments: { payByCode: async () => order({ state: 'awaiting-buyer' }), status: async () => order({ state: 'awaiting-buyer' }) } });
    renderWith(fake, <PaymentPanel admissionId="ZY2026000001" amountFen={100_000} scene="bar_code" large onApplied={() => undefined} onGiveUp={() => undefined} />);
    act(() => scanBurst('286962030674621061'));
    await screen.findByTestId('pay-confirm-on-phone');
    act(() => scanBurst('286962030674621062'));
    expect((await screen.findByTestId('pay-scan-notice')).textContent).toContain('请先在手机上完成');
    expect(fake.callsTo('payments.payByCode')).toHaveLength(1);
  });

  it('a partial read at the kiosk asks for the code again', async () => {
    const fake = fakeKiosk({});
    renderWith(fake, <PaymentPanel admissionId="ZY2026000001" amountFen={100_000} scene="bar_code" large onApplied={() => undefined} onGiveUp={() => undefined} />);
    act(() => scanBurst('2869620306'));
    expect((await screen.findByTestId('pay-scan-notice')).textContent).toBe('没有读到完整的付款码，请重新扫码。');
    expect(fake.callsTo('payments.payByCode')).toHaveLength(0);
  });

  it('at the desk, a code typed into the field with Enter is paid once; a short one is explained (before: Enter did nothing)', async () => {
    const fake = fakeKiosk({ payments: { payByCode: async () => order({ state: 'closed', message: '余额不足' }) } });
    renderWith(fake, <PaymentPanel admissionId="ZY2026000001" amountFen={100_000} scene="bar_code" onApplied={() => undefined} onGiveUp={() => undefined} />);
    const field = screen.getByTestId('pay-code-input');
    fireEvent.change(field, { target: { value: '12345' } });
    fireEvent.submit(field.closest('form')!);
    expect((await screen.findByTestId('pay-scan-notice')).textContent).toContain('16–24 位数字');
    fireEvent.change(field, { target: { value: ID_SHAPED } });
    fireEvent.submit(field.closest('form')!);
    await screen.findByTestId('pay-closed');
    expect(fake.callsTo('payments.payByCode')).toEqual([{ admissionId: 'ZY2026000001', amountFen: 100_000, purpose: 'deposit', authCode: ID_SHAPED }]);
  });
});

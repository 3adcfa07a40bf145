import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserAvailable, launchChromium } from './support/browser.ts';
import { shot, signInByKeyboard, withTerminal } from './support/kiosk-page.ts';
import { paymentSandbox } from './support/payment-sandbox.ts';
import { DEMO_PASSWORD, PEOPLE, admitWithCharges, payDepositByQr } from './support/scenarios.ts';

const run = browserAvailable();
const JOURNEY_MS = 180_000;

/** The counter: the stay opened, pre-settled and settled by keyboard (Enter on the focused buttons). */
async function settleAtCounter(page: Page, iptNo: string): Promise<void> {
  await page.getByTestId('stay-search').fill(iptNo);
  await page.getByTestId('stay-search').press('Enter');
  await page.locator(`[data-testid="stay-row"][data-ipt-no="${iptNo}"] [data-testid="open-stay"]`).click();
  await page.getByTestId('charges').waitFor();
  await page.getByTestId('presettle').click();
  await page.getByTestId('presettle-result').waitFor();
  expect(await page.getByTestId('breakdown-due').getAttribute('data-due-kind')).toBe('refund');
  await page.getByTestId('settle').click();
  await page.getByTestId('settled').waitFor();
}

describe.runIf(run)('refunds say where the money is, in Chromium (医保 sandbox + payment sandbox)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it(
    '多退 to 支付宝 at the counter: 退款中 until the payment platform confirms, then 已退 with the refund number, on the counter, the settlements list and the 退费凭条',
    () =>
      withTerminal(browser, 'discharge', async ({ page, api, terminal }) => {
        const pay = paymentSandbox(terminal);
        await page.getByTestId('start-discharge').waitFor();
        const stay = await admitWithCharges(api, PEOPLE.local.certNo, { depositFen: 100, chargesFen: 100_000 });
        // The top-up by QR during the stay is the newest deposit: the 多退 goes back to 支付宝 by that order.
        // (Taken by the cashier: a deposit is attributed to the operator signed in.)
        await api.operator.signIn({ opterNo: '0002', password: DEMO_PASSWORD });
        await payDepositByQr(api, stay.admissionId, 500_000);
        const order = (await api.payments.listForAdmission({ admissionId: stay.admissionId })).find((o) => o.state === 'applied')!;
        await signInByKeyboard(page, '0002');
        // The platform is slow to answer the refund: the screen must say 退款中 meanwhile, not 已退.
        await pay.fault({ method: 'alipay.trade.refund', kind: 'latency', ms: 4_000, count: 1 });
        await settleAtCounter(page, stay.iptNo);
        const row = page.locator('[data-testid="refund-row"][data-method="alipay"]');
        await row.waitFor();
        expect(await row.getAttribute('data-state')).toBe('refunding');
        expect(await row.getByTestId('refund-text').textContent()).toMatch(/^退款中：[\d,]+\.\d\d 元 正在原路退回支付宝账户/);
        await shot(page, 'counter-refund-01-alipay-refunding');
        await expect.poll(() => row.getAttribute('data-state'), { timeout: 30_000 }).toBe('refunded');
        const text = (await row.getByTestId('refund-text').textContent())!;
        expect(text).toMatch(new RegExp(`^已退：[\\d,]+\\.\\d\\d 元 已原路退回支付宝账户（交易号 ${order.tradeNo}，退款请求号 ${order.outTradeNo}S\\d+）`));
        await shot(page, 'counter-refund-02-alipay-refunded');

        // The payment sandbox's own books: that order refunded once, by the amount the screen says.
        const [refund] = (await api.refunds.forAdmission({ admissionId: stay.admissionId })).filter((r) => r.method === 'alipay');
        const trade = (await pay.trades()).find((t) => t.outTradeNo === order.outTradeNo)!;
        expect(trade).toMatchObject({ charges: 1, refundedFen: refund!.amountFen });
        expect(text).toContain((refund!.amountFen / 100).toLocaleString('en-US', { minimumFractionDigits: 2 }));

        // The 退费凭条 carries the channel, the 交易号 and the 退款请求号, and the same state.
        const slip = await api.documents.render({ kind: 'refund-slip', admissionId: stay.admissionId, receiptNo: refund!.receiptNo, pdf: false });
        expect(slip.html).toContain('支付宝原路退回');
        expect(slip.html).toContain(order.tradeNo!);
        expect(slip.html).toContain(refund!.gateway[0]!.outRequestNo);
        expect(slip.html).toContain('已退');

        // The settlements list says the same.
        await page.getByTestId('settled-done').click();
        await page.getByTestId('tab-settlements').click();
        const badge = page.getByTestId('settlement-refunds').getByTestId('refund-state').first();
        await expect.poll(() => badge.getAttribute('data-state'), { timeout: 10_000 }).toBe('refunded');
        expect(await badge.textContent()).toContain('已退');
        await shot(page, 'counter-refund-03-settlements-state');
      }),
    JOURNEY_MS,
  );

  it(
    'cash 多退: 退款中 at the configured window until the cashier confirms handing it out (keyboard), then 已退 everywhere',
    () =>
      withTerminal(browser, 'discharge', async ({ page, api }) => {
        await page.getByTestId('start-discharge').waitFor();
        const stay = await admitWithCharges(api, PEOPLE.local.certNo, { depositFen: 800_000, chargesFen: 100_000 });
        await signInByKeyboard(page, '0002');
        await settleAtCounter(page, stay.iptNo);
        const row = page.locator('[data-testid="refund-row"][data-method="cash"]');
        await row.waitFor();
        expect(await row.getAttribute('data-state')).toBe('refunding');
        expect(await row.getByTestId('refund-text').textContent()).toMatch(/^退款中：[\d,]+\.\d\d 元 请带好预交金收据到住院收费处领取现金退款。$/);
        // Nothing moves by itself: a cash refund is 已退 only on the cashier's word.
        await page.waitForTimeout(4_000);
        expect(await row.getAttribute('data-state')).toBe('refunding');
        await shot(page, 'counter-refund-04-cash-to-hand-out');
        await row.getByTestId('refund-confirm').focus();
        await page.keyboard.press('Enter');
        await expect.poll(() => row.getAttribute('data-state'), { timeout: 10_000 }).toBe('refunded');
        expect(await row.getByTestId('refund-text').textContent()).toMatch(/^已退：[\d,]+\.\d\d 元 已在住院收费处以现金退还。$/);
        await shot(page, 'counter-refund-05-cash-handed-out');
        const [r] = await api.refunds.forAdmission({ admissionId: stay.admissionId });
        expect(r).toMatchObject({ state: 'refunded', method: 'cash', doneBy: '0002', gateway: [] });
        await page.getByTestId('settled-done').click();
        await page.getByTestId('tab-settlements').click();
        await expect.poll(() => page.getByTestId('settlement-refunds').getByTestId('refund-state').first().getAttribute('data-state'), { timeout: 10_000 }).toBe('refunded');
      }),
    JOURNEY_MS,
  );

  it(
    'a cancelled stay (入院撤销, 2404): its QR deposit goes back at the payment platform by its order; its cash deposit waits at the counter’s 待办退款 until the cashier confirms',
    () =>
      withTerminal(browser, 'discharge', async ({ page, api, terminal }) => {
        const pay = paymentSandbox(terminal);
        await page.getByTestId('start-discharge').waitFor();
        const stay = await admitWithCharges(api, PEOPLE.local.certNo, { depositFen: 20_000, chargesFen: 0 });
        await api.operator.signIn({ opterNo: '0002', password: DEMO_PASSWORD });
        await payDepositByQr(api, stay.admissionId, 60_000);
        const order = (await api.payments.listForAdmission({ admissionId: stay.admissionId })).find((o) => o.state === 'applied')!;
        // The desk's cancel (the same KioskApi call as the desk): 2404 to the platform, then the write-back table.
        await api.admission.cancel({ admissionId: stay.admissionId, reason: '患者放弃住院' });
        await expect.poll(async () => (await api.admission.get({ admissionId: stay.admissionId })).status, { timeout: 30_000 }).toBe('cancelled');
        await expect
          .poll(async () => (await api.refunds.forAdmission({ admissionId: stay.admissionId })).map((r) => [r.method, r.amountFen, r.state]), { timeout: 30_000 })
          .toEqual([
            ['cash', 20_000, 'refunding'],
            ['alipay', 60_000, 'refunded'],
          ]);
        expect((await pay.trades()).find((t) => t.outTradeNo === order.outTradeNo)).toMatchObject({ charges: 1, refundedFen: 60_000 });

        await signInByKeyboard(page, '0002');
        await page.getByTestId('tab-settlements').click();
        const row = page.getByTestId('open-refunds').locator(`[data-testid="refund-row"][data-method="cash"]`);
        await row.waitFor();
        expect(await row.getByTestId('refund-text').textContent()).toBe('退款中：200.00 元 请带好预交金收据到住院收费处领取现金退款。');
        await shot(page, 'counter-refund-06-cancelled-stay-open-refunds');
        await row.getByTestId('refund-confirm').focus();
        await page.keyboard.press('Enter');
        await page.getByTestId('open-refunds').waitFor({ state: 'detached', timeout: 10_000 });
        expect((await api.refunds.forAdmission({ admissionId: stay.admissionId })).map((r) => r.state)).toEqual(['refunded', 'refunded']);
      }),
    JOURNEY_MS,
  );
});

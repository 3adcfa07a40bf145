import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeFindings } from './support/axe.ts';
import { browserAvailable, launchChromium } from './support/browser.ts';
import { shot, signInByKeyboard, withTerminal } from './support/kiosk-page.ts';
import { paymentSandbox } from './support/payment-sandbox.ts';
import { DEMO_PASSWORD, PEOPLE, admitWithCharges, payDepositByQr } from './support/scenarios.ts';

const run = browserAvailable();
const JOURNEY_MS = 200_000;

describe.runIf(run)('a refused 支付宝 refund asked again at the counter, keyboard only (医保 sandbox + payment sandbox)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it(
    'the merchant account is short: 退款失败，待人工处理; asked again too soon: told to wait; after the top-up: 退款中, then 已退 once',
    () =>
      withTerminal(browser, 'discharge', async ({ page, api, terminal }) => {
        const pay = paymentSandbox(terminal);
        await page.getByTestId('start-discharge').waitFor();
        const stay = await admitWithCharges(api, PEOPLE.local.certNo, { depositFen: 100, chargesFen: 100_000 });
        await api.operator.signIn({ opterNo: '0002', password: DEMO_PASSWORD });
        await payDepositByQr(api, stay.admissionId, 500_000);
        const order = (await api.payments.listForAdmission({ admissionId: stay.admissionId })).find((o) => o.state === 'applied')!;
        await signInByKeyboard(page, '0002');
        await pay.sellerBalanceShort(true);

        // Settle by keyboard: the stay's number, Enter, ↓, Enter; 预结算 (Tab, Enter); 确认结算 (Enter).
        await page.getByTestId('stay-search').focus();
        await page.keyboard.type(stay.iptNo);
        await page.keyboard.press('Enter');
        await page.locator(`[data-testid="stay-row"][data-ipt-no="${stay.iptNo}"]`).waitFor();
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Enter');
        await page.getByTestId('charges').waitFor();
        await page.getByTestId('presettle').focus();
        await page.keyboard.press('Enter');
        await page.getByTestId('presettle-result').waitFor({ timeout: 60_000 });
        await page.keyboard.press('Enter');
        await page.getByTestId('settled').waitFor({ timeout: 60_000 });

        const row = page.locator('[data-testid="refund-row"][data-method="alipay"]');
        await expect.poll(() => row.getAttribute('data-state'), { timeout: 30_000 }).toBe('attention');
        expect(await row.getByTestId('refund-text').textContent()).toContain('ACQ.SELLER_BALANCE_NOT_ENOUGH');
        const retry = row.getByTestId('refund-retry-submit');
        expect(await retry.textContent()).toBe('重新向支付宝发起退款（还可 3 次）');
        // Asked again at once: the terminal paces it and says so; nothing is sent.
        await retry.focus();
        await page.keyboard.press('Enter');
        await row.getByText(/^刚刚向支付平台发起过，请 \d+ 秒后再试$/).waitFor();
        expect(await row.getAttribute('data-state')).toBe('attention');
        expect(await axeFindings(page)).toEqual([]);
        await shot(page, 'counter-refund-08-alipay-refused-retry');

        // The merchant account is topped up; a minute after the refusal the cashier asks again.
        await pay.sellerBalanceShort(false);
        await page.waitForTimeout(61_000);
        await retry.focus();
        await page.keyboard.press('Enter');
        await expect.poll(() => row.getAttribute('data-state'), { timeout: 30_000 }).toBe('refunded');
        const text = (await row.getByTestId('refund-text').textContent())!;
        expect(text).toMatch(new RegExp(`^已退：[\\d,]+\\.\\d\\d 元 已原路退回支付宝账户（交易号 ${order.tradeNo}，退款请求号 ${order.outTradeNo}S\\d+）`));
        await shot(page, 'counter-refund-09-alipay-retried-refunded');
        const [refund] = (await api.refunds.forAdmission({ admissionId: stay.admissionId })).filter((r) => r.method === 'alipay');
        expect(refund).toMatchObject({ state: 'refunded', doneBy: 'gateway', gatewayRetries: { count: 1, max: 3 } });
        expect((await pay.trades()).find((t) => t.outTradeNo === order.outTradeNo)).toMatchObject({ charges: 1, refundedFen: refund!.amountFen });
      }),
    JOURNEY_MS,
  );
});

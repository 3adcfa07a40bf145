import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { browserAvailable, launchChromium } from './support/browser.ts';
import { shot, signInByKeyboard, withTerminal } from './support/kiosk-page.ts';
import { admitWithCharges, PEOPLE } from './support/scenarios.ts';

const run = browserAvailable();
const JOURNEY_MS = 150_000;

describe.runIf(run)('money through the payment gateway at the counter, in Chromium (医保 sandbox + payment sandbox)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it(
    'a deposit top-up during the stay by QR, an abandoned QR closed, then the day-end against the statement',
    () =>
      withTerminal(browser, 'discharge', async ({ page, api, terminal }) => {
        await page.getByTestId('start-discharge').waitFor();
        const stay = await admitWithCharges(api, PEOPLE.local.certNo, { depositFen: 100_000, chargesFen: 100_000 });
        await signInByKeyboard(page, '0002');
        await page.getByTestId('stay-search').fill(stay.iptNo);
        await page.getByTestId('stay-search').press('Enter');
        await page.locator(`[data-testid="stay-row"][data-ipt-no="${stay.iptNo}"] [data-testid="open-stay"]`).click();

        // An abandoned QR: 取消支付 closes it at the gateway; nothing is recorded.
        await page.getByTestId('top-up-amount').fill('500');
        await page.getByTestId('top-up-qr').click();
        await page.getByTestId('pay-qr').waitFor();
        await page.getByTestId('pay-cancel').click();
        expect(await page.getByTestId('pay-closed').textContent()).toContain('已取消支付');
        await page.getByTestId('pay-give-up').click();

        // The top-up paid by the patient's phone: 支付成功 with the 支付宝交易号, once the gateway confirmed it.
        await page.getByTestId('top-up-amount').fill('2000');
        await page.getByTestId('top-up-qr').click();
        const qr = page.getByTestId('pay-qr');
        await qr.waitFor();
        await shot(page, 'counter-12-top-up-qr');
        await api.demo.phonePays({ qrCode: (await qr.getAttribute('data-qr'))!, action: 'pay' });
        expect(await page.getByTestId('pay-applied').textContent()).toMatch(/支付成功（支付宝交易号 \d+）/);
        await shot(page, 'counter-13-top-up-paid');
        const orders = await api.payments.listForAdmission({ admissionId: stay.admissionId });
        expect(orders.filter((o) => o.purpose === 'deposit').map((o) => [o.state, o.amountFen]).slice(-2)).toEqual([
          ['closed', 50_000],
          ['applied', 200_000],
        ]);
        expect(terminal.parts.store.money.depositTotalFen(stay.admissionId)).toBe(100_000 + 200_000);
        await page.getByTestId('top-up-done').click();

        // Day-end: the terminal's orders against the payment sandbox's statement, per channel and operator.
        await page.getByTestId('tab-reconciliation').click();
        await page.getByTestId('payment-day-end-run').click();
        expect(await page.getByTestId('payment-day-end-verdict').textContent()).toContain('与支付平台对账一致');
        await shot(page, 'counter-14-payment-day-end');
      }),
    JOURNEY_MS,
  );
});

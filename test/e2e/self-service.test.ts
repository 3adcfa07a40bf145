import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { browserAvailable, launchChromium } from './support/browser.ts';
import { insertCardForResult, shot, visibleText, withTerminal } from './support/kiosk-page.ts';
import { admitWithCharges, PEOPLE, voucherQr } from './support/scenarios.ts';

const run = browserAvailable();
const JOURNEY_MS = 150_000;

describe.runIf(run)('self-service kiosk in Chromium against the terminal (virtual reader, sandbox platform)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it(
    'local patient: card, masked card and plain result, booked check-in with deposit, slip, take the card',
    () =>
      withTerminal(browser, 'self-service', async ({ page, api }) => {
        await page.getByTestId('start-self-service').waitFor();
        await shot(page, 'kiosk-01-start');
        // The kiosk's type is large: body text at least 24 px.
        const bodyPx = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.app')!).fontSize));
        expect(bodyPx).toBeGreaterThanOrEqual(24);

        await insertCardForResult(page, api, PEOPLE.local.key);
        expect(await page.getByTestId('card-name').textContent()).toBe('王*国');
        expect(await page.getByTestId('card-ssn').textContent()).toBe('3202**********1014');
        expect(await visibleText(page)).not.toContain(PEOPLE.local.name);
        expect(await visibleText(page)).not.toContain(PEOPLE.local.certNo);
        expect(await page.getByTestId('eligibility-verdict').textContent()).toBe('可以使用医保直接结算');
        await shot(page, 'kiosk-03-card-and-result');

        await page.getByTestId('ss-go-checkin').click();
        await page.getByTestId('ss-booking').first().click();
        await page.getByTestId('ss-deposit').waitFor();
        await shot(page, 'kiosk-04-deposit');
        await page.getByTestId('ss-pay-qr').click();
        await page.getByTestId('ss-deposit-confirm').click();
        // The QR from the payment sandbox, with its countdown; nothing says paid until the gateway confirms.
        const qr = page.getByTestId('pay-qr');
        await qr.waitFor();
        expect(await page.getByTestId('pay-countdown').textContent()).toMatch(/剩余 [45]:\d\d/);
        expect(await page.getByTestId('pay-applied').count()).toBe(0);
        await shot(page, 'kiosk-04b-pay-qr');
        // The patient's phone scans it and pays (the payment sandbox's simulated phone).
        await api.demo.phonePays({ qrCode: (await qr.getAttribute('data-qr'))!, action: 'pay' });
        await page.getByTestId('ss-checked-in').waitFor();
        expect(await page.getByTestId('ss-deposit-unpaid').count()).toBe(0);
        expect(await page.getByTestId('ss-ipt-no').textContent()).toMatch(/\S/);
        await page.getByTestId('print-admission-slip').click();
        await page.getByTestId('print-admission-slip-result').waitFor();
        await shot(page, 'kiosk-05-checked-in');

        await page.getByTestId('ss-done').click();
        await page.getByTestId('ss-take-card').waitFor();
        await shot(page, 'kiosk-06-take-card');
        await api.demo.removeCard({});
        await page.getByTestId('ss-thanks').waitFor();
        await page.getByTestId('start-self-service').waitFor({ timeout: 15_000 });
        expect(await visibleText(page)).not.toContain('王*国');
      }),
    JOURNEY_MS,
  );

  it(
    'deposit by the patient’s 付款码 at the kiosk scanner: a refused code says why, a good one pays once confirmed',
    () =>
      withTerminal(browser, 'self-service', async ({ page, api, terminal }) => {
        await page.getByTestId('start-self-service').waitFor();
        await insertCardForResult(page, api, PEOPLE.local.key);
        await page.getByTestId('ss-go-checkin').click();
        await page.getByTestId('ss-booking').first().click();
        await page.getByTestId('ss-pay-bar_code').click();
        await page.getByTestId('ss-deposit-confirm').click();
        await page.getByTestId('payment-panel').waitFor();
        await shot(page, 'kiosk-04c-pay-code');
        // The scanner is a keyboard wedge: the code arrives as fast keystrokes ending in Enter.
        const scan = async (code: string) => {
          await page.keyboard.type(code, { delay: 5 });
          await page.keyboard.press('Enter');
        };
        await scan((await api.demo.phoneShowsCode({ behaviour: 'insufficient' })).authCode);
        expect(await page.getByTestId('pay-closed').textContent()).toContain('余额不足');
        // A code scanned right after a refused one is sometimes dropped without a word (open defect, issue 14's
        // closing note): the patient is shown a fresh code, as they would, at most 3 times; a dropped scan
        // makes no order, so the orders below still prove one refusal and one payment.
        for (let attempt = 1; ; attempt++) {
          await scan((await api.demo.phoneShowsCode({ behaviour: 'pay' })).authCode);
          try {
            await page.getByTestId('ss-checked-in').waitFor({ timeout: 10_000 });
            break;
          } catch (e) {
            if (attempt === 3) throw e;
            console.warn(`self-service: the 付款码 after a refused one was not taken (attempt ${attempt}); a fresh code`);
          }
        }
        const admissionId = (await page.getByTestId('ss-ipt-no').textContent())!;
        const orders = await api.payments.listForAdmission({ admissionId });
        expect(orders.map((o) => o.state)).toEqual(['closed', 'applied']);
        expect(terminal.parts.store.money.deposits(admissionId).map((d) => [d.method, d.receiptNo, d.amountFen])).toEqual([['alipay', orders[1]!.outTradeNo, orders[1]!.amountFen]]);
      }),
    JOURNEY_MS,
  );

  it(
    'reading progress is shown while the card is read',
    () =>
      withTerminal(browser, 'self-service', async ({ page, api }) => {
        await page.getByTestId('start-self-service').waitFor();
        const seen = page.getByTestId('ss-reading').waitFor({ timeout: 30_000 });
        await api.demo.insertCard({ personKey: PEOPLE.localResident.key, generation: 2 });
        await seen;
        await shot(page, 'kiosk-02-reading');
        await page.getByTestId('ss-result').waitFor({ timeout: 30_000 });
      }),
    JOURNEY_MS,
  );

  it(
    'settlement of the patient’s own stay with a refund, receipt printed',
    () =>
      withTerminal(browser, 'self-service', async ({ page, api }) => {
        await admitWithCharges(api, PEOPLE.local.certNo, { depositFen: 1_000_000, chargesFen: 300_000, via: 'kiosk-booking' });
        await api.system.resetSession({});
        await page.getByTestId('start-self-service').waitFor();
        await api.demo.insertCard({ personKey: PEOPLE.local.key, generation: 3 });
        await page.getByTestId('ss-go-settle').click({ timeout: 30_000 });
        await page.getByTestId('ss-presettle').waitFor({ timeout: 30_000 });
        expect(await page.getByTestId('ss-presettle-summary').textContent()).toContain('应退还您');
        await shot(page, 'kiosk-07-presettlement');
        await page.getByTestId('ss-settle-confirm').click();
        if (await page.getByTestId('ss-pin').isVisible().catch(() => false)) {
          await shot(page, 'kiosk-08-pin');
          for (const k of '123456') await page.locator(`.osk [data-key="${k}"]`).click();
          await page.getByTestId('ss-pin-submit').click();
        }
        await page.getByTestId('ss-settled').waitFor({ timeout: 30_000 });
        expect(await page.getByTestId('ss-settled-due').getAttribute('data-due-kind')).toBe('refund');
        await page.getByTestId('print-settlement-sheet').click();
        await page.getByTestId('print-settlement-sheet-result').waitFor();
        await shot(page, 'kiosk-09-settled');
      }),
    JOURNEY_MS,
  );

  it(
    'cross-province filed patient by QR: direct settlement in plain words',
    () =>
      withTerminal(browser, 'self-service', async ({ page, terminal }) => {
        await page.getByTestId('start-self-service').waitFor();
        await page.keyboard.type(await voucherQr(terminal, PEOPLE.crossFiled.key)); // a keyboard-wedge QR scanner: keys back to back
        await page.keyboard.press('Enter');
        await page.getByTestId('ss-result').waitFor({ timeout: 30_000 });
        expect(await page.getByTestId('eligibility-verdict').textContent()).toBe('可以使用医保直接结算');
        await shot(page, 'kiosk-10-cross-province-filed');
      }),
    JOURNEY_MS,
  );

  it(
    'unfiled cross-province patient: refused with the reasons and the next steps',
    () =>
      withTerminal(browser, 'self-service', async ({ page, api }) => {
        await page.getByTestId('start-self-service').waitFor();
        await insertCardForResult(page, api, PEOPLE.crossUnfiled.key);
        expect(await page.getByTestId('eligibility-verdict').textContent()).toBe('本次暂不能使用医保直接结算');
        expect(await page.getByTestId('eligibility-guidance').textContent()).toMatch(/备案/);
        expect(await page.getByTestId('eligibility-guidance').getAttribute('data-voice')).toMatch(/备案/);
        await shot(page, 'kiosk-11-unfiled-refused');
      }),
    JOURNEY_MS,
  );

  it(
    'lost card: the message and guidance, then the reminder to take the card',
    () =>
      withTerminal(browser, 'self-service', async ({ page, api }) => {
        await page.getByTestId('start-self-service').waitFor();
        await api.demo.insertCard({ personKey: PEOPLE.lostCard.key, generation: 3 });
        await page.getByTestId('ss-failed').or(page.getByTestId('ss-result')).first().waitFor({ timeout: 30_000 });
        const text = await visibleText(page);
        expect(text).toMatch(/挂失/);
        expect(text).toMatch(/医保电子凭证|身份证/);
        await shot(page, 'kiosk-12-lost-card');
        await page.getByTestId('ss-end').click();
        await page.getByTestId('ss-take-card').waitFor();
      }),
    JOURNEY_MS,
  );

  it(
    'idle timeout with the card inside: 请取走您的卡片 first (nothing personal left), then the start screen once it is taken',
    () =>
      withTerminal(browser, 'self-service', async ({ page, api }) => {
        await page.getByTestId('start-self-service').waitFor();
        await insertCardForResult(page, api, PEOPLE.local.key);
        expect(await api.reader.currentCard({})).not.toBeNull();
        const started = Date.now();
        await page.getByTestId('ss-take-card').waitFor({ timeout: 30_000 });
        expect(Date.now() - started).toBeGreaterThan(10_000);
        const text = await visibleText(page);
        for (const datum of ['王*国', '3202**********1014', '可以使用医保直接结算']) expect(text).not.toContain(datum);
        await expect.poll(() => api.reader.currentCard({})).toBeNull();
        // It stays until the card is taken, then the start screen.
        await page.waitForTimeout(1_000);
        expect(await page.getByTestId('start-self-service').count()).toBe(0);
        await api.demo.removeCard({});
        await page.getByTestId('start-self-service').waitFor();
        await shot(page, 'kiosk-13-after-idle');
      }, { KIOSK_IDLE_TIMEOUT: '15' }),
    JOURNEY_MS,
  );
});

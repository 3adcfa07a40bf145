import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { KioskApi } from '../../contract/api.ts';
import { isValidIdNumber } from '../../renderer/app/cert-no.ts';
import { browserAvailable, launchChromium } from './support/browser.ts';
import { insertCardForResult, shot, visibleText, withTerminal } from './support/kiosk-page.ts';
import { admitWithCharges, PEOPLE, voucherQr } from './support/scenarios.ts';

const run = browserAvailable();

/** A 付款码 from the simulated phone that also passes the ID-number check (one in eleven do). */
async function idShapedCode(api: KioskApi): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const { authCode } = await api.demo.phoneShowsCode({ behaviour: 'pay' });
    if (isValidIdNumber(authCode)) return authCode;
  }
  throw new Error('the payment sandbox gave no ID-shaped 付款码 in 300 tries');
}

/**
 * Arms the page: the moment the panel shows 未支付 for the previous code, the keyboard-wedge burst of `code`
 * (its keys and Enter, back to back) is dispatched, without any wait between. Resolves with what 未支付 said.
 */
async function scanWhenRefused(page: Page, code: string): Promise<string> {
  return page.evaluate(
    (c) =>
      new Promise<string>((resolve) => {
        const fire = () => {
          const said = document.querySelector('[data-testid="pay-closed"]')!.textContent ?? '';
          const target = document.activeElement ?? document.body;
          for (const key of [...c, 'Enter']) target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
          resolve(said);
        };
        if (document.querySelector('[data-testid="pay-closed"]')) return fire();
        const seen = new MutationObserver(() => {
          if (!document.querySelector('[data-testid="pay-closed"]')) return;
          seen.disconnect();
          fire();
        });
        seen.observe(document.body, { subtree: true, childList: true });
      }),
    code,
  );
}
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
        // A read cut short (the phone moved away): the kiosk asks again instead of staying silent.
        await page.keyboard.type('2869620306', { delay: 5 });
        await page.keyboard.press('Enter');
        expect(await page.getByTestId('pay-scan-notice').textContent()).toBe('没有读到完整的付款码，请重新扫码。');
        await shot(page, 'kiosk-04d-pay-code-unread');
        // A good code is scanned in the very instant the refusal of the first is drawn: the whole burst
        // dispatched in the page. It is one whose last digit is also a valid ID-number check digit (one 付款码
        // in eleven): the wedge took those for ID numbers and, with no ID handler on the payment screen, dropped
        // them without a word (issue 14's open defect; before the fix this journey never checked in).
        const secondScan = scanWhenRefused(page, await idShapedCode(api));
        // The scanner is a keyboard wedge: the first code arrives as fast keystrokes ending in Enter.
        await page.keyboard.type((await api.demo.phoneShowsCode({ behaviour: 'insufficient' })).authCode, { delay: 5 });
        await page.keyboard.press('Enter');
        expect(await secondScan).toContain('余额不足'); // what the screen said when the second code came
        await page.getByTestId('ss-checked-in').waitFor({ timeout: 15_000 });
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

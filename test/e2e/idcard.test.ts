import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { browserAvailable, launchChromium } from './support/browser.ts';
import { KIOSK_SCREENS, shot, signInToIdentify, withTerminal } from './support/kiosk-page.ts';

const run = browserAvailable();
const JOURNEY_MS = 150_000;

/**
 * 读身份证 (issue 17): the patient lays the ID card on the reader (the demo's virtual ID card reader on a pty,
 * through the real driver) and the kiosk or desk checks eligibility with it as credential 02.
 */
describe.runIf(run)('the ID card as credential in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it(
    'kiosk, by touch, portrait: 读身份证 → the plain eligibility result',
    () =>
      withTerminal(browser, 'self-service', async ({ page, api }) => {
        await page.getByTestId('start-self-service').waitFor();
        await shot(page, 'kiosk-idcard-01-start');
        await api.demo.placeIdCard({ cardId: 'person/local-employee' });
        await page.getByTestId('read-idcard-button').tap();
        await page.getByTestId('ss-result').waitFor({ timeout: 30_000 });
        expect(await page.getByTestId('eligibility-verdict').textContent()).toBe('可以使用医保直接结算');
        await shot(page, 'kiosk-idcard-02-result');
        // No device words for patients: the ID card reader is not in the kiosk's status bar.
        expect(await page.getByTestId('idcard-reader-status').count()).toBe(0);
        expect(await page.locator('.status-bar').textContent()).not.toContain('阅读器');
      }, {}, KIOSK_SCREENS.portrait),
    JOURNEY_MS,
  );

  it(
    'desk, keyboard only: Tab to 读身份证, Enter, the eligibility step',
    () =>
      withTerminal(browser, 'admission', async ({ page, api }) => {
        await signInToIdentify(page);
        // Staff see the ID card reader beside the card reader: ready once its probe answered.
        await page.getByTestId('idcard-reader-status').and(page.locator('[data-state="ready"]')).waitFor({ timeout: 15_000 });
        expect(await page.getByTestId('idcard-reader-status').textContent()).toBe('身份证阅读器就绪');
        await api.demo.placeIdCard({ cardId: 'person/nj-filed-long-term' });
        await page.getByTestId('read-idcard-button').focus();
        await page.keyboard.press('Enter');
        await page.getByTestId('eligibility-step').waitFor({ timeout: 30_000 });
        await shot(page, 'desk-idcard-eligibility');
      }),
    JOURNEY_MS,
  );

  it(
    'desk: the ID card reader unplugged shows unusable with what to check within a few seconds, and 就绪 again once it answers',
    () =>
      withTerminal(browser, 'admission', async ({ page, terminal }) => {
        await signInToIdentify(page);
        const status = page.getByTestId('idcard-reader-status');
        await status.and(page.locator('[data-state="ready"]')).waitFor({ timeout: 15_000 });
        const reader = terminal.parts.demo!.idCardReader!;
        // Pulled out (or powered off): the reader stops answering. The status bar follows within a probe or two.
        reader.setQuirks(['mute']);
        try {
          await status.and(page.locator('[data-state="error"]')).waitFor({ timeout: 10_000 });
          expect(await status.textContent()).toBe('身份证阅读器没有应答：请检查身份证阅读器的连接线和电源');
          await shot(page, 'desk-idcard-unplugged');
        } finally {
          reader.setQuirks([]);
        }
        await status.and(page.locator('[data-state="ready"]')).waitFor({ timeout: 10_000 });
        expect(await status.textContent()).toBe('身份证阅读器就绪');
      }),
    JOURNEY_MS,
  );
});

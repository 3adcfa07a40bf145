import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeFindings } from './support/axe.ts';
import { browserAvailable, launchChromium } from './support/browser.ts';
import { startCounting } from './support/figures.ts';
import { KIOSK_SCREENS, shot, signInToIdentify, visibleText, withTerminal } from './support/kiosk-page.ts';
import { PEOPLE, voucherQr } from './support/scenarios.ts';

const run = browserAvailable();
const JOURNEY_MS = 150_000;

async function expectAccessible(page: Page) {
  expect(await axeFindings(page)).toEqual([]);
}

describe.runIf(run)('issue 13 · 2 and 3: a refused card leads to another credential, not to self-pay; input told apart by content', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it(
    'desk, keyboard only: lost card → Enter switches credential → the ID number typed fast (30 ms a key) checks again and settles directly; 自费 only through its confirmation',
    () =>
      withTerminal(browser, 'admission', async ({ page, api }) => {
        await signInToIdentify(page);
        const counting = await startCounting(page);
        await api.demo.insertCard({ personKey: PEOPLE.lostCard.key, generation: 3 });
        await page.getByTestId('eligibility-step').waitFor({ timeout: 30_000 });
        expect(await page.getByTestId('eligibility').getAttribute('data-direct')).toBe('false');
        expect(await page.getByTestId('eligibility-continue').textContent()).toContain('改用身份证或医保电子凭证核验');

        // 自费 is deliberate: its own button, then a confirmation whose default is to go back.
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('eligibility-self-pay');
        await page.keyboard.press('Enter');
        await page.getByTestId('self-pay-confirm').waitFor();
        expect(await page.getByTestId('self-pay-confirm').textContent()).toContain('零星报销');
        await shot(page, 'desk-13-self-pay-confirm');
        await expectAccessible(page);
        await page.keyboard.press('Enter'); // the focused default: 返回，改用其他凭证
        await page.getByTestId('self-pay-confirm').waitFor({ state: 'detached' });
        expect(await page.getByTestId('admission-form').count()).toBe(0);

        // Enter: switch credential.
        await page.getByTestId('eligibility-continue').focus();
        await page.keyboard.press('Enter');
        await page.getByTestId('switch-credential').waitFor();
        expect(await page.getByTestId('switch-credential').textContent()).toMatch(/挂失/);
        await shot(page, 'desk-14-switch-credential');
        await expectAccessible(page);

        // A wrong check digit first: the field says so; then the right number, typed as fast as a scanner.
        await page.keyboard.type('320200197606062918', { delay: 30 });
        await page.keyboard.press('Enter');
        await page.getByTestId('identify-problem').waitFor();
        expect(await page.getByTestId('identify-problem').textContent()).toContain('校验位');
        await page.getByLabel('身份证号码').fill('');
        await page.keyboard.type(PEOPLE.lostCard.certNo, { delay: 30 });
        await page.keyboard.press('Enter');
        await page.getByTestId('eligibility-step').waitFor({ timeout: 30_000 });
        const text = await visibleText(page);
        expect(text).not.toContain('无法识别该二维码');
        expect(text).not.toContain('电子凭证令牌格式不正确');
        expect(await page.getByTestId('eligibility').getAttribute('data-direct')).toBe('true');
        await counting.stop('desk: lost card → ID number → direct settlement eligibility');
      }),
    JOURNEY_MS,
  );

  it(
    'desk, keyboard only: lost card → Enter → F2 reads the resident ID card on the ID card reader → checked again, direct settlement',
    () =>
      withTerminal(browser, 'admission', async ({ page, api }) => {
        await signInToIdentify(page);
        await api.demo.insertCard({ personKey: PEOPLE.lostCard.key, generation: 3 });
        await page.getByTestId('eligibility-step').waitFor({ timeout: 30_000 });
        const counting = await startCounting(page);
        await page.keyboard.press('Enter'); // the primary: switch credential
        await page.getByTestId('switch-credential').waitFor();
        expect(await page.getByTestId('switch-credential').textContent()).toContain('F2');
        // The patient hands over the ID card; the clerk lays it on the (virtual) ID card reader.
        await api.demo.placeIdCard({ cardId: `person/${PEOPLE.lostCard.key}` });
        await page.keyboard.press('F2');
        await page.getByTestId('eligibility-step').waitFor({ timeout: 30_000 });
        expect(await page.getByTestId('eligibility').getAttribute('data-direct')).toBe('true');
        const figures = await counting.stop('desk: lost card → F2 ID card → direct settlement eligibility');
        expect(figures.keys).toBe(2);
        await shot(page, 'desk-14b-switch-idcard-direct');
        await expectAccessible(page);
      }),
    JOURNEY_MS,
  );

  it(
    'desk: an old error panel does not stay through a later lookup',
    () =>
      withTerminal(browser, 'admission', async ({ page, terminal }) => {
        await signInToIdentify(page);
        await page.keyboard.type('320200197606062918', { delay: 90 });
        await page.keyboard.press('Enter');
        await page.getByTestId('identify-problem').waitFor();
        // The e-voucher, scanned (a wedge burst): the problem of the typed number is gone with the new lookup.
        await page.keyboard.type(await voucherQr(terminal, PEOPLE.local.key), { delay: 3 });
        await page.keyboard.press('Enter');
        await page.getByTestId('eligibility-step').waitFor({ timeout: 30_000 });
        await page.keyboard.press('Escape');
        await page.getByTestId('identify').waitFor();
        expect(await page.getByTestId('identify-problem').count()).toBe(0);
        expect(await page.getByTestId('error').count()).toBe(0);
      }),
    JOURNEY_MS,
  );

  for (const [orientation, screen] of Object.entries(KIOSK_SCREENS)) {
    it(
      `kiosk, touch, ${orientation}: lost card → 输入身份证号码 on the screen keyboard → direct settlement; 自费 asks first`,
      () =>
        withTerminal(
          browser,
          'self-service',
          async ({ page, api }) => {
            await page.getByTestId('start-self-service').waitFor();
            await api.demo.insertCard({ personKey: PEOPLE.lostCard.key, generation: 3 });
            await page.getByTestId('ss-result').waitFor({ timeout: 30_000 });
            expect(await page.getByTestId('ss-go-checkin').count()).toBe(0);
            await page.getByTestId('ss-switch-id').waitFor();
            // Above the fold: every action is on screen without scrolling, also at 1080 px high.
            for (const id of ['ss-switch-idcard', 'ss-switch-qr', 'ss-switch-id', 'ss-end', 'ss-self-pay-settle']) {
              const box = (await page.getByTestId(id).boundingBox())!;
              expect(box.y + box.height).toBeLessThanOrEqual(screen.height);
            }
            await shot(page, `kiosk-15-card-refused-${orientation}`);
            await expectAccessible(page);

            await page.getByTestId('ss-self-pay-checkin').tap();
            await page.getByTestId('self-pay-confirm').waitFor();
            await shot(page, `kiosk-16-self-pay-confirm-${orientation}`);
            await expectAccessible(page);
            await page.getByTestId('self-pay-cancel').tap();
            await page.getByTestId('self-pay-confirm').waitFor({ state: 'detached' });

            await page.getByTestId('ss-switch-id').tap();
            await page.getByTestId('ss-id-entry-screen').waitFor();
            for (const k of PEOPLE.lostCard.certNo) await page.locator(`.osk [data-key="${k}"]`).tap();
            await page.getByTestId('ss-id-submit').tap();
            await page.getByTestId('ss-result').waitFor({ timeout: 30_000 });
            expect(await page.getByTestId('eligibility-verdict').textContent()).toBe('可以使用医保直接结算');
          },
          {},
          screen,
        ),
      JOURNEY_MS,
    );
  }

  for (const [orientation, screen] of Object.entries(KIOSK_SCREENS)) {
    it(
      `kiosk, touch, ${orientation}: lost card → 读身份证 on the ID card reader → checked again, direct settlement`,
      () =>
        withTerminal(
          browser,
          'self-service',
          async ({ page, api }) => {
            await page.getByTestId('start-self-service').waitFor();
            await api.demo.insertCard({ personKey: PEOPLE.lostCard.key, generation: 3 });
            await page.getByTestId('ss-switch-idcard').waitFor({ timeout: 30_000 });
            const counting = await startCounting(page);
            await api.demo.placeIdCard({ cardId: `person/${PEOPLE.lostCard.key}` });
            await page.getByTestId('ss-switch-idcard').tap();
            await page.getByTestId('eligibility-verdict').filter({ hasText: '可以使用医保直接结算' }).waitFor({ timeout: 30_000 });
            expect((await counting.stop(`kiosk: lost card → 读身份证 → direct (${orientation})`)).taps).toBe(1);
            expect(await page.getByTestId('ss-go-checkin').count()).toBe(1);
            await shot(page, `kiosk-16b-switch-idcard-direct-${orientation}`);
            await expectAccessible(page);
          },
          {},
          screen,
        ),
      JOURNEY_MS,
    );
  }
});

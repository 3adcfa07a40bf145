import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeFindings } from './support/axe.ts';
import { browserAvailable, launchChromium } from './support/browser.ts';
import { KIOSK_SCREENS, shot, signInByKeyboard, signInToIdentify, visibleText, withTerminal } from './support/kiosk-page.ts';
import { admitWithCharges, PEOPLE, voucherQr } from './support/scenarios.ts';

const run = browserAvailable();
const JOURNEY_MS = 150_000;

describe.runIf(run)('issue 13 · 4 and 7: guidance by insured place; the outage in one vocabulary', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it(
    'kiosk: an unfiled 合肥 patient is told the national channels (not 江苏医保云) and the hospital’s window and phone, each line once',
    () =>
      withTerminal(
        browser,
        'self-service',
        async ({ page, terminal }) => {
          await page.getByTestId('start-self-service').waitFor();
          await page.keyboard.type(await voucherQr(terminal, PEOPLE.crossUnfiled.key), { delay: 3 });
          await page.keyboard.press('Enter');
          await page.getByTestId('ss-result').waitFor({ timeout: 30_000 });
          const lines = await page.locator('[data-testid="eligibility"] li').allTextContents();
          const all = lines.join('\n');
          expect(all).toContain('国家医保服务平台 APP');
          expect(all).not.toContain('江苏医保云');
          expect(all).toContain('门诊大厅医保服务窗口');
          expect(all).toContain('0510-12345678');
          expect(new Set(lines).size).toBe(lines.length);
          await shot(page, 'kiosk-21-guidance-cross-province');
          expect(await axeFindings(page)).toEqual([]);
        },
        {},
        KIOSK_SCREENS.portrait,
      ),
    JOURNEY_MS,
  );

  it(
    'kiosk: a reissued card’s old 大市一卡通 registration does not say 按本地就医待遇结算 beside 失效',
    () =>
      withTerminal(browser, 'self-service', async ({ page, api }) => {
        await page.getByTestId('start-self-service').waitFor();
        await api.demo.insertCard({ personKey: 'jy-dsyk-reissued', generation: 3 });
        await page.getByTestId('ss-result').waitFor({ timeout: 30_000 });
        const text = await visibleText(page);
        expect(text).not.toContain('按本地就医待遇结算');
        expect(text).toContain('换卡后已失效，需重新登记');
        expect(text).toContain('江阴市民卡微信公众号');
        await shot(page, 'kiosk-22-reissued-card-dsyk');
      }),
    JOURNEY_MS,
  );

  it(
    'kiosk, portrait, touch: 确认结算 while the platform cannot be reached — the patient\'s words (nothing settled yet, do not pay again, come back or go to the window), not the cashier\'s',
    () =>
      withTerminal(
        browser,
        'self-service',
        async ({ page, api }) => {
          await admitWithCharges(api, PEOPLE.local.certNo, { depositFen: 1_000_000, chargesFen: 300_000, via: 'kiosk-booking' });
          await api.system.resetSession({});
          await page.getByTestId('start-self-service').waitFor();
          await api.demo.insertCard({ personKey: PEOPLE.local.key, generation: 3 });
          await page.getByTestId('ss-go-settle').tap({ timeout: 30_000 });
          await page.getByTestId('ss-settle-confirm').waitFor({ timeout: 30_000 });
          await api.demo.setNetwork({ online: false });
          await page.getByTestId('ss-settle-confirm').tap();
          await page.getByTestId('ss-failed').waitFor({ timeout: 60_000 });
          const text = await page.locator('main').innerText();
          expect(text).toContain('本次结算还没有完成');
          expect(text).toContain('请不要重复缴费');
          expect(text).not.toMatch(/让患者|本机|上传|届时再办理|结算完成/);
          await shot(page, 'kiosk-59-settle-offline-portrait');
          expect(await axeFindings(page)).toEqual([]);
          await api.demo.setNetwork({ online: true });
        },
        {},
        KIOSK_SCREENS.portrait,
      ),
    JOURNEY_MS,
  );

  it(
    'counter offline: one vocabulary, no button named that is not on screen, no self-pay way offered that does not exist; resumes by itself when the platform is back',
    () =>
      withTerminal(browser, 'discharge', async ({ page, api }) => {
        const stay = await admitWithCharges(api, PEOPLE.local.certNo, { depositFen: 500_000, chargesFen: 100_000 });
        await signInByKeyboard(page, '0002');
        await page.getByTestId('stay-search').waitFor();
        await api.demo.setNetwork({ online: false });
        await page.getByTestId('offline-banner').waitFor({ timeout: 30_000 });
        await page.getByTestId('stay-search').fill(stay.iptNo);
        await page.keyboard.press('Enter');
        await page.locator(`[data-testid="stay-row"][data-ipt-no="${stay.iptNo}"] [data-testid="open-stay"]`).click();
        await page.getByTestId('presettle').click();
        await page.getByTestId('error').first().waitFor({ timeout: 30_000 });
        const text = await visibleText(page);
        expect(text).toContain('医保平台暂时无法连接');
        expect(text).not.toMatch(/网络恢复|医保网络暂时中断|全额自费结账|自费后办理零星报销/);
        if (text.includes('继续结算')) expect(await page.getByTestId('resume-settle').count()).toBe(1);
        await shot(page, 'counter-18-offline');
        expect(await axeFindings(page)).toEqual([]);
        // The platform comes back: the pre-settlement runs again by itself.
        await api.demo.setNetwork({ online: true });
        await page.getByTestId('presettle-result').waitFor({ timeout: 60_000 });
      }),
    JOURNEY_MS,
  );

  it(
    'desk, keyboard only, platform fully offline, a patient not checked here before: no 自费 admission suggested (there is none without a decision); retry or the hospital procedure',
    () =>
      withTerminal(browser, 'admission', async ({ page, api }) => {
        await signInToIdentify(page);
        await api.demo.setNetwork({ online: false });
        await page.getByTestId('offline-banner').waitFor({ timeout: 30_000 });
        await page.keyboard.type(PEOPLE.crossUnfiled.certNo, { delay: 90 });
        await page.keyboard.press('Enter');
        await page.getByTestId('error').first().waitFor({ timeout: 30_000 });
        const text = await visibleText(page);
        expect(text).toContain('医保平台暂时无法连接');
        expect(text).not.toContain('自费');
        expect(text).toContain('医保平台恢复连接后再在此核验并办理入院登记');
        expect(await page.getByTestId('eligibility-self-pay').count()).toBe(0);
        await shot(page, 'desk-16-offline-no-decision');
        expect(await axeFindings(page)).toEqual([]);
        await api.demo.setNetwork({ online: true });
      }),
    JOURNEY_MS,
  );

  it(
    'kiosk, touch, portrait, platform fully offline: the patient is told to wait or ask a person, not a staff procedure or a 自费 way',
    () =>
      withTerminal(
        browser,
        'self-service',
        async ({ page, api }) => {
          await page.getByTestId('start-self-service').waitFor();
          await api.demo.setNetwork({ online: false });
          await api.demo.insertCard({ personKey: PEOPLE.crossUnfiled.key, generation: 3 });
          await page.getByTestId('ss-failed').waitFor({ timeout: 30_000 });
          const text = await visibleText(page);
          expect(text).toContain('医保平台暂时无法连接');
          expect(text).toContain('人工窗口');
          expect(text).not.toMatch(/自费|应急流程|信息科|签到/);
          await shot(page, 'kiosk-33-offline-no-decision-portrait');
          expect(await axeFindings(page)).toEqual([]);
          await api.demo.setNetwork({ online: true });
        },
        {},
        KIOSK_SCREENS.portrait,
      ),
    JOURNEY_MS,
  );
});

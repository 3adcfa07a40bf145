import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { browserAvailable, launchChromium } from './support/browser.ts';
import { identifyByTypedId, shot, signInToIdentify, visibleText, withTerminal } from './support/kiosk-page.ts';
import { PEOPLE, voucherQr } from './support/scenarios.ts';
import { startCounting } from './support/figures.ts';
import { fillAdmissionFormByKeyboard, focusedName } from './support/desk-form.ts';

const run = browserAvailable();
const JOURNEY_MS = 120_000;

describe.runIf(run)('admission desk in Chromium against the terminal (sandbox platform, virtual reader)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it(
    'local patient by card, keyboard only: sign-in, eligibility, validated form with ICD-10 search, deposit, slip',
    () =>
      withTerminal(browser, 'admission', async ({ page, api }) => {
        await page.getByTestId('start-admission').waitFor();
        await shot(page, 'desk-01-sign-in');
        await signInToIdentify(page);
        await shot(page, 'desk-02-identify');
        const counting = await startCounting(page);

        await api.demo.insertCard({ personKey: PEOPLE.local.key, generation: 3 });
        await page.getByTestId('eligibility-step').waitFor();
        expect(await page.getByTestId('eligibility-verdict').textContent()).toBe('可以使用医保直接结算');
        expect(await page.getByTestId('eligibility-reasons').locator('li').count()).toBeGreaterThan(0);
        await shot(page, 'desk-03-eligibility-local');
        await page.keyboard.press('Enter'); // 继续办理入院 has the focus

        await page.getByTestId('admission-form').waitFor();
        // Enter on an empty form: every missing field named, nothing sent.
        await page.keyboard.press('Enter');
        await page.getByTestId('form-errors').waitFor();
        expect(await page.getByTestId('form-errors').textContent()).toContain('入院诊断');
        await shot(page, 'desk-04-form-validation');
        // The first field in error has the focus: go on from there.
        await fillAdmissionFormByKeyboard(page, { deposit: '3000' });
        await shot(page, 'desk-05-form-filled');
        await page.keyboard.press('Enter');

        await page.getByTestId('admitted').waitFor();
        // Issue 13 figures: the clerk's keys from the card to 住院号 (one of them the deliberate empty submit).
        const figures = await counting.stop('desk: admission by card, keyboard only');
        expect(figures.keys).toBeLessThanOrEqual(40);
        expect(await page.getByTestId('admitted').getAttribute('data-status')).toBe('admitted');
        expect(await page.getByTestId('admitted-mdtrt-id').textContent()).not.toBe('待上传');
        await page.locator('[data-testid="preview-admission-slip"][data-loaded="true"]').waitFor();
        await page.getByTestId('print-admission-slip').click();
        await page.getByTestId('print-admission-slip-result').waitFor();
        await shot(page, 'desk-06-admitted-slip');

        // Esc: next patient; the previous one is gone from the screen.
        const ipt = await page.getByTestId('admitted-ipt-no').textContent();
        await page.keyboard.press('Escape');
        await page.getByTestId('identify').waitFor();
        expect(await visibleText(page)).not.toContain(ipt!);
      }),
    JOURNEY_MS,
  );

  it(
    'deposit top-up by QR at the desk, keyboard only: F6 to the amount, Enter for the QR, the phone pays, Enter closes',
    () =>
      withTerminal(browser, 'admission', async ({ page, api, terminal }) => {
        await signInToIdentify(page);
        await api.demo.insertCard({ personKey: PEOPLE.local.key, generation: 3 });
        await page.getByTestId('eligibility-step').waitFor();
        await page.keyboard.press('Enter');
        await fillAdmissionFormByKeyboard(page, { deposit: '3000' });
        await page.keyboard.press('Enter');
        await page.getByTestId('admitted').waitFor();
        const iptNo = (await page.getByTestId('admitted-ipt-no').textContent())!;
        // F6 from wherever the focus is (下一位患者 has it): the cursor is in the amount.
        await page.keyboard.press('F6');
        await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('top-up-amount');
        await page.keyboard.type('500', { delay: 80 });
        await page.keyboard.press('Enter');
        const qr = page.getByTestId('pay-qr');
        await qr.waitFor();
        // Nothing is recorded until the payment platform confirms it.
        expect(terminal.parts.store.money.depositTotalFen(iptNo)).toBe(300_000);
        await shot(page, 'desk-top-up-01-qr');
        await api.demo.phonePays({ qrCode: (await qr.getAttribute('data-qr'))!, action: 'pay' });
        expect(await page.getByTestId('pay-applied').textContent()).toMatch(/支付成功（支付宝交易号 \d+）/);
        await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('top-up-done');
        await shot(page, 'desk-top-up-02-paid');
        await page.keyboard.press('Enter');
        await page.getByTestId('top-up-amount').waitFor();
        expect(terminal.parts.store.money.deposits(iptNo).map((d) => [d.method, d.amountFen])).toEqual([
          ['cash', 300_000],
          ['alipay', 50_000],
        ]);
        // Then ¥200 in cash at the window, keyboard only: F6, then Tab past the (empty) QR amount to 现金 / 银行卡.
        await page.keyboard.press('F6');
        await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('top-up-amount');
        await page.keyboard.press('Tab');
        await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('by-hand-amount');
        await page.keyboard.type('200', { delay: 40 });
        await page.keyboard.press('Tab'); // 方式: 现金
        await page.keyboard.press('Tab');
        await page.keyboard.type('YJ-T-0001', { delay: 20 });
        await page.keyboard.press('Enter');
        await page.getByTestId('by-hand-done').waitFor();
        expect(await page.getByTestId('by-hand-done').textContent()).toContain('预交金合计 3,700.00');
        expect(await page.getByTestId('admitted').textContent()).toContain('3,700.00');
        await shot(page, 'desk-top-up-03-cash');
        expect(terminal.parts.store.money.deposits(iptNo).map((d) => [d.method, d.amountFen, d.receiptNo])).toContainEqual(['cash', 20_000, 'YJ-T-0001']);
      }),
    JOURNEY_MS,
  );

  it(
    'cross-province filed patient by typed ID number: direct settlement with the filing named',
    () =>
      withTerminal(browser, 'admission', async ({ page }) => {
        await signInToIdentify(page);
        await identifyByTypedId(page, PEOPLE.crossFiled.certNo);
        expect(await page.getByTestId('eligibility').getAttribute('data-direct')).toBe('true');
        expect(await page.getByTestId('eligibility-person').textContent()).toContain('跨省异地就医');
        await shot(page, 'desk-07-eligibility-cross-province-filed');
      }),
    JOURNEY_MS,
  );

  it(
    'unfiled cross-province patient by a scanned 医保电子凭证 (keyboard wedge): refused with guidance',
    () =>
      withTerminal(browser, 'admission', async ({ page, terminal }) => {
        await signInToIdentify(page);
        // A scanner types the whole code in a burst; the ID field has the focus and must not keep it.
        await page.keyboard.type(await voucherQr(terminal, PEOPLE.crossUnfiled.key)); // back to back, as a scanner types
        await page.keyboard.press('Enter');
        await page.getByTestId('eligibility-step').waitFor();
        expect(await page.getByTestId('eligibility').getAttribute('data-direct')).toBe('false');
        expect(await page.getByTestId('eligibility-verdict').textContent()).toBe('本次暂不能使用医保直接结算');
        const guidance = await page.getByTestId('eligibility-guidance').textContent();
        expect(guidance).toMatch(/备案/);
        expect(guidance).toMatch(/零星报销|票据|费用清单/);
        await shot(page, 'desk-08-eligibility-unfiled-refused');
        // Esc back: the scan left nothing in the typed-number field.
        await page.keyboard.press('Escape');
        await page.getByTestId('identify').waitFor();
        expect(await page.getByLabel('身份证号码').inputValue()).toBe('');
      }),
    JOURNEY_MS,
  );

  it(
    'lost card: refused with the Chinese message and what to use instead',
    () =>
      withTerminal(browser, 'admission', async ({ page, api }) => {
        await signInToIdentify(page);
        await api.demo.insertCard({ personKey: PEOPLE.lostCard.key, generation: 3 });
        const shown = page.getByTestId('error').or(page.getByTestId('eligibility-step'));
        await shown.first().waitFor();
        const text = await visibleText(page);
        expect(text).toMatch(/挂失/);
        expect(text).toMatch(/医保电子凭证|身份证/);
        expect(text).not.toMatch(/Error|undefined|at \w+ \(/);
        await shot(page, 'desk-09-lost-card');
      }),
    JOURNEY_MS,
  );

  it(
    '入院时间, keyboard only: a night-time admission registered next morning; a time in the future refused in words, corrected, on the confirmation and the slip',
    () =>
      withTerminal(browser, 'admission', async ({ page, api }) => {
        await signInToIdentify(page);
        await identifyByTypedId(page, PEOPLE.localResident.certNo);
        await page.keyboard.press('Enter');
        await page.getByTestId('admission-form').waitFor();
        // The default is the terminal's own time (its clock, not this browser's), read back in Chinese.
        const now = (await api.system.status({})).now!;
        expect(await page.getByTestId('admission-begntime').inputValue()).toBe(now.slice(0, 16));
        const shift = (days: number) => new Date(Date.parse(`${now.replace(' ', 'T')}Z`) + days * 86_400_000).toISOString().slice(0, 10);
        // A slip of the day: tomorrow instead of yesterday.
        await fillAdmissionFormByKeyboard(page, { deposit: null, begntime: `${shift(1)} 23:40` });
        await page.keyboard.press('Enter');
        await page.getByTestId('form-errors').waitFor();
        expect(await page.locator('#err-begntime').textContent()).toContain('入院时间不能晚于当前时间');
        expect(await focusedName(page)).toBe('begntime');
        await shot(page, 'desk-17-admission-time-refused');
        // The focus is back in 入院时间: select it and type the right day.
        await page.keyboard.press('Control+A');
        await page.keyboard.type(`${shift(-1)} 23:40`, { delay: 60 });
        const [y, m, d] = shift(-1).split('-').map(Number);
        const chinese = `${y}年${m}月${d}日 23:40`;
        expect(await page.getByTestId('admission-begntime-hint').textContent()).toContain(chinese);
        await page.getByTestId('form-errors').waitFor({ state: 'detached' });
        await page.keyboard.press('Enter');
        await page.getByTestId('admitted').waitFor({ timeout: 30_000 });
        expect(await page.getByTestId('admitted').textContent()).toContain(`入院时间${chinese}`);
        const slip = page.locator('[data-testid="preview-admission-slip"][data-loaded="true"]');
        await slip.waitFor();
        expect(await visibleText(page)).toContain(chinese);
        const iptNo = await page.getByTestId('admitted-ipt-no').textContent();
        const stay = (await api.admission.list({})).find((a) => a.iptNo === iptNo);
        expect(stay?.begntime).toBe(`${shift(-1)} 23:40:00`);
        // The printed 入院登记单 says the same time.
        const printed = await api.documents.render({ kind: 'admission-slip', admissionId: stay!.admissionId });
        expect(printed.html.replace(/<[^>]+>/g, ' ')).toContain(chinese);
        await shot(page, 'desk-18-admission-time-late');
      }),
    JOURNEY_MS,
  );

  it(
    'outage during admission: registered locally and queued, then synced when the network returns',
    () =>
      withTerminal(browser, 'admission', async ({ page }) => {
        await signInToIdentify(page);
        await identifyByTypedId(page, PEOPLE.localResident.certNo);
        await page.keyboard.press('Enter');
        await page.getByTestId('admission-form').waitFor();

        // The network goes down while the form is being filled (demo panel: 断开医保网络).
        await page.getByTestId('demo-toggle').click();
        await page.getByTestId('demo-network').click();
        await page.getByTestId('offline-banner').waitFor();
        await page.getByTestId('demo-toggle').click();
        await page.getByLabel(/^科室/).focus();
        await fillAdmissionFormByKeyboard(page, { deposit: null });
        await page.keyboard.press('Enter');

        await page.getByTestId('admitted').waitFor();
        expect(await page.getByTestId('admitted').getAttribute('data-status')).toBe('queued');
        expect(await page.getByTestId('admitted-mdtrt-id').textContent()).toBe('待上传');
        await expect.poll(() => page.getByTestId('queue-status').textContent(), { timeout: 20_000 }).not.toBe('待上传 0');
        await shot(page, 'desk-10-offline-queued');

        await page.getByTestId('demo-toggle').click();
        await page.getByTestId('demo-network').click();
        await page.getByTestId('demo-toggle').click();
        await page.getByTestId('offline-banner').waitFor({ state: 'detached', timeout: 30_000 });
        await expect.poll(() => page.getByTestId('admitted').getAttribute('data-status'), { timeout: 60_000 }).toBe('admitted');
        expect(await page.getByTestId('admitted-mdtrt-id').textContent()).not.toBe('待上传');
        await expect.poll(() => page.getByTestId('queue-status').textContent(), { timeout: 30_000 }).toBe('待上传 0');
        await shot(page, 'desk-11-synced');

        await page.getByTestId('tab-queue').click();
        await page.getByTestId('queue-summary').waitFor();
        await shot(page, 'desk-12-queue');
      }),
    JOURNEY_MS,
  );
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeFindings } from './support/axe.ts';
import { browserAvailable, launchChromium } from './support/browser.ts';
import { startCounting } from './support/figures.ts';
import { shot, signInByKeyboard, visibleText, withTerminal } from './support/kiosk-page.ts';
import { admitWithCharges, PEOPLE } from './support/scenarios.ts';

const run = browserAvailable();
const JOURNEY_MS = 150_000;

/** A HIS export as the cashier receives it: line 3 has a count of 0 and line 4 repeats line 2's number. */
const BAD_CSV = ['feedetl_sn,med_list_codg,cnt', 'H0001,0010001941077,3', 'H0002,0030003439479,0', 'H0001,0030003439479,1'].join('\n');
const GOOD_CSV = ['feedetl_sn,med_list_codg,cnt', 'H0001,0010001941077,3', 'H0002,0030003439479,1'].join('\n');

async function chooseFile(page: Page, name: string, content: string) {
  await page.getByTestId('his-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content, 'utf8') });
  await page.getByTestId('import-preview').waitFor();
}

async function expectAccessible(page: Page) {
  expect(await axeFindings(page)).toEqual([]);
}

describe.runIf(run)('issue 13 · 1: charges get in from the counter screen; the kiosk shows patients only what they can do', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it(
    'counter: a HIS file previewed with its errors by line, the fixed file imported, a line typed from the catalogue, one withdrawn, all uploaded, pre-settled',
    () =>
      withTerminal(browser, 'discharge', async ({ page, api }) => {
        const stay = await admitWithCharges(api, PEOPLE.local.certNo, { depositFen: 500_000, chargesFen: 0 });
        await signInByKeyboard(page, '0002');
        const counting = await startCounting(page);
        await page.getByTestId('stay-search').fill(stay.iptNo);
        await page.keyboard.press('Enter');
        await page.locator(`[data-testid="stay-row"][data-ipt-no="${stay.iptNo}"] [data-testid="open-stay"]`).click();
        await page.getByTestId('charges').waitFor();
        // No charges yet: nothing to pre-settle, and the screen says what to do instead.
        expect(await page.getByTestId('presettle').isDisabled()).toBe(true);
        expect(await page.getByTestId('upload-progress').textContent()).toContain('请导入 HIS 费用文件或录入费用');

        await chooseFile(page, 'his-export.csv', BAD_CSV);
        const problems = await page.getByTestId('import-problem').allTextContents();
        expect(problems).toEqual([expect.stringMatching(/^第3行：.*数量/), expect.stringMatching(/^第4行：.*H0001.*重复/)]);
        expect(await page.getByTestId('his-import-confirm').isDisabled()).toBe(true);
        await shot(page, 'counter-12-import-errors');
        await expectAccessible(page);

        await chooseFile(page, 'his-export.csv', GOOD_CSV);
        expect(await page.getByTestId('import-problems').count()).toBe(0);
        expect(await page.locator('[data-testid="import-preview-lines"] tbody tr').count()).toBe(2);
        await shot(page, 'counter-13-import-preview');
        await page.getByTestId('his-import-confirm').focus();
        await page.keyboard.press('Enter');
        await page.getByTestId('his-imported').waitFor();
        expect(await page.locator('[data-testid="charge-lines"] tbody tr').count()).toBe(2);

        // Manual entry by keyboard: search, ↓/Enter chooses, the count, Enter adds.
        await page.getByTestId('catalogue-search').focus();
        await page.keyboard.type('CT平扫');
        await page.getByTestId('catalogue-results').waitFor();
        await page.keyboard.press('Enter');
        await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('count');
        await page.keyboard.type('2');
        await page.keyboard.press('Enter');
        await page.getByTestId('entry-added').waitFor();
        expect(await page.locator('[data-testid="charge-lines"] tbody tr').count()).toBe(3);
        await shot(page, 'counter-14-manual-entry');
        await expectAccessible(page);

        // A correction: the typed line withdrawn (never sent: cancelled here, no 2302).
        await page.getByTestId('cancel-line').last().focus();
        await page.keyboard.press('Enter');
        await page.getByTestId('cancel-line-dialog').waitFor();
        await shot(page, 'counter-15-cancel-line');
        await expectAccessible(page);
        await page.keyboard.press('Enter');
        await page.getByTestId('cancel-line-dialog').waitFor({ state: 'detached' });
        expect(await page.locator('[data-testid="charge-lines"] tbody tr[data-state="cancelled"]').count()).toBe(1);

        await page.getByTestId('upload-charges').focus();
        await page.keyboard.press('Enter');
        await expect.poll(() => page.getByTestId('upload-progress').getAttribute('data-sent'), { timeout: 30_000 }).toBe('2');
        expect(await page.getByTestId('upload-progress').textContent()).toContain('已上传 2 / 2 项');
        await shot(page, 'counter-16-uploaded');

        await page.getByTestId('presettle').focus();
        await page.keyboard.press('Enter');
        await page.getByTestId('presettle-result').waitFor({ timeout: 30_000 });
        const figures = await counting.stop('counter: import, entry, correction, upload, pre-settle');
        expect(figures.keys).toBeGreaterThan(0);
      }),
    JOURNEY_MS,
  );

  it(
    'kiosk: a stay whose charges are not in yet is explained to the patient, with no staff instruction and no 2402 sent',
    () =>
      withTerminal(browser, 'self-service', async ({ page, api }) => {
        await admitWithCharges(api, PEOPLE.local.certNo, { depositFen: 500_000, chargesFen: 0, via: 'kiosk-booking' });
        await api.system.resetSession({});
        await page.getByTestId('start-self-service').waitFor();
        await api.demo.insertCard({ personKey: PEOPLE.local.key, generation: 3 });
        await page.getByTestId('ss-go-settle').click({ timeout: 30_000 });
        await page.getByTestId('ss-failed').waitFor({ timeout: 30_000 });
        const text = await visibleText(page);
        expect(text).toContain('您的住院费用还没有全部录入');
        expect(text).toContain('出院结算窗口');
        expect(text).not.toMatch(/导入|录入费用并上传|继续结算|队列/);
        await shot(page, 'kiosk-14-charges-not-ready');
        await expectAccessible(page);
      }),
    JOURNEY_MS,
  );
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatYuan } from '../../renderer/app/format.ts';
import { axeFindings } from './support/axe.ts';
import { browserAvailable, launchChromium } from './support/browser.ts';
import { shot, signInByKeyboard, withTerminal } from './support/kiosk-page.ts';
import { admitWithCharges, PEOPLE } from './support/scenarios.ts';

const run = browserAvailable();
const JOURNEY_MS = 170_000;

/** Tab until the element with this test id has the focus, as a person tabbing through the screen. */
async function tabTo(page: Page, testId: string, max = 80): Promise<void> {
  for (let n = 0; n <= max; n++) {
    if (await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${testId} not reached with ${max} Tab presses`);
}

/** Opens a stay from the counter's open-stays list by keyboard: its number, Enter, ↓, Enter. */
async function openStay(page: Page, iptNo: string): Promise<void> {
  await page.getByTestId('stay-search').waitFor();
  await page.getByTestId('stay-search').focus();
  await page.keyboard.type(iptNo);
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await page.getByTestId('stay-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-ipt-no')))).join(','), { timeout: 20_000 }).toBe(iptNo);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.getByTestId('deposit-list').waitFor({ timeout: 20_000 });
}

describe.runIf(run)('作废 of a mistaken cash deposit at the counter, keyboard only', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it(
    'the desk typed 5,000.00 for 500.00: a cashier cannot void it; the supervisor voids it with a reason, takes 500.00, and the stay, the list and the day-end agree',
    () =>
      withTerminal(browser, 'discharge', async ({ page, api }) => {
        const stay = await admitWithCharges(api, PEOPLE.local.certNo, { depositFen: 500_000, chargesFen: 100_000, receiptNo: 'YJ-E2E-VOID' });
        await page.reload();
        await page.getByTestId('sign-in').waitFor();

        // The cashier sees the deposit, and that a void needs a supervisor: no 作废 for them.
        await signInByKeyboard(page, '0002');
        await openStay(page, stay.iptNo);
        expect(await page.getByTestId('deposit-list').textContent()).toContain('须由主管登录后作废');
        expect(await page.getByTestId('deposit-void').count()).toBe(0);
        await page.getByRole('button', { name: '签退' }).focus();
        await page.keyboard.press('Enter');

        // The supervisor signs in, opens the stay, Tab to 作废, Enter, the reason, Enter.
        await signInByKeyboard(page, 'SUP01');
        await openStay(page, stay.iptNo);
        expect(await page.getByTestId('stay-deposits').textContent()).toBe(`预交金 ${formatYuan(500_000)} 元`);
        await tabTo(page, 'deposit-void');
        await page.keyboard.press('Enter');
        await page.getByTestId('void-deposit-dialog').waitFor();
        await page.keyboard.type('收款时金额录错：实收 500 元');
        expect(await axeFindings(page)).toEqual([]);
        await shot(page, 'counter-50-deposit-void-dialog');
        await page.keyboard.press('Enter');
        await page.getByTestId('void-deposit-dialog').waitFor({ state: 'detached', timeout: 30_000 });
        const row = page.locator('[data-testid="deposit-row"][data-receipt="YJ-E2E-VOID"]');
        await expect.poll(async () => row.getAttribute('data-voided'), { timeout: 15_000 }).toBe('yes');
        expect(await row.getByTestId('deposit-state').textContent()).toMatch(/^已作废（主管 SUP01，.+：收款时金额录错：实收 500 元）$/);
        await expect.poll(async () => page.getByTestId('stay-deposits').textContent(), { timeout: 15_000 }).toBe(`预交金 ${formatYuan(0)} 元`);

        // The right amount, in cash, from the same screen (F-key free: Tab to the amount).
        await tabTo(page, 'by-hand-amount');
        await page.keyboard.type('500');
        await tabTo(page, 'by-hand-receipt');
        await page.keyboard.type('YJ-E2E-VOID-2');
        await page.keyboard.press('Enter');
        await page.getByTestId('by-hand-done').waitFor({ timeout: 15_000 });
        await expect.poll(async () => page.getByTestId('stay-deposits').textContent(), { timeout: 15_000 }).toBe(`预交金 ${formatYuan(50_000)} 元`);
        await expect.poll(async () => page.getByTestId('deposit-row').count(), { timeout: 15_000 }).toBe(2);
        expect(await axeFindings(page)).toEqual([]);
        await shot(page, 'counter-51-deposit-voided');

        // Every figure agrees: the stay, its deposits, and the day-end (the void in the drawer of the clerk who took it).
        expect((await api.admission.get({ admissionId: stay.admissionId })).depositsFen).toBe(50_000);
        const today = (await api.system.status({})).today!;
        const report = await api.reconciliation.dayEnd({ from: today });
        const clerk = report.operators.find((o) => o.opterNo === '1001')!;
        expect(clerk.channels.find((c) => c.channel === 'cash')).toMatchObject({ depositFen: 500_000, voidCount: 1, voidFen: 500_000, netFen: 0 });
        expect(report.moneyLines.find((l) => l.kind === 'void')).toMatchObject({ receiptNo: 'YJ-E2E-VOID', opterNo: '1001', voidedBy: 'SUP01', amountFen: 500_000 });

        // The 日终 screen shows the same: 日终对账 tab, every cashier (工号 emptied), Enter.
        await page.getByTestId('tab-reconciliation').focus();
        await page.keyboard.press('Enter');
        await page.getByTestId('cashier-day-end').waitFor();
        await page.getByLabel('收款员工号（空 = 全部）').focus();
        await page.keyboard.press('Control+A');
        await page.keyboard.press('Backspace');
        await page.keyboard.press('Enter');
        const drawer = page.getByTestId('day-end-1001');
        await drawer.waitFor({ timeout: 30_000 });
        expect(await drawer.locator('tr[data-channel="cash"] [data-figure="void"]').textContent()).toBe(formatYuan(500_000));
        expect(await drawer.locator('tr[data-channel="cash"] [data-figure="net"]').textContent()).toBe(formatYuan(0));
        await shot(page, 'counter-52-day-end-void');
      }),
    JOURNEY_MS,
  );
});

import { existsSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaTime } from '../../base/china-time.ts';
import { formatYuan } from '../../renderer/app/format.ts';
import { pdfTextLines } from '../integration/support/pdf-text.ts';
import { axeFindings } from './support/axe.ts';
import { cjkGlyphs } from './support/fonts.ts';
import { browserAvailable, launchChromium } from './support/browser.ts';
import { shot, signInByKeyboard, withTerminal } from './support/kiosk-page.ts';
import { admitWithCharges, PEOPLE } from './support/scenarios.ts';

const run = browserAvailable();
const JOURNEY_MS = 170_000;
const CASHIER = { opterNo: '0002', name: '王收费' };

/**
 * Tab (or Shift+Tab) until the element with this test id has the focus, as a person tabbing through the
 * screen; at most `max` keys.
 */
async function tabTo(page: Page, testId: string, max = 80, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<number> {
  for (let n = 0; n <= max; n++) {
    if (await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId)) return n;
    await page.keyboard.press(key);
  }
  throw new Error(`${testId} not reached with ${max} Tab presses`);
}

/** One figure of one section of the 日终 screen, as integer fen (or a count). */
async function figure(page: Page, section: string, name: string, channel?: string): Promise<number> {
  const scope = page.getByTestId(`day-end-${section}`);
  const cell = channel ? scope.locator(`tr[data-channel="${channel}"] [data-figure="${name}"]`) : scope.locator(`[data-figure="${name}"]`).first();
  const text = (await cell.textContent())!.replace(/,/g, '');
  const m = /^(-?)(\d+)\.(\d\d)$/.exec(text);
  return m ? (Number(m[2]) * 100 + Number(m[3])) * (m[1] ? -1 : 1) : Number(text);
}

/**
 * Settles a stay from the open-stays list, keyboard only: search, ↓ to the row, Enter, Tab to 预结算, Enter,
 * Enter. With `handOut`, the cashier then hands the 多退 out in cash and confirms it on the settled view
 * (Shift+Tab back from 完成 to 已发放现金…确认, Enter) before 完成.
 */
async function settleByKeyboard(page: Page, iptNo: string, handOut: boolean): Promise<void> {
  await page.getByTestId('stay-search').waitFor();
  await page.keyboard.type(iptNo);
  await page.keyboard.press('Enter');
  // The search's answer replaces the list (which may show several stays until then): wait for that one row.
  await expect.poll(async () => (await page.getByTestId('stay-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-ipt-no')))).join(','), { timeout: 20_000 }).toBe(iptNo);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.getByTestId('charges').waitFor();
  await tabTo(page, 'presettle');
  await page.keyboard.press('Enter');
  await page.getByTestId('presettle-result').waitFor({ timeout: 60_000 });
  // 确认结算 has the focus (no PIN for these people).
  await page.keyboard.press('Enter');
  await page.getByTestId('settled').waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="refund-row"][data-state="refunding"]').waitFor();
  if (handOut) {
    await tabTo(page, 'refund-confirm', 30, 'Shift+Tab');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="refund-row"][data-state="refunded"]').waitFor();
    await tabTo(page, 'settled-done');
  }
  await page.keyboard.press('Enter'); // 完成: back to the open stays
  await page.getByTestId('stay-search').waitFor();
}

describe.runIf(run)('cashier day-end at the counter, keyboard only', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it(
    'two settlements, one reversed by the supervisor, one refund handed out and one not; 日终 shows net 1, the cash to hand in and 退款中 apart; the printed report says the same',
    () =>
      withTerminal(browser, 'discharge', async ({ page, api }) => {
        // The terminal's own day (the services decide it; a demo terminal's clock may not be the machine's).
        const today = (await api.system.status({})).today ?? chinaTime(new Date()).day;
        // The admission desk (clerk 1001) took both deposits in cash, and signed off (admitWithCharges).
        const a = await admitWithCharges(api, PEOPLE.local.certNo, { depositFen: 1_000_000, chargesFen: 300_000, receiptNo: 'YJ-E2E-A' });
        const b = await admitWithCharges(api, PEOPLE.localResident.certNo, { depositFen: 500_000, chargesFen: 100_000, receiptNo: 'YJ-E2E-B' });
        // The cashier signs in at the counter (a fresh page: the sign-in screen).
        await page.reload();
        await page.getByTestId('sign-in').waitFor();
        await signInByKeyboard(page, CASHIER.opterNo);
        // A's 多退 is handed out in cash and confirmed at once; B's is not handed out yet: 退款中, still in the drawer.
        await settleByKeyboard(page, a.iptNo, true);
        await settleByKeyboard(page, b.iptNo, false);
        const [refundA] = await api.refunds.forAdmission({ admissionId: a.admissionId });
        expect(refundA).toMatchObject({ method: 'cash', state: 'refunded', doneBy: CASHIER.opterNo });

        // The supervisor reverses the second settlement: back (Shift+Tab) to the 结算记录 tab, Enter; Tab to its 撤销结算,
        // then number, password, reason.
        await tabTo(page, 'tab-settlements', 20, 'Shift+Tab');
        await page.keyboard.press('Enter');
        await page.getByTestId('settlement-row').nth(1).waitFor();
        const rows = await api.discharge.list({});
        const second = rows.find((s) => s.admissionId === b.admissionId)!;
        await tabTo(page, 'reverse');
        if ((await page.evaluate(() => document.activeElement?.closest('tr')?.textContent ?? '')).includes(second.setlId!) === false) {
          await page.keyboard.press('Tab'); // past the first row's 撤销结算 to the second row's 补打, then its 撤销结算
          await tabTo(page, 'reverse');
        }
        await page.keyboard.press('Enter');
        await page.getByTestId('reverse-dialog').waitFor();
        await page.keyboard.type('SUP01');
        await page.keyboard.press('Tab');
        await page.keyboard.type('123456');
        await page.keyboard.press('Tab');
        await page.keyboard.type('患者费用有误，撤销重结');
        await page.keyboard.press('Enter');
        await page.getByTestId('reverse-dialog').waitFor({ state: 'detached', timeout: 60_000 });
        await expect.poll(async () => (await api.discharge.list({})).find((s) => s.admissionId === b.admissionId)?.status, { timeout: 30_000 }).toBe('reversed');

        // 日终对账: Shift+Tab to the tab, Enter; the cashier's own day-end first (day and 工号 prefilled), Enter.
        await tabTo(page, 'tab-reconciliation', 40, 'Shift+Tab');
        await page.keyboard.press('Enter');
        await page.getByTestId('cashier-day-end').waitFor();
        await page.locator('input[name="day-end-from"]:focus').waitFor();
        await page.keyboard.press('Enter');
        await page.getByTestId(`day-end-${CASHIER.opterNo}`).waitFor({ timeout: 30_000 });
        const settled = (await api.discharge.list({})).filter((s) => [a.admissionId, b.admissionId].includes(s.admissionId));
        // Both settlements refund the rest of the deposit in cash; only A's is handed out (the reversal moves no money).
        const refundOf = (id: string) => 0 - Math.min(0, settled.find((s) => s.admissionId === id)!.breakdown.dueFen);
        const refundedFen = refundOf(a.admissionId);
        const inFlightFen = refundOf(b.admissionId);
        expect(refundedFen).toBe(refundA!.amountFen);
        expect(inFlightFen).toBeGreaterThan(0);
        expect(await figure(page, CASHIER.opterNo, 'settled-count')).toBe(2);
        expect(await figure(page, CASHIER.opterNo, 'reversed-count')).toBe(1);
        expect(await figure(page, CASHIER.opterNo, 'net-count')).toBe(1);
        expect(await figure(page, CASHIER.opterNo, 'medfee')).toBe(settled.find((s) => s.admissionId === a.admissionId)!.breakdown.medfeeSumamtFen);
        expect(await figure(page, CASHIER.opterNo, 'cash-out')).toBe(refundedFen);
        expect(await figure(page, CASHIER.opterNo, 'hand-in')).toBe(-refundedFen);
        // Refunds paid from the drawer's float: said in words, not left as a bare negative number.
        expect(await page.getByTestId(`day-end-${CASHIER.opterNo}`).textContent()).toContain('应缴现金为负：本期现金退款多于现金收入');
        expect(await page.getByTestId('day-end-settlements').locator('tr[data-kind="reversal"]').count()).toBe(1);
        expect(await page.getByTestId('day-end-in-flight').textContent()).toContain(formatYuan(inFlightFen));
        expect(await page.getByTestId(`day-end-${CASHIER.opterNo}`).textContent()).toContain(`退款中 1 笔 ${formatYuan(inFlightFen)} 元（未计入）`);

        // Every cashier (工号 emptied): the desk's deposits under 1001, the total hands in deposits − refunds.
        await page.getByLabel('收款员工号（空 = 全部）').focus();
        await page.keyboard.press('Control+A');
        await page.keyboard.press('Backspace');
        await page.keyboard.press('Enter');
        await page.getByTestId('day-end-total').waitFor({ timeout: 30_000 });
        expect(await figure(page, '1001', 'deposit', 'cash')).toBe(1_500_000);
        expect(await figure(page, 'total', 'hand-in')).toBe(1_500_000 - refundedFen);
        const report = await api.reconciliation.dayEnd({ from: today });
        expect(await figure(page, 'total', 'hand-in')).toBe(report.total.cash.handInFen);
        expect(await page.getByTestId('day-end-audit').textContent()).toContain(`链头：第 ${report.auditChain.headSeq}`);
        // The line says whether the chain is intact: its words drawn in a font that has them, not blank.
        const glyphs = await cjkGlyphs(page, 'day-end-audit');
        expect(glyphs.characters).toBeGreaterThan(10);
        expect(glyphs.drawnByBundledFont).toBeGreaterThanOrEqual(glyphs.characters);
        expect(await axeFindings(page)).toEqual([]);
        await shot(page, 'counter-day-end-01-cashier');

        // 打印日结报表: Tab to it, Enter. No printer on the browser host: the PDF is spooled; read it back.
        await tabTo(page, 'print-day-end-report');
        await page.keyboard.press('Enter');
        const result = page.getByTestId('print-day-end-report-result');
        await result.waitFor({ timeout: 60_000 });
        expect(await result.getAttribute('data-status')).toBe('spooled-pdf');
        const file = /PDF 文件：(.+\.pdf)$/.exec((await result.textContent())!)?.[1];
        expect(file && existsSync(file)).toBe(true);
        const paper = pdfTextLines(readFileSync(file!));
        const screenHandIn = [...(await page.locator('[data-figure="hand-in"]').allTextContents())];
        expect(paper.filter((l) => l.startsWith('现金收入')).map((l) => /应缴现金 \| ([-\d,.]+)/.exec(l)?.[1])).toEqual(screenHandIn);
        expect(screenHandIn.at(-1)).toBe(formatYuan(1_500_000 - refundedFen));
        await shot(page, 'counter-day-end-02-printed');

        // The printed report itself (the A4 document the PDF was made from), for docs/screens.md.
        const doc = await api.documents.render({ kind: 'day-end-report', dayEnd: { from: today }, pdf: false });
        const paperPage = await browser.newPage();
        try {
          await paperPage.setViewportSize({ width: 794, height: 1123 });
          await paperPage.setContent(doc.html);
          await shot(paperPage, 'counter-day-end-03-report-a4');
        } finally {
          await paperPage.close();
        }
      }),
    JOURNEY_MS,
  );
});

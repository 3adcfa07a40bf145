import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatYuan } from '../../renderer/app/format.ts';
import { pdfTextLines } from '../integration/support/pdf-text.ts';
import { browserAvailable, launchChromium } from './support/browser.ts';
import { startCounting } from './support/figures.ts';
import { fillAdmissionFormByKeyboard } from './support/desk-form.ts';
import { KIOSK_SCREENS, signInByKeyboard, visibleText } from './support/kiosk-page.ts';
import { apiOf, PEOPLE } from './support/scenarios.ts';
import { startTerminalHost } from './support/terminal-host.ts';

const run = browserAvailable();
const JOURNEY_MS = 420_000;
/** Exploratory screenshots: looked at by the engineer, not kept in the repository. */
const SHOTS = process.env.WHOLE_DAY_SHOTS ?? join(process.cwd(), 'test-results', 'whole-day');
const CLERK = { opterNo: '1001' };
const CASHIER = { opterNo: '0002', name: '王收费' };
/** A HIS export with a large count (a bill above the deposit) and a small one (below it). */
const BIG_CSV = ['feedetl_sn,med_list_codg,cnt', 'H1001,0010001941077,40', 'H1002,0030003439479,40'].join('\n');
const SMALL_CSV = ['feedetl_sn,med_list_codg,cnt', 'H2001,0010001941077,1', 'H2002,0030003439479,1'].join('\n');

/** "1,234.56" anywhere in a text → fen (the first amount). */
const fenOf = (text: string | null) => {
  const m = /(-?)([\d,]+)\.(\d\d)/.exec(text ?? '');
  if (!m) throw new Error(`no amount in ${text}`);
  return (Number(m[2]!.replace(/,/g, '')) * 100 + Number(m[3])) * (m[1] ? -1 : 1);
};

async function snap(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
}

/** One figure of the 日终 screen, as integer fen (or a count). */
async function dayEndFigure(page: Page, section: string, name: string, channel?: string): Promise<number> {
  const scope = page.getByTestId(`day-end-${section}`);
  const cell = channel ? scope.locator(`tr[data-channel="${channel}"] [data-figure="${name}"]`) : scope.locator(`[data-figure="${name}"]`).first();
  const text = (await cell.textContent())!.replace(/,/g, '');
  const m = /^(-?)(\d+)\.(\d\d)$/.exec(text);
  return m ? (Number(m[2]) * 100 + Number(m[3])) * (m[1] ? -1 : 1) : Number(text);
}

/** The counter: find a stay, open it, import the HIS file, upload, pre-settle (keyboard, focus by test id). */
async function importAndPresettle(page: Page, iptNo: string, csv: string) {
  await page.getByTestId('stay-search').fill(iptNo);
  await page.keyboard.press('Enter');
  await page.locator(`[data-testid="stay-row"][data-ipt-no="${iptNo}"] [data-testid="open-stay"]`).focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('charges').waitFor();
  await page.getByTestId('his-file').setInputFiles({ name: `his-${iptNo}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await page.getByTestId('import-preview').waitFor();
  await page.getByTestId('his-import-confirm').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('his-imported').waitFor();
  await page.getByTestId('upload-charges').focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByTestId('upload-progress').getAttribute('data-sent'), { timeout: 60_000 }).toBe('2');
  await page.getByTestId('presettle').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('presettle-result').waitFor({ timeout: 60_000 });
}

async function settle(page: Page) {
  const pin = page.locator('input[name="pin"]');
  if (await pin.count()) await pin.fill('123456');
  await page.getByTestId('settle').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('settled').waitFor({ timeout: 60_000 });
}

describe.runIf(run)('a whole working day: admission desk, kiosk, discharge counter in one terminal world', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it(
    'every figure agrees from the deposit to the 日终, to the fen',
    async () => {
      // One terminal world: one store, one 医保 sandbox, one payment gateway; the desk's mode is switched between
      // desks as the same day moves from the admission desk to the kiosk to the counter.
      const t = await startTerminalHost({ KIOSK_MODE: 'admission', KIOSK_DEMO: '1', KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiosk-e2e-day-')) });
      const api = apiOf(t.terminal);
      const setMode = (mode: 'admission' | 'self-service' | 'discharge') => {
        (t.terminal.loaded.config as { mode: string }).mode = mode;
      };
      const pages: Page[] = [];
      const open = async (viewport: { width: number; height: number }, touch = false) => {
        const page = await browser.newPage({ viewport, hasTouch: touch, locale: 'zh-CN' });
        page.setDefaultTimeout(30_000);
        pages.push(page);
        await page.goto(t.host.launchUrl());
        return page;
      };
      const log: string[] = [];
      try {
        const today = (await api.system.status({})).today!;

        // ── 1. Admission desk, keyboard only: 金晓东 by typed ID number, 100 元 cash deposit, 50 元 QR top-up ──
        const desk = await open({ width: 1920, height: 1080 });
        await signInByKeyboard(desk, CLERK.opterNo);
        await desk.getByTestId('identify').waitFor();
        const deskCount = await startCounting(desk);
        await desk.keyboard.type(PEOPLE.smallAccount.certNo, { delay: 90 });
        await desk.keyboard.press('Enter');
        await desk.getByTestId('eligibility-step').waitFor();
        await snap(desk, '01-desk-eligibility');
        await desk.keyboard.press('Enter');
        await fillAdmissionFormByKeyboard(desk, { deposit: '100', receiptNo: 'YJ-DAY-0001' });
        await snap(desk, '02-desk-form');
        await desk.keyboard.press('Enter');
        await desk.getByTestId('admitted').waitFor({ timeout: 60_000 });
        const iptA = (await desk.getByTestId('admitted-ipt-no').textContent())!;
        await snap(desk, '03-desk-admitted');
        await desk.keyboard.press('F6');
        await expect.poll(() => desk.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('top-up-amount');
        await desk.keyboard.type('50', { delay: 80 });
        await desk.keyboard.press('Enter');
        const deskQr = desk.getByTestId('pay-qr');
        await deskQr.waitFor();
        await api.demo.phonePays({ qrCode: (await deskQr.getAttribute('data-qr'))!, action: 'pay' });
        await desk.getByTestId('pay-applied').waitFor({ timeout: 30_000 });
        await snap(desk, '04-desk-top-up-paid');
        await desk.keyboard.press('Enter');
        const deskFigures = await deskCount.stop('whole day: desk admission + top-up');
        log.push(`desk keys ${deskFigures.keys}`);
        expect(deskFigures.taps).toBe(0);
        const stayA = (await api.discharge.openStays({ q: iptA })).find((s) => s.iptNo === iptA)!;
        expect(stayA.depositsFen).toBe(15_000);
        // The staff screen shows the full name to the signed-in clerk.
        expect(await visibleText(desk)).toContain(`${PEOPLE.smallAccount.name} · `);
        await api.operator.signOut({});
        await desk.close();

        // ── 2. Kiosk, touch, portrait: 王建国 checks in his booking, the deposit by QR ──
        setMode('self-service');
        const kiosk = await open(KIOSK_SCREENS.portrait, true);
        await kiosk.getByTestId('start-self-service').waitFor();
        const kioskCount = await startCounting(kiosk);
        await api.demo.insertCard({ personKey: PEOPLE.local.key, generation: 3 });
        await kiosk.getByTestId('ss-go-checkin').tap({ timeout: 30_000 });
        await kiosk.getByTestId('ss-booking').first().tap();
        await kiosk.getByTestId('ss-deposit').waitFor();
        await snap(kiosk, '05-kiosk-deposit');
        const kioskText = await visibleText(kiosk);
        expect(kioskText).not.toContain(PEOPLE.local.name); // masked for the patient in the hall
        expect(kioskText).not.toMatch(/[A-Za-z]{4,}/); // no English or device jargon
        await kiosk.getByTestId('ss-deposit-confirm').tap();
        const kioskQr = kiosk.getByTestId('pay-qr');
        await kioskQr.waitFor({ timeout: 30_000 });
        await snap(kiosk, '06-kiosk-qr');
        await api.demo.phonePays({ qrCode: (await kioskQr.getAttribute('data-qr'))!, action: 'pay' });
        await kiosk.getByTestId('ss-checked-in').waitFor({ timeout: 30_000 });
        await snap(kiosk, '07-kiosk-checked-in');
        const kioskDoneText = await visibleText(kiosk);
        const kioskFigures = await kioskCount.stop('whole day: kiosk check-in (portrait)');
        log.push(`kiosk taps ${kioskFigures.taps}`);
        expect(kioskFigures.keys).toBe(0);
        const stayB = (await api.admission.list({})).find((s) => s.iptNo !== iptA)!;
        const depositB = stayB.depositsFen;
        expect(depositB).toBeGreaterThan(0);
        expect(fenOf(kioskDoneText.slice(kioskDoneText.indexOf('预交金')))).toBe(depositB);
        await kiosk.getByTestId('ss-done').tap();
        await api.demo.removeCard({});
        await kiosk.close();

        // ── 3. Counter, keyboard: the cashier imports, pre-settles, settles both ──
        setMode('discharge');
        await api.system.resetSession({});
        const counter = await open({ width: 1920, height: 1080 });
        await signInByKeyboard(counter, CASHIER.opterNo);
        await counter.getByTestId('stay-search').waitFor();
        await snap(counter, '08-counter-stays');
        expect(await visibleText(counter)).toContain(PEOPLE.smallAccount.name); // full names for staff

        // A: a bill above the 150 元 deposit: a balance due, taken in cash at the counter.
        await importAndPresettle(counter, iptA, BIG_CSV);
        await snap(counter, '09-counter-presettle-a');
        await settle(counter);
        const dueA = fenOf(await counter.getByTestId('settled-due').textContent());
        expect(await counter.getByTestId('settled-due').textContent()).toMatch(/^待补缴/);
        const settledA = (await api.discharge.list({})).find((s) => s.admissionId === stayA.admissionId)!;
        const bA = settledA.breakdown;
        // Deposit, charges, 统筹 and 个人 agree: what the patient owes is 个人 − deposit.
        expect(bA.depositFen).toBe(15_000);
        expect(bA.dueFen).toBe(dueA);
        expect(bA.psnCashPayFen - bA.depositFen).toBe(dueA);
        expect(bA.fundPaySumamtFen + bA.acctPayFen + bA.psnCashPayFen).toBe(bA.medfeeSumamtFen);
        await snap(counter, '10-counter-settled-a');
        await counter.keyboard.press('1'); // 现金
        await counter.getByTestId('balance-cash-input').waitFor();
        const tendered = Math.ceil((dueA + 1) / 10_000) * 10_000;
        await counter.keyboard.type(String(tendered / 100));
        expect(fenOf(await counter.getByTestId('balance-change').textContent())).toBe(tendered - dueA);
        await counter.keyboard.press('Enter');
        await counter.getByTestId('balance-confirm').waitFor();
        await counter.keyboard.press('Enter');
        await counter.locator('[data-testid="balance-due"][data-outstanding="0"]').waitFor();
        await snap(counter, '11-counter-balance-collected');
        await counter.getByTestId('settled-done').click();

        // B: the kiosk's deposit above a small bill: the rest back to 支付宝.
        await importAndPresettle(counter, stayB.iptNo, SMALL_CSV);
        await settle(counter);
        const dueTextB = (await counter.getByTestId('settled-due').textContent())!;
        await snap(counter, '12-counter-settled-b-refund');
        const settledB = (await api.discharge.list({})).find((s) => s.admissionId === stayB.admissionId)!;
        const refundB = -settledB.breakdown.dueFen;
        expect(refundB).toBeGreaterThan(0);
        expect(fenOf(dueTextB)).toBe(refundB);
        expect(await counter.getByTestId('settled').textContent()).toContain(`${formatYuan(refundB)} 元 正在原路退回支付宝账户`);
        const [refund] = await api.refunds.forAdmission({ admissionId: settledB.admissionId });
        expect(refund).toMatchObject({ amountFen: refundB });
        await counter.getByTestId('settled-done').click();


        // Documents: the 结算单 and receipts carry the same figures.
        const sheetA = pdfTextLines(Buffer.from((await api.documents.render({ kind: 'settlement-sheet', admissionId: settledA.admissionId, pdf: true })).pdfBase64!, 'base64')).join('\n');
        for (const fen of [bA.medfeeSumamtFen, bA.fundPaySumamtFen, bA.psnCashPayFen, bA.depositFen]) expect(sheetA).toContain(formatYuan(fen));
        const sheetB = pdfTextLines(Buffer.from((await api.documents.render({ kind: 'settlement-sheet', admissionId: settledB.admissionId, pdf: true })).pdfBase64!, 'base64')).join('\n');
        expect(sheetB).toContain(formatYuan(refundB));
        const pdfText = async (kind: 'deposit-receipt' | 'refund-slip', admissionId: string, receiptNo?: string) =>
          pdfTextLines(Buffer.from((await api.documents.render({ kind, admissionId, receiptNo, pdf: true })).pdfBase64!, 'base64')).join('\n');
        const [balanceOrder] = (await api.payments.balanceDue({ admissionId: settledA.admissionId }))!.payments;
        expect(balanceOrder).toMatchObject({ channel: 'cash', amountFen: dueA });
        expect(await pdfText('deposit-receipt', settledA.admissionId, balanceOrder!.outTradeNo)).toContain(formatYuan(dueA));
        const refundSlip = await pdfText('refund-slip', settledB.admissionId);
        expect(refundSlip).toContain(formatYuan(refundB));
        expect(refundSlip).toContain('支付宝');

        // ── 4. Supervisor reverses B's settlement ──
        await counter.getByTestId('tab-settlements').focus();
        await counter.keyboard.press('Enter');
        await counter.getByTestId('settlement-row').first().waitFor();
        await snap(counter, '13-counter-settlements');
        const rowB = counter.locator('[data-testid="settlement-row"]', { hasText: settledB.setlId! });
        await rowB.getByTestId('reverse').focus();
        await counter.keyboard.press('Enter');
        await counter.getByTestId('reverse-dialog').waitFor();
        await counter.keyboard.type('SUP01');
        await counter.keyboard.press('Tab');
        await counter.keyboard.type('123456');
        await counter.keyboard.press('Tab');
        await counter.keyboard.type('结算有误，撤销重结');
        // The refund already sent back is named before the supervisor reverses (it is not taken back).
        const warning = (await counter.getByTestId('reverse-refunds').textContent())!;
        expect(warning).toContain(`${formatYuan(refundB)} 元`);
        expect(warning).toContain('支付宝');
        expect(warning).toContain('患者需另行补缴');
        await snap(counter, '14-counter-reverse-dialog');
        await counter.keyboard.press('Enter');
        await counter.getByTestId('reverse-dialog').waitFor({ state: 'detached', timeout: 60_000 });
        await snap(counter, '15-counter-reversed');
        const reversedB = (await api.discharge.list({})).find((s) => s.admissionId === stayB.admissionId);
        // Reversed after its refund went out: the stay is open again, its deposit net of what went back.
        expect(reversedB?.status).toBe('reversed');
        const reopenedB = (await api.discharge.openStays({ q: stayB.iptNo })).find((s) => s.iptNo === stayB.iptNo)!;
        expect(reopenedB.depositsFen).toBe(depositB - refundB);
        expect(reopenedB.chargesFen).toBe(settledB.breakdown.medfeeSumamtFen);

        // ── 5. 日终 ──
        await counter.getByTestId('tab-reconciliation').focus();
        await counter.keyboard.press('Enter');
        await counter.getByTestId('cashier-day-end').waitFor();
        await counter.getByLabel('收款员工号（空 = 全部）').fill('');
        await counter.keyboard.press('Enter');
        await counter.getByTestId('day-end-total').waitFor({ timeout: 60_000 });
        await snap(counter, '16-counter-day-end');
        const report = await api.reconciliation.dayEnd({ from: today });
        // Per operator and channel: the clerk's cash deposit and QR top-up, the kiosk's QR deposit, the cashier's
        // cash balance and 支付宝 refund; one settlement net of the reversal; the cash to hand in.
        expect(await dayEndFigure(counter, CLERK.opterNo, 'deposit', 'cash')).toBe(10_000);
        expect(await dayEndFigure(counter, CLERK.opterNo, 'deposit', 'alipay')).toBe(5_000);
        expect(await dayEndFigure(counter, 'ZZJ01', 'deposit', 'alipay')).toBe(depositB);
        expect(await dayEndFigure(counter, CASHIER.opterNo, 'balance-due', 'cash')).toBe(dueA);
        expect(await dayEndFigure(counter, CASHIER.opterNo, 'refund', 'alipay')).toBe(refundB);
        expect(await dayEndFigure(counter, CASHIER.opterNo, 'net-count')).toBe(1);
        expect(await dayEndFigure(counter, CASHIER.opterNo, 'medfee')).toBe(bA.medfeeSumamtFen);
        expect(await dayEndFigure(counter, 'total', 'net', 'alipay')).toBe(5_000 + depositB - refundB);
        expect(await dayEndFigure(counter, 'total', 'hand-in')).toBe(report.total.cash.handInFen);
        expect(report.total.cash.handInFen).toBe(10_000 + dueA);
        // Written the Chinese way; the kiosk named once (was "ZZJ01 ZZJ01", "生成于 2026-11-20 08:30:24").
        expect(await counter.getByTestId('day-end-range').textContent()).toMatch(/生成于 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d:\d\d$/);
        expect(await visibleText(counter)).not.toContain('ZZJ01 ZZJ01');
        await counter.getByTestId('print-day-end-report').focus();
        await counter.keyboard.press('Enter');
        const result = counter.getByTestId('print-day-end-report-result');
        await result.waitFor({ timeout: 60_000 });
        const file = /PDF 文件：(.+\.pdf)$/.exec((await result.textContent())!)?.[1];
        expect(file && existsSync(file)).toBe(true);
        const paper = pdfTextLines(readFileSync(file!));
        expect(paper.join('\n')).toContain(formatYuan(10_000 + dueA));
        await snap(counter, '17-counter-day-end-printed');
      } finally {
        console.log(`[whole-day] ${log.join(' | ')}`);
        for (const p of pages) if (!p.isClosed()) await p.close();
        api.close();
        await t.close();
      }
    },
    JOURNEY_MS,
  );
});

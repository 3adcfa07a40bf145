import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeFindings } from './support/axe.ts';
import { browserAvailable, launchChromium } from './support/browser.ts';
import { startCounting } from './support/figures.ts';
import { KIOSK_SCREENS, shot, signInByKeyboard, visibleText, withTerminal } from './support/kiosk-page.ts';
import { admitWithCharges, PEOPLE } from './support/scenarios.ts';

const run = browserAvailable();
const JOURNEY_MS = 150_000;

/** "1,234.56 元" on screen → fen. */
const fenOf = (text: string | null) => {
  const m = /(-?)([\d,]+)\.(\d\d)/.exec(text ?? '');
  if (!m) throw new Error(`no amount in "${text}"`);
  return (Number(m[2]!.replace(/,/g, '')) * 100 + Number(m[3])) * (m[1] ? -1 : 1);
};

async function stayRowFigures(page: Page, iptNo: string) {
  await page.getByTestId('stay-search').fill(iptNo);
  await page.keyboard.press('Enter');
  const row = page.locator(`[data-testid="stay-row"][data-ipt-no="${iptNo}"]`);
  await row.waitFor();
  const cells = await row.locator('td.num').allTextContents();
  return { depositFen: fenOf(cells[0]!), chargesFen: fenOf(cells[1]!) };
}

describe.runIf(run)('issue 13 · 6, 8 and 9: check-in refused before any payment step; refunds by channel; one figure everywhere', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  for (const [orientation, screen] of Object.entries(KIOSK_SCREENS)) {
    it(
      `kiosk, touch, ${orientation}: check-in with its deposit in at most 4 taps; a booking not yet due is refused when chosen, before any payment step`,
      () =>
        withTerminal(
          browser,
          'self-service',
          async ({ page, api }) => {
            await page.getByTestId('start-self-service').waitFor();
            const counting = await startCounting(page);
            await api.demo.insertCard({ personKey: PEOPLE.local.key, generation: 3 });
            await page.getByTestId('ss-go-checkin').tap({ timeout: 30_000 });
            await page.getByTestId('ss-booking').first().tap();
            await page.getByTestId('ss-deposit').waitFor();
            await shot(page, `kiosk-18-checkin-confirm-${orientation}`);
            expect(await axeFindings(page)).toEqual([]);
            await page.getByTestId('ss-deposit-confirm').tap();
            // The deposit through the payment gateway (the sandbox's simulated phone pays the QR): no tap here.
            const qr = page.getByTestId('pay-qr');
            await qr.waitFor({ timeout: 30_000 });
            await api.demo.phonePays({ qrCode: (await qr.getAttribute('data-qr'))!, action: 'pay' });
            await page.getByTestId('ss-checked-in').waitFor({ timeout: 30_000 });
            const figures = await counting.stop(`kiosk check-in (${orientation})`);
            expect(figures.taps).toBeLessThanOrEqual(4);
            await page.getByTestId('ss-done').tap();
            await page.getByTestId('ss-take-card').waitFor();
            await api.demo.removeCard({});
            await page.getByTestId('start-self-service').waitFor({ timeout: 15_000 });

            // 李秀英's booking is for tomorrow: refused as soon as it is chosen, no deposit screen.
            await api.demo.insertCard({ personKey: PEOPLE.localResident.key, generation: 3 });
            await page.getByTestId('ss-go-checkin').tap({ timeout: 30_000 });
            expect(await page.getByTestId('ss-booking').first().getAttribute('data-ready')).toBe('false');
            await page.getByTestId('ss-booking').first().tap();
            await page.getByTestId('ss-failed').waitFor();
            expect(await visibleText(page)).toContain('尚未到报到时间');
            expect(await page.getByTestId('ss-deposit').count()).toBe(0);
            await shot(page, `kiosk-19-not-yet-${orientation}`);
          },
          {},
          screen,
        ),
      JOURNEY_MS,
    );
  }

  it(
    'kiosk: settlement in at most 4 taps; the refund names the deposit’s channel, not "按原支付方式退回"',
    () =>
      withTerminal(
        browser,
        'self-service',
        async ({ page, api }) => {
          // Checked in at the kiosk, the deposit paid through the gateway by QR (支付宝).
          const stay = await admitWithCharges(api, PEOPLE.local.certNo, { depositFen: 1_000_000, chargesFen: 300_000, via: 'kiosk-booking' });
          await api.system.resetSession({});
          await page.getByTestId('start-self-service').waitFor();
          const counting = await startCounting(page);
          await api.demo.insertCard({ personKey: PEOPLE.local.key, generation: 3 });
          await page.getByTestId('ss-go-settle').tap({ timeout: 30_000 });
          await page.getByTestId('ss-settle-confirm').waitFor({ timeout: 30_000 });
          // One view of the stay (issue 13 · 8): the kiosk's stay is the desk's, the name masked; its figures are
          // the pre-settlement's the patient confirms.
          const [kioskStay] = (await api.discharge.openStays({ q: stay.iptNo })).filter((s) => s.iptNo === stay.iptNo);
          expect(kioskStay).toEqual(await api.admission.get({ admissionId: stay.admissionId }));
          expect(kioskStay!.person.displayName).toContain('*');
          expect(fenOf(await page.locator('[data-testid="ss-presettle"] tr[data-row="deposit"] td').textContent())).toBe(kioskStay!.depositsFen);
          expect(fenOf(await page.locator('[data-testid="ss-presettle"] tr[data-row="medfee"] td').textContent())).toBe(kioskStay!.chargesFen);
          await page.getByTestId('ss-settle-confirm').tap();
          await page.getByTestId('ss-settled').waitFor({ timeout: 30_000 });
          const figures = await counting.stop('kiosk settlement (landscape)');
          expect(figures.taps).toBeLessThanOrEqual(4);
          const due = await page.getByTestId('ss-settled-due').textContent();
          // The channel is named, and the refund's own state (退款中 / 已退: the terminal's word, not assumed).
          expect(due).toMatch(/(退款中：[\d,]+\.\d\d 元 正在原路退回支付宝账户|已退：[\d,]+\.\d\d 元 已原路退回支付宝账户)/);
          expect(due).not.toContain('按原支付方式退回');
          await shot(page, 'kiosk-20-settled-refund-by-channel');
          expect(await axeFindings(page)).toEqual([]);
        },
        {},
        KIOSK_SCREENS.landscape,
      ),
    JOURNEY_MS,
  );

  it(
    'counter: the stay list, the stay and the pre-settlement show the same deposit and charges, before upload and after a reversal',
    () =>
      withTerminal(browser, 'discharge', async ({ page, api }) => {
        const stay = await admitWithCharges(api, PEOPLE.local.certNo, { depositFen: 500_000, chargesFen: 0 });
        await api.charges.add({ admissionId: stay.admissionId, lines: [{ medListCodg: '0030003439479', cnt: 2 }] }); // not uploaded
        await signInByKeyboard(page, '0002');
        const before = await stayRowFigures(page, stay.iptNo);
        expect(before).toEqual({ depositFen: 500_000, chargesFen: 44_000 });
        await page.locator(`[data-testid="stay-row"][data-ipt-no="${stay.iptNo}"] [data-testid="open-stay"]`).click();
        await page.getByTestId('charges').waitFor();
        expect(fenOf(await page.locator('.categories .chip').first().textContent())).toBe(44_000);
        // Item 9 on the same screen: the ward by name, the full name for signed-in staff, dates the Chinese way.
        const header = (await page.getByTestId('stay').locator('p.muted').first().textContent()) ?? '';
        expect(header).not.toMatch(/W\d\d/);
        expect(header).toContain('病区');
        expect(await page.getByTestId('stay').locator('h2').textContent()).toContain(PEOPLE.local.name);
        expect(header).toMatch(/入院 \d{4}年\d{1,2}月\d{1,2}日/);
        await page.getByTestId('presettle').click();
        await page.getByTestId('presettle-result').waitFor({ timeout: 30_000 });
        expect(fenOf(await page.locator('[data-testid="presettle-result"] tr[data-row="deposit"] td').textContent())).toBe(before.depositFen);
        await page.getByTestId('settle').click();
        await page.getByTestId('settled').waitFor({ timeout: 30_000 });
        const settlements = await api.discharge.list({});
        const reversed = await api.discharge.reverse({ settlementId: settlements[0]!.settlementId, supervisorNo: 'SUP01', supervisorPassword: '123456', reason: '费用录入错误，需重新结算' });
        expect(reversed.outcome).toBe('reversed');
        await page.keyboard.press('Enter'); // 完成: back to the stays
        const after = await stayRowFigures(page, stay.iptNo);
        await page.locator(`[data-testid="stay-row"][data-ipt-no="${stay.iptNo}"] [data-testid="open-stay"]`).click();
        await page.getByTestId('presettle').click();
        await page.getByTestId('presettle-result').or(page.getByTestId('error')).first().waitFor({ timeout: 30_000 });
        await shot(page, 'counter-17-after-reversal');
        if (await page.getByTestId('presettle-result').count()) {
          expect(fenOf(await page.locator('[data-testid="presettle-result"] tr[data-row="deposit"] td').textContent())).toBe(after.depositFen);
        }
        expect(after.chargesFen).toBe(44_000);
      }),
    JOURNEY_MS,
  );
});

/**
 * Issue 13: axe-core on every screen and dialog of the three desks, not only on the screens the journeys of
 * one issue created. Each test walks one desk through all its screens on the demo terminal (sandbox
 * platform, virtual reader), takes a picture of each (test-results/sweep-*.png) and runs axe on it; the
 * findings of the whole walk are gathered and the test fails listing every critical, serious or moderate one
 * (so one run names them all, not only the first). The kiosk is walked in landscape 1920×1080, in portrait
 * 1080×1920 and in 大字模式; the staff desks at 1920×1080.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { KioskApi } from '../../contract/api.ts';
import { axeFindings } from './support/axe.ts';
import { fillAdmissionFormByKeyboard } from './support/desk-form.ts';
import { browserAvailable, launchChromium, screenshotPath } from './support/browser.ts';
import { KIOSK_SCREENS, shot, signInByKeyboard, signInToIdentify, type Screen, withTerminal } from './support/kiosk-page.ts';
import { admitWithCharges, DEMO_PASSWORD, PEOPLE } from './support/scenarios.ts';

const run = browserAvailable();
const SWEEP_MS = 360_000;
const DESK_SCREEN: Screen = { width: 1920, height: 1080 };

/** Words a patient must not see at the kiosk: devices, queues, interface numbers, the cashier's verbs. */
const KIOSK_JARGON = /队列|上传|读卡器|扫码枪|VR-|CCID|KIOSK|HID|\b2[34]0\d\b|收款|outbox|undefined|null|NaN/;
/** A date the browser's way (11/20/2026) or the ISO way (2026-11-20, outside the day fields): screens write 2026年11月20日. */
const US_DATE = /\b\d{1,2}\/\d{1,2}\/\d{4}\b/;
const ISO_DATE = /\b\d{4}-\d{2}-\d{2}\b/;

/**
 * The screens visited and every finding, named by screen: the test fails once, at the end, listing them all.
 * Findings are axe's (critical, serious, moderate) and, on the kiosk, what the screenshots are checked for:
 * dates not written the Chinese way, staff or device words, an action below the fold.
 */
class Sweep {
  readonly visited: string[] = [];
  readonly findings: string[] = [];
  constructor(
    private readonly page: Page,
    private readonly prefix: string,
    /** The kiosk's screen height: its pictures are what the patient sees (the viewport), and its checks apply. */
    private readonly kioskHeight: number | null = null,
  ) {}

  /** The screen as it is now: a picture (test-results/sweep-<prefix>-NN-<name>.png) and its findings. */
  async screen(name: string): Promise<void> {
    this.visited.push(name);
    const file = `sweep-${this.prefix}-${String(this.visited.length).padStart(2, '0')}-${name}`;
    if (this.kioskHeight) await this.page.screenshot({ path: screenshotPath(file), animations: 'disabled' });
    else await shot(this.page, file);
    for (const f of await axeFindings(this.page)) this.findings.push(`${name}: ${f.id} (${f.impact}) ${f.help} — ${f.targets.join(' ')}`);
    const text = await this.page.evaluate(() => {
      const app = document.querySelector<HTMLElement>('.app')!.cloneNode(true) as HTMLElement;
      app.querySelector('.demo-panel')?.remove(); // the demo's own controls, not the product's screen
      document.body.append(app);
      const t = app.innerText;
      app.remove();
      return t;
    });
    if (US_DATE.test(text)) this.findings.push(`${name}: a date the browser's way: ${US_DATE.exec(text)![0]}`);
    if (ISO_DATE.test(text)) this.findings.push(`${name}: a date not written the Chinese way: ${ISO_DATE.exec(text)![0]}`);
    if (!this.kioskHeight) return;
    if (KIOSK_JARGON.test(text)) this.findings.push(`${name}: staff or device words on a patient screen: ${KIOSK_JARGON.exec(text)![0]}`);
    await this.actionsOnScreen(this.kioskHeight, name);
  }

  /** Kiosk screens keep every action above the fold (issue 13). */
  private async actionsOnScreen(height: number, name: string): Promise<void> {
    const below = await this.page.evaluate((h) => {
      const out: string[] = [];
      for (const b of document.querySelectorAll<HTMLElement>('main button, main [role="button"]')) {
        if (!b.checkVisibility() || b.closest('.demo-panel')) continue;
        const r = b.getBoundingClientRect();
        if (r.bottom > h + 0.5) out.push(`${b.textContent?.trim().slice(0, 16)} (bottom ${Math.round(r.bottom)})`);
      }
      return out;
    }, height);
    for (const b of below) this.findings.push(`${name}: button below the fold: ${b}`);
  }
}

/** Fills the admission form by keyboard: first option of each select, I20 from the ICD-10 list, a deposit. */
describe.runIf(run)('issue 13: axe-core on every screen of the three desks (0 critical, serious, moderate)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it(
    'admission desk, 1920×1080: sign-in, identify, queue, eligibility, refused card, self-pay confirmation, switch, form, admitted, top-up, lock',
    () =>
      withTerminal(
        browser,
        'admission',
        async ({ page, api }) => {
          const sweep = new Sweep(page, 'desk');
          await page.getByTestId('sign-in').waitFor();
          await sweep.screen('sign-in');
          await signInToIdentify(page);
          await sweep.screen('identify');
          await page.getByTestId('tab-queue').click();
          await page.getByTestId('queue-panel').waitFor();
          await sweep.screen('queue');
          await page.getByTestId('tab-register').click();
          await page.getByTestId('identify').waitFor();

          // A lost card: the refusal, 自费 behind its confirmation, then the switch to the ID number.
          await api.demo.insertCard({ personKey: PEOPLE.lostCard.key, generation: 3 });
          await page.getByTestId('eligibility-step').waitFor({ timeout: 30_000 });
          await sweep.screen('eligibility-card-refused');
          await page.getByTestId('eligibility-self-pay').focus();
          await page.keyboard.press('Enter');
          await page.getByTestId('self-pay-confirm').waitFor();
          await sweep.screen('self-pay-confirm');
          await page.keyboard.press('Enter');
          await page.getByTestId('self-pay-confirm').waitFor({ state: 'detached' });
          await page.getByTestId('eligibility-continue').focus();
          await page.keyboard.press('Enter');
          await page.getByTestId('switch-credential').waitFor();
          await sweep.screen('switch-credential');
          await page.keyboard.type(PEOPLE.lostCard.certNo, { delay: 60 });
          await page.keyboard.press('Enter');
          await page.getByTestId('eligibility-step').waitFor({ timeout: 30_000 });
          await sweep.screen('eligibility-direct');
          await api.demo.removeCard({});

          await page.keyboard.press('Enter');
          await page.getByTestId('admission-form').waitFor();
          await page.keyboard.press('Enter');
          await page.getByTestId('form-errors').waitFor();
          await sweep.screen('admission-form-errors');
          await page.locator('[name="deptCode"]').focus();
          await fillAdmissionFormByKeyboard(page, { deposit: '3000', receiptNo: 'YJ20260099' });
          await sweep.screen('admission-form-filled');
          await page.keyboard.press('Enter');
          await page.getByTestId('admitted').waitFor({ timeout: 30_000 });
          await page.locator('[data-testid="preview-admission-slip"][data-loaded="true"]').waitFor();
          await sweep.screen('admitted');
          await page.getByTestId('top-up-amount').fill('500');
          await page.getByTestId('top-up-qr').click();
          await page.getByTestId('pay-qr').waitFor({ timeout: 30_000 });
          await sweep.screen('deposit-top-up-qr');
          await api.demo.phonePays({ qrCode: (await page.getByTestId('pay-qr').getAttribute('data-qr'))!, action: 'pay' });
          await page.getByTestId('pay-applied').waitFor({ timeout: 30_000 });
          await sweep.screen('deposit-top-up-paid');

          // Idle: the desk locks (KIOSK_IDLE_TIMEOUT below).
          await page.getByTestId('desk-lock').waitFor({ timeout: 60_000 });
          await sweep.screen('lock');
          await page.keyboard.type(DEMO_PASSWORD);
          await page.keyboard.press('Enter');
          await page.getByTestId('desk-lock').waitFor({ state: 'detached' });

          // Offline: the banner and the desk under it.
          await api.demo.setNetwork({ online: false });
          await page.locator('.offline-banner, [data-testid="offline-banner"]').first().waitFor({ timeout: 30_000 });
          await sweep.screen('offline');
          expect(sweep.findings).toEqual([]);
        },
        { KIOSK_IDLE_TIMEOUT: '30' },
        DESK_SCREEN,
      ),
    SWEEP_MS,
  );

  it(
    'discharge counter, 1920×1080: open stays, charges, HIS import, manual entry, cancel line, upload, pre-settlement, settled, top-up, settlements, reversal, day-end, queue',
    () =>
      withTerminal(
        browser,
        'discharge',
        async ({ page, api }) => {
          const sweep = new Sweep(page, 'counter');
          const stay = await admitWithCharges(api, PEOPLE.local.certNo, { depositFen: 500_000, chargesFen: 0 });
          const owing = await admitWithCharges(api, PEOPLE.smallAccount.certNo, { depositFen: 10_000, chargesFen: 800_000 });
          await signInByKeyboard(page, '0002'); // (the sign-in screen is the desk's: swept above)
          await page.getByTestId('stays').waitFor();
          await sweep.screen('open-stays');
          await page.getByTestId('stay-search').fill(stay.iptNo);
          await page.keyboard.press('Enter');
          await page.locator(`[data-testid="stay-row"][data-ipt-no="${stay.iptNo}"] [data-testid="open-stay"]`).click();
          await page.getByTestId('charges').waitFor();
          await sweep.screen('stay-no-charges');

          const csv = ['feedetl_sn,med_list_codg,cnt', 'H0001,0010001941077,3', 'H0002,0030003439479,0'].join('\n');
          await page.getByTestId('his-file').setInputFiles({ name: 'his.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
          await page.getByTestId('import-preview').waitFor();
          await sweep.screen('his-import-errors');
          const good = ['feedetl_sn,med_list_codg,cnt', 'H0001,0010001941077,3', 'H0002,0030003439479,2'].join('\n');
          await page.getByTestId('his-file').setInputFiles({ name: 'his.csv', mimeType: 'text/csv', buffer: Buffer.from(good, 'utf8') });
          await page.getByTestId('import-preview').waitFor();
          await sweep.screen('his-import-preview');
          await page.getByTestId('his-import-confirm').click();
          await page.getByTestId('his-imported').waitFor();

          await page.getByTestId('catalogue-search').focus();
          await page.keyboard.type('CT平扫');
          await page.getByTestId('catalogue-results').waitFor();
          await sweep.screen('manual-entry-search');
          await page.keyboard.press('Enter');
          await page.keyboard.type('1');
          await page.keyboard.press('Enter');
          await page.getByTestId('entry-added').waitFor();
          await page.getByTestId('cancel-line').last().click();
          await page.getByTestId('cancel-line-dialog').waitFor();
          await sweep.screen('cancel-line-dialog');
          await page.keyboard.press('Enter');
          await page.getByTestId('cancel-line-dialog').waitFor({ state: 'detached' });
          await page.getByTestId('charge-category').first().click();
          await sweep.screen('charges-by-category');
          await page.getByTestId('charge-category').first().click();
          await page.getByTestId('upload-charges').click();
          await expect.poll(() => page.getByTestId('upload-progress').getAttribute('data-sent'), { timeout: 30_000 }).toBe('2');
          await sweep.screen('uploaded');

          await page.getByTestId('top-up-amount').fill('200');
          await page.getByTestId('top-up-code').click();
          await page.getByTestId('payment-panel').waitFor();
          await sweep.screen('top-up-pay-code');
          await page.getByTestId('pay-give-up').or(page.getByTestId('pay-cancel')).first().click();

          await page.getByTestId('presettle').click();
          await page.getByTestId('presettle-result').waitFor({ timeout: 30_000 });
          await sweep.screen('presettlement');
          const pin = page.locator('input[name="pin"]');
          if (await pin.count()) await pin.fill('123456');
          await page.getByTestId('settle').click();
          await page.getByTestId('settled').waitFor({ timeout: 30_000 });
          await page.locator('[data-testid="preview-settlement-sheet"][data-loaded="true"]').waitFor();
          await sweep.screen('settled');
          // The cash refund: 退款中 until the cashier confirms handing it out.
          await page.getByTestId('refund-confirm').first().click();
          await page.locator('[data-testid="refund-confirm"]').first().waitFor({ state: 'detached', timeout: 30_000 });
          await sweep.screen('refund-handed-out');
          await page.getByTestId('settled-done').click();

          // 少补: a stay whose personal share is larger than its deposit, collected in cash with the change.
          await page.getByTestId('stay-search').fill(owing.iptNo);
          await page.keyboard.press('Enter');
          await page.locator(`[data-testid="stay-row"][data-ipt-no="${owing.iptNo}"] [data-testid="open-stay"]`).click();
          await page.getByTestId('presettle').click();
          await page.getByTestId('presettle-result').waitFor({ timeout: 30_000 });
          await sweep.screen('presettlement-due');
          if (await pin.count()) await pin.fill('123456');
          await page.getByTestId('settle').click();
          await page.getByTestId('settled').waitFor({ timeout: 30_000 });
          await page.getByTestId('balance-cash').waitFor();
          await sweep.screen('settled-balance-due');
          await page.getByTestId('balance-cash').click();
          await page.getByTestId('balance-cash-input').fill('10000');
          await page.getByTestId('balance-change').waitFor();
          await sweep.screen('balance-cash');
          await page.getByTestId('balance-cash-input').press('Enter');
          await page.getByTestId('balance-confirm').waitFor();
          await sweep.screen('balance-cash-confirm');
          await page.getByTestId('balance-confirm-submit').click();
          await page.locator('[data-testid="balance-due"][data-outstanding="0"]').waitFor({ timeout: 30_000 });
          await sweep.screen('balance-collected');
          await page.getByTestId('settled-done').click();

          await page.getByTestId('tab-settlements').click();
          await page.getByTestId('settlement-row').first().waitFor();
          await sweep.screen('settlements');
          await page.getByTestId('reverse').first().click();
          await page.getByTestId('reverse-dialog').waitFor();
          await page.getByLabel('主管工号').fill('SUP01');
          await page.getByLabel('主管密码').fill('wrong-password');
          await page.getByLabel('撤销原因').fill('费用录入错误，需重新结算');
          await page.keyboard.press('Enter');
          await page.getByTestId('reverse-dialog').getByTestId('error').waitFor();
          await sweep.screen('reversal-dialog-refused');
          await page.getByLabel('主管密码').fill('123456');
          await page.keyboard.press('Enter');
          await page.getByTestId('reverse-dialog').waitFor({ state: 'detached', timeout: 60_000 });
          await expect.poll(() => page.getByTestId('settlement-row').first().getAttribute('data-status'), { timeout: 30_000 }).toBe('reversed');
          await sweep.screen('settlements-reversed');

          await page.getByTestId('tab-reconciliation').click();
          await page.getByTestId('reconcile-run').click();
          await page.getByTestId('reconcile-verdict').or(page.getByTestId('error')).first().waitFor({ timeout: 60_000 });
          await page.getByTestId('payment-day-end-run').click();
          await page.getByTestId('payment-day-end-verdict').or(page.getByTestId('error')).first().waitFor({ timeout: 60_000 });
          await sweep.screen('day-end');
          await page.getByTestId('tab-queue').click();
          await page.getByTestId('queue-panel').waitFor();
          await sweep.screen('queue');
          expect(sweep.findings).toEqual([]);
        },
        {},
        DESK_SCREEN,
      ),
    SWEEP_MS,
  );

  const kioskVariants: Array<[string, Screen, boolean]> = [
    ['landscape', KIOSK_SCREENS.landscape, false],
    ['portrait', KIOSK_SCREENS.portrait, false],
    ['elderly-portrait', KIOSK_SCREENS.portrait, true],
  ];
  for (const [variant, screen, elderly] of kioskVariants) {
    it(
      `kiosk, ${variant}: start, ID entry, result, check-in, payment, checked in, settlement, settled, farewell, refusals and errors`,
      () =>
        withTerminal(
          browser,
          'self-service',
          async ({ page, api }) => {
            const sweep = new Sweep(page, `kiosk-${variant}`, screen.height);
            const at = (name: string) => sweep.screen(name);
            /** The start screen; in the elderly variant 大字模式 is switched on there (it lasts one session). */
            const start = async () => {
              await page.getByTestId('start-self-service').waitFor({ timeout: 30_000 });
              if (elderly && (await page.getByTestId('ss-elderly-toggle').getAttribute('aria-pressed')) !== 'true') await page.getByTestId('ss-elderly-toggle').tap();
            };
            const farewell = async () => {
              // 大字模式: inside a task the one way out is 返回 (to the screen before); 结束 is on the task's first screen.
              const back = page.getByTestId('ss-back');
              while ((await back.count()) > 0) {
                const was = await back.elementHandle();
                await back.tap();
                await was?.waitForElementState('hidden');
              }
              await page.getByTestId('ss-end').or(page.getByTestId('ss-done')).first().tap();
              await page.getByTestId('ss-take-card').or(page.getByTestId('ss-thanks')).first().waitFor();
            };
            await start();
            await at('start');
            await page.getByTestId('ss-id-entry').tap();
            await page.getByTestId('ss-id-entry-screen').waitFor();
            for (const k of PEOPLE.crossUnfiled.certNo) await page.locator(`.osk [data-key="${k}"]`).tap();
            await at('id-entry');
            await page.getByTestId('ss-id-submit').tap();
            await page.getByTestId('ss-result').waitFor({ timeout: 30_000 });
            await at('result-unfiled-refused');
            await farewell();
            await at('farewell');
            await start();

            // The patient's own check-in: the deposit by 付款码 at the scanner (a refused code first), and,
            // for a second booked patient (蒋立新, 71: the kiosk suggests 大字模式), by QR paid on the phone.
            /** The phone's 付款码 held to the scanner (a keyboard wedge: a fast burst of keys ending in Enter). */
            const scan = async (behaviour: 'pay' | 'insufficient', outcome: ReturnType<Page['getByTestId']>) => {
              await page.keyboard.type((await api.demo.phoneShowsCode({ behaviour })).authCode, { delay: 5 });
              await page.keyboard.press('Enter');
              return outcome.waitFor({ timeout: 15_000 });
            };
            const toDeposit = async (name: string) => {
              await page.getByTestId('ss-result').waitFor({ timeout: 30_000 });
              await at(name);
              await page.getByTestId('ss-go-checkin').tap();
              await page.getByTestId('ss-deposit').or(page.getByTestId('ss-bookings')).first().waitFor();
              if (await page.getByTestId('ss-bookings').isVisible()) {
                await at(`${name}-bookings`);
                await page.getByTestId('ss-booking').first().tap();
              }
              await page.getByTestId('ss-deposit').waitFor();
            };
            await api.demo.insertCard({ personKey: PEOPLE.local.key, generation: 3 });
            await toDeposit('result-direct');
            await at('deposit');
            await page.getByTestId('ss-pay-bar_code').tap();
            await page.getByTestId('ss-deposit-confirm').tap();
            await page.getByTestId('payment-panel').waitFor();
            await at('pay-code');
            await scan('insufficient', page.getByTestId('pay-closed'));
            await at('pay-code-refused');
            await scan('pay', page.getByTestId('ss-checked-in'));
            await at('checked-in');
            await page.getByTestId('ss-done').tap();
            await page.getByTestId('ss-take-card').waitFor();
            await at('take-card');
            await api.demo.removeCard({});
            await start();

            await api.demo.insertCard({ personKey: PEOPLE.crossFiled.key, generation: 3 });
            await toDeposit('result-cross-province-filed');
            if (await page.getByTestId('ss-pay-qr').count()) await page.getByTestId('ss-pay-qr').tap();
            await page.getByTestId('ss-deposit-confirm').tap();
            const qr = page.getByTestId('pay-qr');
            await qr.waitFor({ timeout: 30_000 });
            await at('pay-qr');
            await api.demo.phonePays({ qrCode: (await qr.getAttribute('data-qr'))!, action: 'pay' });
            await page.getByTestId('ss-checked-in').waitFor({ timeout: 30_000 });
            await page.getByTestId('ss-done').tap();
            await page.getByTestId('ss-take-card').waitFor();
            await api.demo.removeCard({});
            await start();

            // Charges for the stay come in (the counter's work), then the patient settles at the kiosk.
            await addCharges(api, '0805', [{ medListCodg: '0010001941077', cnt: 3 }, { medListCodg: '0030003439479', cnt: 2 }]);
            await api.demo.insertCard({ personKey: PEOPLE.local.key, generation: 3 });
            await page.getByTestId('ss-go-settle').tap({ timeout: 30_000 });
            await page.getByTestId('ss-presettle').waitFor({ timeout: 30_000 });
            await at('presettlement');
            await page.getByTestId('ss-settle-confirm').tap();
            await page.getByTestId('ss-settled').waitFor({ timeout: 30_000 });
            await at('settled');
            await farewell();
            await api.demo.removeCard({});
            await start();

            // 少补 at the kiosk: 蒋立新's stay (3,000.00 deposit above) with charges well beyond it, paid by QR.
            await addCharges(api, '0507', [{ medListCodg: '0030003439479', cnt: 150 }]);
            await api.demo.insertCard({ personKey: PEOPLE.crossFiled.key, generation: 3 });
            await page.getByTestId('ss-go-settle').tap({ timeout: 30_000 });
            await page.getByTestId('ss-settle-confirm').tap({ timeout: 30_000 });
            await page.getByTestId('ss-balance').waitFor({ timeout: 60_000 });
            await at('settled-balance-due');
            await page.getByTestId('ss-balance-qr').tap();
            const balanceQr = page.getByTestId('pay-qr');
            await balanceQr.waitFor({ timeout: 30_000 });
            await at('balance-qr');
            await api.demo.phonePays({ qrCode: (await balanceQr.getAttribute('data-qr'))!, action: 'pay' });
            await page.getByTestId('ss-balance-paid').waitFor({ timeout: 30_000 });
            await at('balance-paid');
            await farewell();
            await api.demo.removeCard({});
            await start();

            // Refusals and errors: a lost card (switch first, 自费 behind a confirmation), a booking not yet due.
            await api.demo.insertCard({ personKey: PEOPLE.lostCard.key, generation: 3 });
            await page.getByTestId('ss-result').waitFor({ timeout: 30_000 });
            await at('result-card-refused');
            await page.getByTestId('ss-self-pay-checkin').or(page.getByTestId('ss-self-pay-settle')).first().tap();
            await page.getByTestId('self-pay-confirm').waitFor();
            await at('self-pay-confirm');
            await page.getByTestId('self-pay-cancel').tap();
            // 大字模式: one action on the result (换一种方式), its ways on a screen of their own.
            if (await page.getByTestId('ss-switch').count()) {
              await page.getByTestId('ss-switch').tap();
              await page.getByTestId('ss-switch-screen').waitFor();
              await at('switch-credential');
            }
            await page.getByTestId('ss-switch-qr').tap();
            await page.getByTestId('ss-scan-voucher').waitFor();
            await at('scan-voucher');
            await farewell();
            await api.demo.removeCard({});
            await start();
            await api.demo.insertCard({ personKey: PEOPLE.localResident.key, generation: 3 });
            await page.getByTestId('ss-go-checkin').tap({ timeout: 30_000 });
            await page.getByTestId('ss-booking').first().tap();
            await page.getByTestId('ss-failed').waitFor();
            await at('booking-not-yet');
            await farewell();
            await api.demo.removeCard({});
            await start();

            // The platform unreachable: the banner on the start screen.
            await api.demo.setNetwork({ online: false });
            await page.locator('.offline-banner, [data-testid="offline-banner"]').first().waitFor({ timeout: 30_000 });
            await at('offline');
            expect(sweep.findings).toEqual([]);
          },
          {},
          screen,
        ),
      SWEEP_MS,
    );
  }
});

/** Fee lines for a stay checked in at the kiosk (found by its booked bed), uploaded: the counter's work before the patient settles. */
async function addCharges(api: KioskApi, bed: string, lines: Array<{ medListCodg: string; cnt: number }>) {
  // Beds of the demo bookings (services/admission/data/demo-bookings.json): 王建国 0805, 蒋立新 0507.
  const [stay] = await api.discharge.openStays({ q: bed });
  if (!stay) throw new Error(`no open stay in bed ${bed} after the kiosk check-in`);
  await api.charges.add({ admissionId: stay.admissionId, lines });
  await api.charges.upload({ admissionId: stay.admissionId });
}

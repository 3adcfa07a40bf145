import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeFindings } from './support/axe.ts';
import { browserAvailable, launchChromium, screenshotPath } from './support/browser.ts';
import { startCounting } from './support/figures.ts';
import { KIOSK_SCREENS, shot, withTerminal, type Screen } from './support/kiosk-page.ts';
import { admitWithCharges, PEOPLE } from './support/scenarios.ts';
import { kioskToPinKeypad } from './support/card-pin.ts';
import { brokenWords } from './support/line-breaks.ts';
import { sandboxAdmin } from '../../insurance/sandbox/testing.ts';
import { yuan } from '../../services/documents/html.ts';

const run = browserAvailable();
const JOURNEY_MS = 150_000;

/** The smallest computed font size of any visible text in the screen's <main>, with the text it belongs to. */
const smallestText = (page: Page) =>
  page.evaluate(() => {
    let min = { px: Infinity, text: '' };
    const walker = document.createTreeWalker(document.querySelector('main')!, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement!;
      if (!n.textContent!.trim() || !el.checkVisibility()) continue;
      const px = parseFloat(getComputedStyle(el).fontSize);
      if (px < min.px) min = { px, text: n.textContent!.trim().slice(0, 20) };
    }
    return min;
  });

describe.runIf(run)('issue 13 · 10: 适老化', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  for (const [orientation, screen] of Object.entries(KIOSK_SCREENS)) {
    it(
      `kiosk, ${orientation}: offered on the start screen; suggested for a patient of 60 or more; every text at least 32 px`,
      () =>
        withTerminal(
          browser,
          'self-service',
          async ({ page, api }) => {
            await page.getByTestId('ss-elderly-toggle').waitFor();
            await page.getByTestId('ss-elderly-toggle').tap();
            const start = await smallestText(page);
            expect(start.px, `smallest text: ${start.text}`).toBeGreaterThanOrEqual(32);
            await shot(page, `kiosk-23-elderly-start-${orientation}`);
            await page.getByTestId('ss-elderly-toggle').tap(); // back to standard: the suggestion comes from the card
            // 李秀英, born 1962: the kiosk suggests the elderly mode once it knows her age.
            await api.demo.insertCard({ personKey: PEOPLE.localResident.key, generation: 3 });
            await page.getByTestId('ss-elderly-suggest').waitFor({ timeout: 30_000 });
            await page.getByTestId('ss-elderly-on').tap();
            await page.getByTestId('ss-elderly-suggest').waitFor({ state: 'detached' });
            const min = await smallestText(page);
            expect(min.px, `smallest text: ${min.text}`).toBeGreaterThanOrEqual(32);
            // The hospital's phone number on one line (landscape broke it as "0510-" / "12345678").
            if ((await page.getByTestId('eligibility-guidance').count()) > 0) expect(await brokenWords(page, 'eligibility-guidance')).toEqual([]);
            await shot(page, `kiosk-24-elderly-result-${orientation}`);
            expect(await axeFindings(page)).toEqual([]);
          },
          {},
          screen,
        ),
      JOURNEY_MS,
    );
  }

  /**
   * 适老化, one task per screen: at most one primary action (choices in a list are the one task's options), a way
   * back (返回, or 结束/完成 where the screen is the first or the last of the task), every button on screen
   * without scrolling, every text at least 32 px. Returns the screen's buttons for the journey's own checks.
   */
  async function expectOneTask(page: Page, screen: Screen, name: string, { back = true } = {}) {
    const buttons = await page.evaluate(() =>
      [...document.querySelectorAll('main button')]
        .filter((b) => (b as HTMLElement).checkVisibility())
        .map((b) => {
          const r = b.getBoundingClientRect();
          // What a finger touches at the button's centre and just inside its top and bottom edges: the button,
          // not the sticky actions bar (or anything else) over part of it.
          const x = r.left + r.width / 2;
          const uncovered = [r.top + 3, r.top + r.height / 2, r.bottom - 3].every((y) => {
            const hit = document.elementFromPoint(x, y);
            return hit !== null && b.contains(hit);
          });
          return { text: b.textContent!.trim(), cls: b.className, bottom: r.bottom, uncovered, testId: b.getAttribute('data-testid') };
        }),
    );
    const primaries = buttons.filter((b) => b.cls.split(' ').includes('primary'));
    expect(primaries.map((b) => b.text), `${name}: at most one primary action`).toHaveLength(Math.min(1, primaries.length));
    if (back) expect(buttons.some((b) => /^(返回|结束|完成|取消)/.test(b.text)), `${name}: a way back in ${buttons.map((b) => b.text).join(' / ')}`).toBe(true);
    for (const b of buttons) {
      expect(b.bottom, `${name}: "${b.text}" above the fold`).toBeLessThanOrEqual(screen.height);
      expect(b.uncovered, `${name}: "${b.text}" not hidden under another element`).toBe(true);
    }
    const min = await smallestText(page);
    expect(min.px, `${name}: smallest text ${min.text}`).toBeGreaterThanOrEqual(32);
    await expectNoScrolling(page, name);
    return buttons;
  }

  /**
   * The whole screen fits the viewport: the page does not scroll, and neither does any element in it (a box
   * with its own scroll bar hides text as well as a long page does). scrollHeight vs clientHeight, as the
   * browser lays it out at this size, for the document and every element whose content is taller than it.
   */
  async function expectNoScrolling(page: Page, name: string) {
    const overflow = await page.evaluate(() => {
      const doc = document.scrollingElement!;
      const out: string[] = [];
      if (doc.scrollHeight > doc.clientHeight) out.push(`page ${doc.scrollHeight} > ${doc.clientHeight}`);
      // A fixed panel (the folded explanations' screen) does not make the page scroll: it must end inside the window.
      for (const el of document.querySelectorAll<HTMLElement>('main *')) {
        if (getComputedStyle(el).position === 'fixed' && el.checkVisibility() && (el.getBoundingClientRect().bottom > innerHeight + 1 || el.scrollHeight > el.clientHeight + 1)) {
          out.push(`fixed ${el.className} ends at ${Math.round(el.getBoundingClientRect().bottom)} > ${innerHeight}`);
        }
      }
      for (const el of document.querySelectorAll<HTMLElement>('main, main *')) {
        const style = getComputedStyle(el);
        if (!/(auto|scroll)/.test(style.overflowY) || !el.checkVisibility()) continue;
        if (el.scrollHeight > el.clientHeight + 1) out.push(`${el.tagName.toLowerCase()}.${el.className} ${el.scrollHeight} > ${el.clientHeight}`);
      }
      return out;
    });
    expect(overflow, `${name}: scrolls`).toEqual([]);
  }

  /** What the patient sees without scrolling (the point of these screens), not the full page. */
  const viewShot = (page: Page, name: string) => page.screenshot({ path: screenshotPath(name), animations: 'disabled' });

  for (const [orientation, screen] of Object.entries(KIOSK_SCREENS)) {
    it(
      `kiosk, ${orientation}, touch only: elderly check-in, then a refused card, one task per screen`,
      () =>
        withTerminal(
          browser,
          'self-service',
          async ({ page, api }) => {
            await page.getByTestId('ss-elderly-toggle').tap();
            await expectOneTask(page, screen, 'start', { back: false });
            await api.demo.insertCard({ personKey: PEOPLE.local.key, generation: 3 });
            await page.getByTestId('ss-go-checkin').waitFor({ timeout: 30_000 });
            // The result offers the one thing this patient can do: a booked admission, no stay to settle.
            const result = await expectOneTask(page, screen, 'result');
            expect(result.map((b) => b.testId)).not.toContain('ss-go-settle');
            await viewShot(page, `kiosk-25-elderly-one-task-result-${orientation}`);
            expect(await axeFindings(page)).toEqual([]);
            await page.getByTestId('ss-go-checkin').tap();
            await page.getByTestId('ss-booking').first().waitFor();
            await expectOneTask(page, screen, 'bookings');
            await page.getByTestId('ss-booking').first().tap();
            await page.getByTestId('ss-deposit').waitFor();
            await expectOneTask(page, screen, 'deposit');
            await viewShot(page, `kiosk-26-elderly-deposit-${orientation}`);
            await page.getByTestId('ss-back').tap(); // 返回 goes to the bookings, not out of the journey
            await page.getByTestId('ss-booking').first().tap();
            await page.getByTestId('ss-deposit-confirm').tap();
            const qr = page.getByTestId('pay-qr');
            await qr.waitFor({ timeout: 30_000 });
            await expectOneTask(page, screen, 'pay');
            await viewShot(page, `kiosk-27-elderly-pay-${orientation}`);
            await api.demo.phonePays({ qrCode: (await qr.getAttribute('data-qr'))!, action: 'pay' });
            await page.getByTestId('ss-checked-in').waitFor({ timeout: 30_000 });
            const done = await expectOneTask(page, screen, 'checked-in');
            expect(done.filter((b) => b.testId?.startsWith('print-'))).toHaveLength(1); // slip and receipt in one print
            await viewShot(page, `kiosk-28-elderly-checked-in-${orientation}`);
            await page.getByTestId('ss-done').tap();
            await page.getByTestId('ss-take-card').waitFor();
            await api.demo.removeCard({});
            await page.getByTestId('start-self-service').waitFor({ timeout: 15_000 });

            // A lost card, in elderly mode: one action (check again another way), its ways on the next screen.
            await page.getByTestId('ss-elderly-toggle').tap();
            await api.demo.insertCard({ personKey: PEOPLE.lostCard.key, generation: 3 });
            await page.getByTestId('ss-switch').waitFor({ timeout: 30_000 });
            await expectOneTask(page, screen, 'card refused');
            await viewShot(page, `kiosk-29-elderly-card-refused-${orientation}`);
            expect(await axeFindings(page)).toEqual([]);
            await page.getByTestId('ss-switch').tap();
            await page.getByTestId('ss-switch-screen').waitFor();
            await expectOneTask(page, screen, 'switch credential');
            await viewShot(page, `kiosk-30-elderly-switch-${orientation}`);
            expect(await axeFindings(page)).toEqual([]);
            // Each way, and 返回 back to the ways (not to the start: the patient stays in the task).
            await page.getByTestId('ss-switch-id').tap();
            await page.getByTestId('ss-id-entry-screen').waitFor();
            await expectOneTask(page, screen, 'ID number entry');
            await viewShot(page, `kiosk-30b-elderly-id-entry-${orientation}`);
            await page.getByRole('button', { name: '返回' }).tap();
            await page.getByTestId('ss-switch-qr').tap();
            await page.getByTestId('ss-scan-voucher').waitFor();
            await expectOneTask(page, screen, 'scan the e-voucher');
            await page.getByTestId('ss-back').tap();
            await page.getByTestId('ss-switch-screen').waitFor();
            await api.demo.placeIdCard({ cardId: `person/${PEOPLE.lostCard.key}` });
            await page.getByTestId('ss-switch-idcard').tap();
            await page.getByTestId('eligibility-verdict').filter({ hasText: '可以使用医保直接结算' }).waitFor({ timeout: 30_000 });
            await page.getByTestId('ss-go-checkin').or(page.getByTestId('ss-go-settle')).first().waitFor();
            await expectOneTask(page, screen, 'result after the ID card');
          },
          {},
          screen,
        ),
      JOURNEY_MS,
    );

    it(
      `kiosk, ${orientation}, touch only: the 医保密码 keypad in large type, a wrong PIN's words above it, all on screen`,
      () =>
        withTerminal(
          browser,
          'self-service',
          async ({ page, api, terminal }) => {
            await kioskToPinKeypad(page, api, terminal, { elderly: true });
            await expectOneTask(page, screen, 'PIN keypad');
            for (const k of '246802') await page.getByTestId('ss-pin').getByRole('button', { name: k, exact: true }).tap();
            await page.getByTestId('ss-pin-submit').tap();
            await page.getByTestId('ss-pin-problem').waitFor({ timeout: 30_000 });
            await expectOneTask(page, screen, 'PIN keypad after a wrong PIN');
            await viewShot(page, `kiosk-39-elderly-pin-wrong-${orientation}`);
          },
          {},
          screen,
        ),
      JOURNEY_MS,
    );

    it(
      `kiosk, ${orientation}, touch only: the longest explanation (an unfiled patient from 合肥) fits; what does not is one tap away and fits too`,
      () =>
        withTerminal(
          browser,
          'self-service',
          async ({ page, api }) => {
            await page.getByTestId('ss-elderly-toggle').tap();
            await api.demo.insertCard({ personKey: PEOPLE.crossUnfiled.key, generation: 3 });
            await page.getByTestId('eligibility-verdict').waitFor({ timeout: 30_000 });
            await page.getByTestId('ss-result').locator('.actions button').first().waitFor();
            await expectOneTask(page, screen, 'unfiled result');
            // The verdict and what to do first stay on the screen; what folded away is behind one button.
            expect(await page.getByTestId('eligibility-verdict').textContent()).toBe('本次暂不能使用医保直接结算');
            const fold = page.getByTestId('ss-fold-open');
            if ((await fold.count()) > 0) {
              await viewShot(page, `kiosk-34-elderly-folded-result-${orientation}`);
              await fold.tap();
              await page.getByTestId('ss-fold-details').waitFor();
              await expectNoScrolling(page, 'the folded explanations');
              // Longer than the window: paged by its buttons, every page reached by touch.
              const pages = Number(await page.getByTestId('ss-fold-details').getAttribute('data-pages'));
              for (let p = 1; p < pages; p++) {
                await page.getByTestId('ss-fold-next').tap();
                await expectNoScrolling(page, `the folded explanations, page ${p + 1}`);
              }
              const min = await smallestText(page);
              expect(min.px, `details: smallest text ${min.text}`).toBeGreaterThanOrEqual(32);
              await viewShot(page, `kiosk-35-elderly-fold-details-${orientation}`);
              expect(await axeFindings(page)).toEqual([]);
              await page.getByTestId('ss-fold-back').tap();
              await page.getByTestId('ss-fold-details').waitFor({ state: 'detached' });
            } else {
              await viewShot(page, `kiosk-34-elderly-folded-result-${orientation}`);
            }
          },
          {},
          screen,
        ),
      JOURNEY_MS,
    );

    it(
      `kiosk, ${orientation}, touch only: elderly settlement, one task per screen`,
      () =>
        withTerminal(
          browser,
          'self-service',
          async ({ page, api }) => {
            await admitWithCharges(api, PEOPLE.local.certNo, { depositFen: 1_000_000, chargesFen: 300_000, via: 'kiosk-booking' });
            await api.system.resetSession({});
            await page.getByTestId('ss-elderly-toggle').waitFor();
            const counting = await startCounting(page);
            await page.getByTestId('ss-elderly-toggle').tap();
            await api.demo.insertCard({ personKey: PEOPLE.local.key, generation: 3 });
            await page.getByTestId('ss-go-settle').waitFor({ timeout: 30_000 });
            const result = await expectOneTask(page, screen, 'result');
            expect(result.map((b) => b.testId)).not.toContain('ss-go-checkin');
            await page.getByTestId('ss-go-settle').tap();
            await page.getByTestId('ss-settle-confirm').waitFor({ timeout: 30_000 });
            await expectOneTask(page, screen, 'pre-settlement');
            // Every amount with its 元 on one line (landscape broke "10,000.00" / "元" at the line's end).
            expect(await brokenWords(page, 'ss-presettle-summary')).toEqual([]);
            await viewShot(page, `kiosk-31-elderly-presettle-${orientation}`);
            await page.getByTestId('ss-settle-confirm').tap();
            await page.getByTestId('ss-settled').waitFor({ timeout: 30_000 });
            // 大字模式 on, 出院结算, 确认结算: the elderly settlement takes one tap more than the standard one (the switch).
            expect((await counting.stop(`kiosk elderly settlement (${orientation})`)).taps).toBeLessThanOrEqual(4);
            await expectOneTask(page, screen, 'settled');
            await viewShot(page, `kiosk-32-elderly-settled-${orientation}`);
            expect(await axeFindings(page)).toEqual([]);
          },
          {},
          screen,
        ),
      JOURNEY_MS,
    );
  }

  /** The breakdown table's rows (总费用 … 应退/应补) as fen, read back from the screen. */
  const breakdownFen = (page: Page, scope: string) =>
    page.evaluate((sel) => {
      const out: Record<string, number> = {};
      for (const tr of document.querySelectorAll<HTMLTableRowElement>(`${sel} [data-testid="breakdown"] tr[data-row]`)) {
        const m = /(-?)(\d+)\.(\d\d)/.exec(tr.querySelector('td')!.textContent!.replace(/,/g, ''));
        if (m) out[tr.dataset.row!] = (Number(m[2]) * 100 + Number(m[3])) * (m[1] ? -1 : 1);
      }
      return out;
    }, scope);

  /** What the patient must never read while the outcome is unknown: failed, not done, done, or the desk's words. */
  async function expectBeingChecked(page: Page, name: string) {
    const text = await page.locator('main').innerText();
    for (const word of ['暂时不能办理', '失败', '未结算', '没有结算', '结算完成', '已结算', '冲正', '2304', '2601', '继续结算']) {
      expect(text, `${name}: says "${word}"`).not.toContain(word);
    }
    expect(text).toContain('正在核实结算结果');
    expect(text).toContain('请不要重复缴费');
    expect(text).toContain('请到住院收费处询问结算结果'); // the demo hospital's cashierWindow
    expect(await page.getByTestId('ss-settled').count()).toBe(0);
    expect(await page.getByTestId('ss-settle-confirm').count()).toBe(0);
  }

  it(
    'kiosk, portrait, touch only: 确认结算 whose 2304 answer is lost while the 2601 fails — being checked, again on a later visit, then the settlement as it stands, once',
    () =>
      withTerminal(
        browser,
        'self-service',
        async ({ page, api, terminal }) => {
          const screen = KIOSK_SCREENS.portrait;
          const demo = terminal.parts.demo;
          if (!demo) throw new Error('this journey needs the demo world (its sandbox platform)');
          const platform = sandboxAdmin(new URL(demo.sandboxUrl).origin);
          // A stay ready to settle (checked in at a kiosk); the patient chooses 大字模式 on each visit.
          const stay = await admitWithCharges(api, PEOPLE.local.certNo, { depositFen: 1_000_000, chargesFen: 300_000, via: 'kiosk-booking' });
          await api.system.resetSession({});
          const visit = async () => {
            await page.getByTestId('ss-elderly-toggle').waitFor({ timeout: 15_000 });
            await page.getByTestId('ss-elderly-toggle').tap();
            await api.demo.insertCard({ personKey: PEOPLE.local.key, generation: 3 });
            await page.getByTestId('ss-go-settle').waitFor({ timeout: 30_000 });
            await page.getByTestId('ss-go-settle').tap();
          };
          const leave = async () => {
            await page.getByTestId('ss-end').or(page.getByTestId('ss-done')).first().tap();
            await page.getByTestId('ss-take-card').waitFor();
            await api.demo.removeCard({});
            await page.getByTestId('start-self-service').waitFor({ timeout: 15_000 });
          };

          await visit();
          await page.getByTestId('ss-settle-confirm').waitFor({ timeout: 30_000 });
          const pre = await breakdownFen(page, '[data-testid="ss-presettle"]');
          expect(pre.medfee).toBeGreaterThan(0);
          // The platform commits the 2304 and its answer is lost; every 2601 fails until the faults are cleared.
          await platform.addFault({ infno: '2304', kind: 'drop-after-commit', count: 1 });
          await platform.addFault({ infno: '2601', kind: 'http5xx', count: 1_000 });
          await page.getByTestId('ss-settle-confirm').tap();
          await page.getByTestId('ss-settle-checking').waitFor({ timeout: 60_000 });
          await expectBeingChecked(page, 'after 确认结算');
          await expectOneTask(page, screen, 'settlement being checked');
          await viewShot(page, 'kiosk-55-elderly-settle-checking-portrait');
          expect(await axeFindings(page)).toEqual([]);
          // 查询结算结果 while the 2601 still fails: still being checked, said so; nothing new sent.
          await page.getByTestId('ss-settle-check').tap();
          await page.getByTestId('ss-settle-still-checking').waitFor({ timeout: 30_000 });
          await expectBeingChecked(page, 'asked again');
          await expectOneTask(page, screen, 'asked again');
          await viewShot(page, 'kiosk-56-elderly-settle-still-checking-portrait');

          // The patient leaves, and comes back with the card while the platform is still down: the same, no second settlement offered.
          await leave();
          await visit();
          await page.getByTestId('ss-settle-checking').waitFor({ timeout: 30_000 });
          await expectBeingChecked(page, 'a later visit');
          await expectOneTask(page, screen, 'a later visit');
          await viewShot(page, 'kiosk-57-elderly-settle-checking-later-visit-portrait');
          // On the platform: the one committed 2304, not reversed (its 2601 cannot get through), nothing more.
          expect(await platform.journal({ infno: '2304' })).toHaveLength(1);
          await leave();

          // The platform recovers while the patient is away; the relay reverses the lost attempt and settles once.
          await platform.clearFaults();
          await expect
            .poll(
              async () => {
                const attempts = await platform.journal({ infno: '2304' });
                return { attempts: attempts.length, standing: attempts.filter((e) => e.reversed_by === null).length };
              },
              { timeout: 120_000, interval: 2_000 },
            )
            .toEqual({ attempts: 2, standing: 1 });
          await expect.poll(async () => (await api.discharge.settle({ admissionId: stay.admissionId, resumeOnly: true })).outcome, { timeout: 30_000, interval: 1_000 }).toBe('settled');

          // Back at the kiosk: the settlement as it stands, the figures confirmed, the 结算单 to print.
          await visit();
          await page.getByTestId('ss-settled').waitFor({ timeout: 30_000 });
          await expectOneTask(page, screen, 'settled on a later visit');
          const settled = await breakdownFen(page, '[data-testid="ss-settled"]');
          for (const row of ['medfee', 'hifp', 'hifmi', 'maf', 'acct', 'cash', 'deposit', 'due'] as const) expect(settled[row], row).toBe(pre[row]);
          expect(await page.getByTestId('ss-settled-due').getAttribute('data-due-kind')).toBe('refund');
          // One refund of the deposit's excess, not one per attempt (the lost attempt wrote nothing back).
          await expect.poll(() => page.getByTestId('ss-settled-due').getAttribute('data-refund-states'), { timeout: 15_000 }).toMatch(/^[a-z-]+$/);
          await page.getByTestId('print-settlement-sheet').tap();
          await page.getByTestId('print-settlement-sheet-result').waitFor({ timeout: 30_000 });
          await viewShot(page, 'kiosk-58-elderly-settled-later-visit-portrait');
          // Exactly one standing 2304 for the stay: the lost attempt reversed by its 2601, the new one standing.
          const attempts = await platform.journal({ infno: '2304' });
          expect(attempts).toHaveLength(2);
          const standing = attempts.filter((e) => e.reversed_by === null);
          expect(standing).toHaveLength(1);
          // The paper agrees: the 结算单 names the standing settlement and the same figures, to the fen.
          const sheet = await api.documents.render({ kind: 'settlement-sheet', admissionId: stay.admissionId });
          expect(sheet.html).toContain(standing[0]!.setl_id!);
          const sheetRow = (label: string) => new RegExp(`<td>${label}</td><td class="num">([-\\d,.]+)</td>`).exec(sheet.html)?.[1];
          const onPaper: Record<string, string> = { medfee: '医疗费用总额', hifp: '基本医疗保险统筹基金支付', maf: '医疗救助基金支付', acct: '个人账户支付', cash: '个人现金支付', deposit: '已交预交金', due: '应退还（预交金 − 个人现金支付）' };
          for (const [row, label] of Object.entries(onPaper)) expect(sheetRow(label.replace(/[()（）−+]/g, '.')), label).toBe(yuan(settled[row]!));
        },
        {},
        KIOSK_SCREENS.portrait,
      ),
    JOURNEY_MS,
  );
});

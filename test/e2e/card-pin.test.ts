import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { VIRTUAL_CARD_PIN } from '../../drivers/virtual/virtual-card.ts';
import { axeFindings } from './support/axe.ts';
import { browserAvailable, launchChromium } from './support/browser.ts';
import { KIOSK_SCREENS, shot, signInByKeyboard, visibleText, withTerminal } from './support/kiosk-page.ts';
import { admitWithCharges, PEOPLE } from './support/scenarios.ts';
import { kioskToPinKeypad, platformAsksPin } from './support/card-pin.ts';

const run = browserAvailable();
const JOURNEY_MS = 150_000;
const WRONG = '246802';

/** Taps the keys of the on-screen keypad, as a finger does. */
async function tapKeys(page: Page, keys: string[]): Promise<void> {
  const pad = page.getByTestId('ss-pin');
  for (const k of keys) await pad.getByRole('button', { name: k, exact: true }).tap();
}

/**
 * 医保密码 at the kiosk, by touch, portrait 1080×1920 (issue 13: never walked). The platform asks at settlement;
 * the card in the reader checks the PIN (VERIFY on the virtual card, its PIN 123456, three tries).
 */
describe.runIf(run)('the card PIN keypad as the patient uses it', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it(
    'kiosk, portrait, touch only: masked digits, 删除, 清空, a wrong PIN said in Chinese with the tries left, the right one settles; nothing of the PIN on the page',
    () =>
      withTerminal(
        browser,
        'self-service',
        async ({ page, api, terminal }) => {
          const stay = await kioskToPinKeypad(page, api, terminal);
          const display = page.getByTestId('ss-pin').locator('output');
          await tapKeys(page, ['1', '3', '5']);
          expect(await display.textContent()).toBe('●●●');
          await tapKeys(page, ['删除']);
          expect(await display.textContent()).toBe('●●');
          await tapKeys(page, ['清空']);
          expect((await display.textContent())?.trim()).toBe('');
          expect(await page.getByTestId('ss-pin-submit').isDisabled()).toBe(true);
          await tapKeys(page, [...WRONG]);
          expect(await display.textContent()).toBe('●●●●●●');
          await shot(page, 'kiosk-36-pin-masked-portrait');
          expect(await axeFindings(page)).toEqual([]);
          await page.getByTestId('ss-pin-submit').tap();
          // The card said no: back on an empty keypad with its words and the tries it has left.
          const problem = page.getByTestId('ss-pin-problem');
          await problem.waitFor({ timeout: 30_000 });
          expect(await problem.textContent()).toContain('社会保障卡密码错误，还可尝试2次。');
          expect((await display.textContent())?.trim()).toBe('');
          expect(await page.content()).not.toContain(WRONG);
          await shot(page, 'kiosk-37-pin-wrong-portrait');
          expect(await axeFindings(page)).toEqual([]);
          await tapKeys(page, [...VIRTUAL_CARD_PIN]);
          await page.getByTestId('ss-pin-submit').tap();
          await page.getByTestId('ss-settled').waitFor({ timeout: 30_000 });
          expect(await visibleText(page)).toContain('结算完成');
          expect(await page.content()).not.toContain(VIRTUAL_CARD_PIN);
          await shot(page, 'kiosk-38-pin-settled-portrait');
          // Nowhere in the terminal's store either: not in the outbox's 2304, not in the audit rows.
          const store = terminal.parts.store;
          const dump = JSON.stringify([store.outbox.listByVisit(stay.iptNo), store.audit.list({})]);
          expect(dump).not.toContain(WRONG);
          expect(dump).not.toContain(VIRTUAL_CARD_PIN);
        },
        {},
        KIOSK_SCREENS.portrait,
      ),
    JOURNEY_MS,
  );

  it(
    'counter, keyboard only: the patient types the PIN in the masked field; too short, then wrong (the tries left), then right; the field empty after each Enter',
    () =>
      withTerminal(browser, 'discharge', async ({ page, api, terminal }) => {
        const stay = await admitWithCharges(api, PEOPLE.localResident.certNo, { depositFen: 500_000, chargesFen: 200_000 });
        await platformAsksPin(terminal, stay.person.psnNo);
        await signInByKeyboard(page, '0002');
        // The card checks the PIN. The card left in the counter's reader is someone else's at first.
        await api.demo.insertCard({ personKey: PEOPLE.local.key, generation: 3 });
        await page.getByTestId('stay-search').focus();
        await page.keyboard.type(stay.iptNo, { delay: 40 });
        await page.keyboard.press('Enter');
        const open = page.locator(`[data-testid="stay-row"][data-ipt-no="${stay.iptNo}"] [data-testid="open-stay"]`);
        await open.focus();
        await page.keyboard.press('Enter');
        // Enter on 预结算 before the stay's charges are drawn (the button still disabled) does nothing: wait for them.
        await page.getByTestId('charges').waitFor();
        await expect.poll(() => page.getByTestId('presettle').isEnabled(), { timeout: 30_000 }).toBe(true);
        await page.getByTestId('presettle').focus();
        await page.keyboard.press('Enter');
        await page.getByTestId('presettle-result').waitFor({ timeout: 30_000 });
        // The PIN field has the focus; the cashier turns the keyboard to the patient.
        const field = page.getByTestId('counter-pin');
        await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('pin');
        expect(await field.getAttribute('type')).toBe('password');
        await page.keyboard.type('1234', { delay: 60 });
        await page.keyboard.press('Enter');
        await page.getByText('请患者在密码框输入6位社保卡密码。').waitFor();
        await page.keyboard.press('Control+A');
        // Another person's card and its (right) PIN must not settle this stay: refused before the card is asked.
        await page.keyboard.type(VIRTUAL_CARD_PIN, { delay: 60 });
        await page.keyboard.press('Enter');
        await page.getByText('读卡器中不是本次结算患者本人的社会保障卡。').waitFor({ timeout: 30_000 });
        await api.demo.removeCard({});
        await api.demo.insertCard({ personKey: PEOPLE.localResident.key, generation: 3 });
        await expect.poll(async () => (await api.reader.currentCard({}))?.displayName ?? null, { timeout: 20_000 }).toBe('李秀英');
        await field.focus();
        await page.keyboard.type(WRONG, { delay: 60 });
        await page.keyboard.press('Enter');
        await page.getByText('社会保障卡密码错误，还可尝试2次。').waitFor({ timeout: 30_000 });
        expect(await field.inputValue()).toBe('');
        await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('pin');
        expect(await page.content()).not.toContain(WRONG);
        await shot(page, 'counter-19-pin-wrong');
        expect(await axeFindings(page)).toEqual([]);
        await page.keyboard.type(VIRTUAL_CARD_PIN, { delay: 60 });
        await page.keyboard.press('Enter');
        await page.getByTestId('settled').waitFor({ timeout: 30_000 });
        expect(await page.content()).not.toContain(VIRTUAL_CARD_PIN);
      }),
    JOURNEY_MS,
  );
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeFindings } from './support/axe.ts';
import { browserAvailable, launchChromium } from './support/browser.ts';
import { insertCardForResult, KIOSK_SCREENS, shot, signInToIdentify, visibleText, withTerminal } from './support/kiosk-page.ts';
import { DEMO_PASSWORD, PEOPLE } from './support/scenarios.ts';

const run = browserAvailable();
const JOURNEY_MS = 150_000;

/** What the kiosk said, as `kiosk:voice` events, and which recorded prompts it fetched. */
async function listenToVoice(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __voices: string[] };
    w.__voices = [];
    window.addEventListener('kiosk:voice', (e) => w.__voices.push((e as CustomEvent<{ text: string }>).detail.text));
  });
  return {
    said: () => page.evaluate(() => (window as unknown as { __voices: string[] }).__voices),
    fetched: () => page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name.split('/').pop() ?? '')),
  };
}

describe.runIf(run)('issue 13 · 5: session edges', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it(
    'kiosk: a card inserted on the farewell screen starts the next session at once',
    () =>
      withTerminal(
        browser,
        'self-service',
        async ({ page, api }) => {
          await page.getByTestId('start-self-service').waitFor();
          await insertCardForResult(page, api, PEOPLE.local.key);
          await page.getByTestId('ss-end').tap();
          await page.getByTestId('ss-take-card').waitFor();
          await api.demo.removeCard({});
          await page.getByTestId('ss-thanks').waitFor();
          await api.demo.insertCard({ personKey: PEOPLE.localResident.key, generation: 3 });
          await page.getByTestId('ss-result').waitFor({ timeout: 30_000 });
          const text = await visibleText(page);
          expect(text).toContain('李*英');
          expect(text).not.toContain('王*国');
        },
        {},
        KIOSK_SCREENS.portrait,
      ),
    JOURNEY_MS,
  );

  it(
    'kiosk: idle with the card inside asks for it with a chime and the spoken 请取走您的卡片 (recorded prompt without a Chinese synthesis voice)',
    () =>
      withTerminal(
        browser,
        'self-service',
        async ({ page, api }) => {
          await page.getByTestId('start-self-service').waitFor();
          const voice = await listenToVoice(page);
          await insertCardForResult(page, api, PEOPLE.local.key);
          await page.getByTestId('ss-take-card').waitFor({ timeout: 30_000 });
          expect(await voice.said()).toContain('请取走您的卡片');
          await expect.poll(voice.fetched).toContain('take-card.wav');
          expect(await visibleText(page)).not.toContain('王*国');
          await shot(page, 'kiosk-17-idle-take-card');
          expect(await axeFindings(page)).toEqual([]);
          await api.demo.removeCard({});
          await page.getByTestId('start-self-service').waitFor();
        },
        { KIOSK_IDLE_TIMEOUT: '15' },
        KIOSK_SCREENS.landscape,
      ),
    JOURNEY_MS,
  );

  it(
    'desk: idle locks instead of wiping; the terminal refuses staff requests while locked; the clerk’s own password brings the half-filled form back',
    () =>
      withTerminal(
        browser,
        'admission',
        async ({ page, api, terminal }) => {
          await signInToIdentify(page);
          await api.demo.insertCard({ personKey: PEOPLE.local.key, generation: 3 });
          await page.getByTestId('eligibility-step').waitFor({ timeout: 30_000 });
          await page.keyboard.press('Enter');
          await page.getByTestId('admission-form').waitFor();
          await page.getByTestId('diagnosis-input').focus();
          await page.keyboard.type('I20', { delay: 90 });
          await page.getByTestId('desk-lock').waitFor({ timeout: 30_000 });
          expect(await visibleText(page)).not.toContain('I20');
          await shot(page, 'desk-15-locked');
          expect(await axeFindings(page)).toEqual([]);
          // The lock is the terminal's, not only the screen's: a request from this desk is refused meanwhile.
          // (The page's own socket reaches this same dispatcher.)
          expect(await terminal.dispatcher.call('kiosk:admission.departments', {}, { transport: 'memory' })).toMatchObject({ ok: false, error: { code: 'DESK_LOCKED' } });
          // Esc on the lock does not step the hidden desk back; a wrong password is refused.
          await page.keyboard.press('Escape');
          await page.keyboard.type('wrong-pw');
          await page.keyboard.press('Enter');
          await page.getByRole('alert').filter({ hasText: '密码不正确' }).waitFor();
          await shot(page, 'desk-15b-lock-wrong-password');
          await page.getByTestId('unlock-password').focus();
          await page.keyboard.type(DEMO_PASSWORD);
          await page.keyboard.press('Enter');
          await page.getByTestId('desk-lock').waitFor({ state: 'detached' });
          expect(await page.getByTestId('diagnosis-input').inputValue()).toBe('I20');
        },
        { KIOSK_IDLE_TIMEOUT: '15' },
      ),
    JOURNEY_MS,
  );
});

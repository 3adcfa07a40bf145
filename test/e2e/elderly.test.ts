import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeFindings } from './support/axe.ts';
import { browserAvailable, launchChromium } from './support/browser.ts';
import { KIOSK_SCREENS, shot, withTerminal } from './support/kiosk-page.ts';
import { PEOPLE } from './support/scenarios.ts';

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
            await shot(page, `kiosk-24-elderly-result-${orientation}`);
            expect(await axeFindings(page)).toEqual([]);
          },
          {},
          screen,
        ),
      JOURNEY_MS,
    );
  }
});

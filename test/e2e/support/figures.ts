import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { RESULTS_DIR } from './browser.ts';

/** Where the journeys' figures go, one JSON object a line (docs/screens.md reads them). */
export const FIGURES_FILE = join(RESULTS_DIR, 'journey-figures.jsonl');

export interface JourneyFigures {
  journey: string;
  keys: number;
  taps: number;
  seconds: number;
}

/**
 * Counts what the person does from now on: trusted key presses and pointer taps as the page receives them
 * (so a scanner's or the test's set-up calls through the API never count), and the wall time.
 */
export async function startCounting(page: Page): Promise<{ stop(journey: string): Promise<JourneyFigures> }> {
  await page.evaluate(() => {
    const w = window as unknown as { __inputs?: { keys: number; taps: number } };
    w.__inputs = { keys: 0, taps: 0 };
    window.addEventListener('keydown', (e) => e.isTrusted && w.__inputs!.keys++, true);
    window.addEventListener('pointerdown', (e) => e.isTrusted && w.__inputs!.taps++, true);
  });
  const started = Date.now();
  return {
    async stop(journey) {
      const counts = await page.evaluate(() => (window as unknown as { __inputs: { keys: number; taps: number } }).__inputs);
      const figures = { journey, ...counts, seconds: Math.round((Date.now() - started) / 100) / 10 };
      mkdirSync(RESULTS_DIR, { recursive: true });
      appendFileSync(FIGURES_FILE, `${JSON.stringify(figures)}\n`);
      return figures;
    },
  };
}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { screenshotPath } from './browser.ts';
import { startTerminalHost } from './terminal-host.ts';

export type Mode = 'admission' | 'self-service' | 'discharge';

/** A fresh terminal (own data directory, demo mode: sandbox + virtual reader) and a page on it. */
export async function openTerminal(browser: Browser, mode: Mode, env: Record<string, string> = {}) {
  const t = await startTerminalHost({ KIOSK_MODE: mode, KIOSK_DEMO: '1', KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), `kiosk-e2e-${mode}-`)), ...env });
  const page = await browser.newPage({ viewport: mode === 'self-service' ? { width: 1280, height: 1024 } : { width: 1440, height: 900 }, locale: 'zh-CN' });
  page.setDefaultTimeout(20_000);
  await page.goto(t.host.url);
  return {
    ...t,
    page,
    async close() {
      await page.close();
      await t.close();
    },
  };
}

/** A full-page screenshot under test-results/, named for docs/screens.md. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: screenshotPath(name), fullPage: true, animations: 'disabled' });
}

/** 9001 sign-in on a staff desk, by keyboard only. */
export async function signInByKeyboard(page: Page, opterNo = '0001', name = '测试护士'): Promise<void> {
  await page.getByLabel('工号').waitFor();
  await page.keyboard.type(opterNo);
  await page.keyboard.press('Tab');
  await page.keyboard.type(name);
  await page.keyboard.press('Enter');
}

/** Everything the page shows as text (for "no personal data left" and "no English error" checks). */
export const visibleText = (page: Page) => page.evaluate(() => document.body.innerText);

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { browserAvailable, launchChromium, screenshotPath } from './support/browser.ts';
import { startTerminalHost } from './support/terminal-host.ts';

const run = browserAvailable();

describe.runIf(run)('app shell in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  const modes = [
    ['admission', 'start-admission', '入院登记'],
    ['self-service', 'start-self-service', '请插入社保卡'],
    ['discharge', 'start-discharge', '出院结算'],
  ] as const;

  for (const [mode, testId, heading] of modes) {
    it(`shows the ${mode} start screen with the status bar`, async () => {
      const t = await startTerminalHost({ KIOSK_MODE: mode, KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiosk-e2e-')) });
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      try {
        await page.goto(t.host.launchUrl());
        await page.getByTestId(testId).waitFor({ timeout: 15_000 });
        expect(await page.getByRole('heading', { level: 1 }).first().textContent()).toContain(heading);
        await expect.poll(() => page.getByTestId('platform-status').textContent()).toMatch(/医保平台/);
        await page.screenshot({ path: screenshotPath(`shell-${mode}`), fullPage: true });
      } finally {
        await page.close();
        await t.close();
      }
    });
  }

  it('a page opened without the one-time launch link cannot reach the terminal, and a used link is refused', async () => {
    const t = await startTerminalHost({ KIOSK_MODE: 'admission', KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiosk-e2e-')) });
    const page = await browser.newPage();
    try {
      const link = t.host.launchUrl();
      const other = await browser.newPage();
      await other.goto(link); // used once, by another browser window
      await other.close();
      await page.goto(link);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('链接已失效');
      await page.goto(t.host.url);
      await page.getByTestId('connecting').waitFor({ timeout: 15_000 });
      await expect.poll(() => page.getByTestId('connecting').textContent(), { timeout: 10_000 }).toContain('无法连接终端服务');
      await page.screenshot({ path: screenshotPath('shell-unauthorized') });
    } finally {
      await page.close();
      await t.close();
    }
  });
});

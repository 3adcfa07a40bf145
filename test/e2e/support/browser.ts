import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const RESULTS_DIR = join(process.cwd(), 'test-results');

/**
 * Whether browser tests can run. In CI (CI=true) a missing Chromium is a failure, not a skip: the suite throws.
 * Elsewhere it prints one loud SKIPPED line with the install command and the browser suites are skipped.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const msg = `Chromium not found at ${CHROMIUM}: install it with \`sudo apt-get install -y chromium\` (or set CHROMIUM_PATH).`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`browser tests are required in CI. ${msg}`);
  console.warn(`\n!!!!! SKIPPED: browser tests. ${msg}\n`);
  return false;
}

export async function launchChromium(): Promise<Browser> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Background networking off: this machine's closed network refuses those connections noisily.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=zh-CN'],
  });
}

export const screenshotPath = (name: string) => join(RESULTS_DIR, `${name}.png`);

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { baseArgs, chromiumAvailable, resolveChromium, type ChromiumLaunch } from '../../../services/browser/chromium.ts';

export const RESULTS_DIR = join(process.cwd(), 'test-results');

/**
 * Whether browser tests can run: some Chromium exists (system, KIOSK_CHROMIUM_PATH, or the one bundled in
 * @sparticuz/chromium by `npm install` on Linux x64). In CI (CI=true) a missing Chromium is a failure, not a
 * skip: the suite throws. Elsewhere it prints one loud SKIPPED line and the browser suites are skipped.
 */
export function browserAvailable(): boolean {
  if (chromiumAvailable()) return true;
  const msg = `no Chromium: npm install brings one on Linux x64; elsewhere install one (\`sudo apt-get install -y chromium\`) or set KIOSK_CHROMIUM_PATH.`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`browser tests are required in CI. ${msg}`);
  console.warn(`\n!!!!! SKIPPED: browser tests. ${msg}\n`);
  return false;
}

/** The Chromium the last launchChromium() used (the renderer bench reports it). */
export let launchedChromium: ChromiumLaunch | null = null;

export async function launchChromium(): Promise<Browser> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const found = await resolveChromium();
  if (!found) throw new Error('no Chromium found (services/browser/chromium.ts)');
  launchedChromium = found;
  return chromium.launch({
    executablePath: found.executablePath,
    env: { ...process.env, ...found.env },
    headless: true,
    // Background networking off: this machine's closed network refuses those connections noisily.
    args: [...baseArgs(found), '--disable-quic', '--lang=zh-CN'],
  });
}

export const screenshotPath = (name: string) => join(RESULTS_DIR, `${name}.png`);

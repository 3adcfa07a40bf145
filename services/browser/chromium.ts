import { accessSync, constants, statSync } from 'node:fs';
import { bundledChromium, bundledChromiumPresent } from './bundled-chromium.ts';

/**
 * Which Chromium the terminal and its tests drive (PDF rendering, browser tests, benches, `npm start`). One
 * resolver so all of them agree: KIOSK_CHROMIUM_PATH when set; else a system Chromium; else the headless one
 * bundled in the npm package @sparticuz/chromium (Linux x64), so a machine with no browser installed still
 * renders PDFs and runs the browser tests. KIOSK_CHROMIUM=bundled skips the system lookup (KIOSK_CHROMIUM=system
 * forbids the bundled one).
 */
export interface ChromiumLaunch {
  executablePath: string;
  /** Extra environment for the browser process (the bundled build's libraries and fonts). */
  env: Record<string, string>;
  source: 'configured' | 'system' | 'bundled';
  /** Whether it can open windows: the bundled build is headless only. */
  headed: boolean;
}

/** A file that can be run (an empty or non-executable file in its place, as a test's mount leaves, cannot). */
function runnable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).size > 0;
  } catch {
    return false;
  }
}

export const SYSTEM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** A system Chromium (one that can open windows), or null. */
export function findSystemChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const configured = env.KIOSK_CHROMIUM_PATH;
  if (configured) return runnable(configured) ? configured : null;
  if (env.KIOSK_CHROMIUM === 'bundled') return null;
  return SYSTEM_CANDIDATES.find((p) => runnable(p)) ?? null;
}

/** The Chromium to launch, inflating the bundled one on first use; null when there is none. */
export async function resolveChromium(env: NodeJS.ProcessEnv = process.env): Promise<ChromiumLaunch | null> {
  if (env.KIOSK_CHROMIUM_PATH) {
    return runnable(env.KIOSK_CHROMIUM_PATH) ? { executablePath: env.KIOSK_CHROMIUM_PATH, env: {}, source: 'configured', headed: true } : null;
  }
  const system = findSystemChromium(env);
  if (system) return { executablePath: system, env: {}, source: 'system', headed: true };
  if (env.KIOSK_CHROMIUM === 'system') return null;
  const bundled = await bundledChromium();
  return bundled ? { ...bundled, source: 'bundled', headed: false } : null;
}

/** Whether resolveChromium would find one, without inflating anything (for synchronous availability checks). */
export function chromiumAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.KIOSK_CHROMIUM_PATH) return runnable(env.KIOSK_CHROMIUM_PATH);
  if (findSystemChromium(env)) return true;
  return env.KIOSK_CHROMIUM !== 'system' && bundledChromiumPresent();
}

/** Launch arguments every caller needs. Root (CI containers) cannot use Chromium's sandbox. */
export function baseArgs(launch: ChromiumLaunch): string[] {
  const args = ['--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
  if (launch.source === 'bundled' || process.getuid?.() === 0) args.push('--no-sandbox');
  return args;
}

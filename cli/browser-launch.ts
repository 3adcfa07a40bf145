import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** How long the hand-over file lives: the browser reads it within a second of starting. */
const HANDOVER_LIFETIME_MS = 60_000;

/**
 * Opens the browser host in Chromium's app mode without putting a secret on its command line (which every
 * user of the machine can read in /proc/<pid>/cmdline). The one-time launch link goes into a file in a fresh
 * 0700 directory with mode 0600, a page that redirects to the link at once; Chromium gets only that file's
 * path. The link itself is good for one use, so even the file is useless once Chromium has opened it; it is
 * removed after a minute anyway.
 */
export function openInChromium(browser: string, launchUrl: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-launch-')); // mkdtemp creates the directory with mode 0700
  const page = join(dir, 'open.html');
  const escaped = launchUrl.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  writeFileSync(page, `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${escaped}"><title>正在打开终端…</title>`, { mode: 0o600 });
  const forget = () => rmSync(dir, { recursive: true, force: true });
  setTimeout(forget, HANDOVER_LIFETIME_MS).unref();
  process.once('exit', forget);
  spawn(browser, [`--app=${pathToFileURL(page).href}`, '--no-first-run', '--disable-background-networking'], { stdio: 'ignore', detached: true }).unref();
}

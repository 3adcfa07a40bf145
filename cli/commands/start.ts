import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseCliArgs } from '../args.ts';
import type { CliCommand } from '../command.ts';
import { repoRoot } from '../paths.ts';
import { runServe } from './serve.ts';
import { openInChromium } from '../browser-launch.ts';
import type { BrowserHost } from '../../electron/host/server.ts';
import { findSystemChromium } from '../../services/browser/chromium.ts';

/** Where the Electron binary would be, if its download worked on this machine. */
function electronBinary(): string | null {
  const pathFile = join(repoRoot, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], { cwd: repoRoot, encoding: 'utf8' });
  return bin.status === 0 && existsSync(bin.stdout) ? bin.stdout : null;
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${[cmd, ...args].join(' ')} failed`);
}

export const start: CliCommand = {
  name: 'start',
  summary: 'Start the terminal (Electron where installed, else the browser host) — what `npm start` runs',
  usage: `Usage: kiosk start [--config <file>] [--port <n>] [--no-open]

Builds the screens, then starts Electron in demo mode where the Electron binary exists. Where it does not
(its download is blocked on some networks), it says so and serves the terminal at http://127.0.0.1:5170,
opening Chromium in app mode if one is installed.`,
  async run(argv) {
    const { values } = parseCliArgs(argv, {
      config: { type: 'string' },
      port: { type: 'string' },
      'no-open': { type: 'boolean', default: false },
    });
    run(process.execPath, [join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'vite.config.ts', '--logLevel', 'warn']);
    const electron = electronBinary();
    if (electron) {
      run(process.execPath, [join(repoRoot, 'scripts', 'build-electron.mjs')]);
      const child = spawn(electron, [repoRoot], { stdio: 'inherit', env: { ...process.env, ...(values.config ? { KIOSK_CONFIG: values.config } : {}) } });
      return await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
    }
    console.log('kiosk: the Electron binary is not installed on this machine; starting the browser host instead.');
    // Only a system Chromium can open a window (the one bundled for PDFs and tests is headless only).
    const browser = values['no-open'] ? null : findSystemChromium();
    const canShow = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
    // Chromium gets the one-time launch link through a private file, never on its command line.
    const open = browser && canShow ? (host: BrowserHost) => (openInChromium(browser, host.launchUrl()), true) : undefined;
    const serveArgs = [...(values.config ? ['--config', values.config] : []), ...(values.port ? ['--port', values.port] : [])];
    return runServe(serveArgs, open);
  },
};

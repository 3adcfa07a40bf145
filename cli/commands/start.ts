import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseCliArgs } from '../args.ts';
import type { CliCommand } from '../command.ts';
import { repoRoot } from '../paths.ts';
import { serve } from './serve.ts';

/** Where the Electron binary would be, if its download worked on this machine. */
function electronBinary(): string | null {
  const pathFile = join(repoRoot, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], { cwd: repoRoot, encoding: 'utf8' });
  return bin.status === 0 && existsSync(bin.stdout) ? bin.stdout : null;
}

function chromium(): string | null {
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) if (existsSync(p)) return p;
  return null;
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
    const browser = values['no-open'] ? null : chromium();
    if (browser && (process.platform !== 'linux' || process.env.DISPLAY || process.env.WAYLAND_DISPLAY)) {
      // Open the printed URL in app mode once the host is up; the URL carries the per-launch token.
      const originalLog = console.log;
      console.log = (...args: unknown[]) => {
        originalLog(...args);
        const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(String(args[0]));
        if (m) spawn(browser, [`--app=${m[1]}`, '--no-first-run', '--disable-background-networking'], { stdio: 'ignore', detached: true }).unref();
      };
    }
    const serveArgs = [...(values.config ? ['--config', values.config] : []), ...(values.port ? ['--port', values.port] : [])];
    return serve.run(serveArgs);
  },
};

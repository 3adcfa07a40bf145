import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseCliArgs } from '../args.ts';
import type { CliCommand } from '../command.ts';
import { loadConfig } from '../../services/config/load.ts';
import { createTerminal } from '../../services/terminal.ts';
import { startBrowserHost, type BrowserHost } from '../../electron/host/server.ts';
import { repoRoot } from '../paths.ts';

export const serve: CliCommand = {
  name: 'serve',
  summary: 'Run the terminal in plain Node and serve it to a browser (the browser host)',
  usage: `Usage: kiosk serve [--config <file>] [--port <n>] [--mode admission|self-service|discharge] [--json]

Starts the terminal's services and serves the screens at http://127.0.0.1:<port>/ (default port 5170).
Only this machine can connect, and only a browser signed in through a one-time launch link: the printed
http://127.0.0.1:<port>/launch?code=… opens the terminal once and is useless afterwards (docs/architecture.md);
\`kill -USR2 <pid>\` prints a new one for another window.
  --json   print one JSON line {"url", "launchUrl", "port"} when ready (for scripts and tests)`,
  async run(argv) {
    return runServe(argv);
  },
};

/**
 * `kiosk serve`, with a hook for `kiosk start`: `onReady` gets the host once it listens (to open a browser);
 * when it returns true the launch link is not printed.
 */
export async function runServe(argv: string[], onReady?: (host: BrowserHost) => boolean): Promise<number> {
  const { values } = parseCliArgs(argv, {
    config: { type: 'string' },
    port: { type: 'string' },
    mode: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  const env = { ...process.env };
  if (values.port) env.KIOSK_PORT = values.port;
  if (values.mode) env.KIOSK_MODE = values.mode;
  const loaded = loadConfig({ path: values.config, env });
  const rendererDir = join(repoRoot, 'dist', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error('the screens are not built: run `npm run build:renderer` (npm start does it for you)');
  }
  const terminal = await createTerminal(loaded);
  const host = await startBrowserHost({ dispatcher: terminal.dispatcher, rendererDir, port: loaded.config.host.port });
  if (values.json) console.log(JSON.stringify({ url: host.url, launchUrl: host.launchUrl(), port: host.port }));
  else {
    console.log(`kiosk: ${loaded.config.mode} terminal at ${host.url}  (config: ${loaded.source})`);
    if (!onReady?.(host)) console.log(`kiosk: open ${host.launchUrl()} in a browser on this machine (a one-time link: it works once)`);
    // Another window later (the first was closed): `kill -USR2 <pid>` prints a fresh one-time link.
    if (process.platform !== 'win32') process.on('SIGUSR2', () => console.log(`kiosk: open ${host.launchUrl()} (a new one-time link)`));
  }
  await waitForSignal();
  await host.close();
  await terminal.close();
  return 0;
}

/**
 * Resolves at the first SIGINT, SIGTERM or SIGHUP. The handlers stay: Ctrl-C reaches both the `kiosk` wrapper
 * (which forwards it) and this process, and a second signal during the orderly close must not cut it short.
 */
export function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => resolve());
  });
}

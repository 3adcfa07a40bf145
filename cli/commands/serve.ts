import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseCliArgs } from '../args.ts';
import type { CliCommand } from '../command.ts';
import { loadConfig } from '../../services/config/load.ts';
import { createTerminal } from '../../services/terminal.ts';
import { startBrowserHost } from '../../electron/host/server.ts';
import { repoRoot } from '../paths.ts';

export const serve: CliCommand = {
  name: 'serve',
  summary: 'Run the terminal in plain Node and serve it to a browser (the browser host)',
  usage: `Usage: kiosk serve [--config <file>] [--port <n>] [--mode admission|self-service|discharge] [--json]

Starts the terminal's services and serves the screens at http://127.0.0.1:<port>/?token=… (default port 5170).
Only this machine can connect, and only with the per-launch token in the printed URL.
  --json   print one JSON line {"url": …} when ready (for scripts and tests)`,
  async run(argv) {
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
    if (values.json) console.log(JSON.stringify({ url: host.url, port: host.port }));
    else console.log(`kiosk: ${loaded.config.mode} terminal at ${host.url}  (config: ${loaded.source})`);
    await waitForSignal();
    await host.close();
    await terminal.close();
    return 0;
  },
};

export function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

import { join } from 'node:path';
import { loadConfig } from '../../../services/config/load.ts';
import { createTerminal, type Terminal, type TerminalOptions } from '../../../services/terminal.ts';
import { startBrowserHost, type BrowserHost } from '../../../electron/host/server.ts';

/** A real terminal (services + browser host) on a free loopback port, configured through the environment. */
export async function startTerminalHost(env: Record<string, string>, options: TerminalOptions = {}): Promise<{ terminal: Terminal; host: BrowserHost; close(): Promise<void> }> {
  const loaded = loadConfig({ env: { KIOSK_METRICS_PORT: '0', ...env } });
  const terminal = await createTerminal(loaded, options);
  const host = await startBrowserHost({ dispatcher: terminal.dispatcher, rendererDir: join(process.cwd(), 'dist', 'renderer'), port: 0 });
  return {
    terminal,
    host,
    async close() {
      await host.close();
      await terminal.close();
    },
  };
}

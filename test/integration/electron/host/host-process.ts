/**
 * A real terminal (demo world: sandbox platform and virtual reader) behind a real browser host, in its own
 * process, for the hostile-input suite. Prints {"event":"ready","port":…,"launchUrls":[…]} once listening.
 * Usage: tsx host-process.ts   (KIOSK_DATA_DIR set by the test)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowserHost } from '../../../../electron/host/server.ts';
import { loadConfig } from '../../../../services/config/load.ts';
import { createTerminal } from '../../../../services/terminal.ts';

const rendererDir = mkdtempSync(join(tmpdir(), 'kiosk-hostile-renderer-'));
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>kiosk</title>');
const terminal = await createTerminal(loadConfig({ env: { ...process.env, KIOSK_DEMO: '1' } }));
const host = await startBrowserHost({ dispatcher: terminal.dispatcher, rendererDir, port: 0 });
process.stdout.write(`${JSON.stringify({ event: 'ready', port: host.port, launchUrls: [host.launchUrl(), host.launchUrl()] })}\n`);
const stop = async () => {
  await host.close();
  await terminal.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());

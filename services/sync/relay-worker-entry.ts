import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Set by the Electron bundle (scripts/build-electron.mjs `define`) to the bundle's directory; undefined when
 * this module runs from its TypeScript source (tsx, vitest).
 */
declare const KIOSK_BUNDLE_DIR: string | undefined;

/** The bundled worker, next to main.cjs in dist/electron (scripts/build-electron.mjs RELAY_WORKER_BUNDLE). */
export const RELAY_WORKER_BUNDLE = 'relay-commit-worker.cjs';

export interface WorkerEntry {
  /** The file the Worker runs. */
  file: string;
  /** The worker's Node options: the TypeScript loader when it runs from source. */
  execArgv: string[];
}

/**
 * Where the relay's commit worker is, for `new Worker(file, { execArgv })`:
 * - in the bundle (the packaged app, `app.asar/dist/electron/main.cjs`): its own bundle in the same directory,
 *   plain CommonJS, no loader (Electron loads worker scripts from inside app.asar);
 * - from source: relay-commit-worker.ts beside this module, loaded through tsx (the worker thread does not
 *   inherit the parent's loader when the parent is vitest, so it is named here).
 */
export function relayWorkerEntry(at: { bundleDir: string | null; moduleUrl: string } = here()): WorkerEntry {
  if (at.bundleDir !== null) return { file: join(at.bundleDir, RELAY_WORKER_BUNDLE), execArgv: [] };
  const file = fileURLToPath(new URL('./relay-commit-worker.ts', at.moduleUrl));
  const tsx = pathToFileURL(createRequire(at.moduleUrl).resolve('tsx')).href;
  return { file, execArgv: ['--import', tsx] };
}

function here(): { bundleDir: string | null; moduleUrl: string } {
  return { bundleDir: typeof KIOSK_BUNDLE_DIR === 'string' ? KIOSK_BUNDLE_DIR : null, moduleUrl: import.meta.url };
}

import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Set by the Electron bundle (scripts/build-electron.mjs `define`) to the bundle's directory; undefined when the
 * code runs from its TypeScript sources (tsx, vitest).
 */
declare const KIOSK_BUNDLE_DIR: string | undefined;

export interface WorkerEntry {
  /** The file the Worker runs. */
  file: string;
  /** The worker's Node options: the TypeScript loader when it runs from source. */
  execArgv: string[];
}

/**
 * Where a worker thread's module is, for `new Worker(entry.file, { execArgv: entry.execArgv })`:
 * - in the Electron bundle: its own bundle `bundle` beside main.cjs (scripts/build-electron.mjs WORKER_BUNDLES);
 * - from source: the TypeScript module `source`, loaded through tsx (a worker thread does not inherit its
 *   parent's loader, and under vitest there is none to inherit).
 */
export function workerEntry(source: URL, bundle: string): WorkerEntry {
  if (typeof KIOSK_BUNDLE_DIR === 'string') return { file: join(KIOSK_BUNDLE_DIR, bundle), execArgv: [] };
  const tsx = pathToFileURL(createRequire(source).resolve('tsx')).href;
  return { file: fileURLToPath(source), execArgv: ['--import', tsx] };
}

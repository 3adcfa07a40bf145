import { resolve } from 'node:path';
import { loadConfig } from '../services/config/load.ts';

/** The store a CLI command acts on: --store, else the configured one, else $KIOSK_DATA_DIR/kiosk.sqlite. */
export function storePath(given: string | undefined): string {
  if (given) return resolve(given);
  try {
    return loadConfig().storePath;
  } catch {
    return resolve(process.env.KIOSK_DATA_DIR ?? '.kiosk-data', 'kiosk.sqlite');
  }
}

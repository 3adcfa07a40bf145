import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Spooled documents (结算单, 费用清单 written as PDFs when no printer is attached) carry the patient's full name
 * and ID number. They are print jobs, not records (the records are in the encrypted store): each is removed once
 * older than `maxAgeMs` (config `store.spoolRetentionDays`, default 7), by the daily retention run. Returns how
 * many were removed. Files are written 0600 in a 0700 folder (services/documents/documents-service.ts).
 */
export function purgeSpooledDocuments(spoolDir: string, options: { now: Date; maxAgeMs: number }): number {
  let names: string[];
  try {
    names = readdirSync(spoolDir);
  } catch {
    return 0; // no spool folder yet
  }
  let removed = 0;
  const cutoff = options.now.getTime() - options.maxAgeMs;
  for (const name of names) {
    if (!name.endsWith('.pdf')) continue;
    const file = join(spoolDir, name);
    try {
      if (statSync(file).mtimeMs >= cutoff) continue;
      rmSync(file, { force: true });
      removed++;
    } catch {
      // removed meanwhile
    }
  }
  return removed;
}

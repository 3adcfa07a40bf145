import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Spooled documents (结算单, 费用清单, 登记单, 收据 written as PDFs when no printer is attached) carry the patient's
 * full name and ID number, in clear: they are print jobs, not records (the records are in the encrypted store).
 * Files are written 0600 in a 0700 folder (services/documents/documents-service.ts), named here, and removed by
 * age (the daily retention run) or with the person they are about (`kiosk person purge`).
 */

/** What a spooled document is about: the visit (住院号) or the settlement, or a day-end range. */
export interface SpoolRef {
  kind: string;
  settlementId?: string;
  admissionId?: string;
  dayEnd?: { from: string };
}

/**
 * `<China time>-<kind>-<settlement id | 住院号 | day-end start>.pdf`. A settlement id is all digits, a 住院号 starts
 * with its letter prefix (config terminal.iptNoPrefix), so the name tells which one it is.
 */
export function spoolFileName(compactChinaTime: string, ref: SpoolRef): string {
  const about = spoolId(ref.settlementId ?? ref.admissionId ?? ref.dayEnd?.from ?? 'doc');
  return `${compactChinaTime}-${ref.kind}-${about}.pdf`;
}

/** The id as it stands in a spool file's name (letters, digits, `_` and `-` only): written and matched the same way. */
function spoolId(id: string): string {
  return id.replace(/[^0-9A-Za-z_-]/g, '');
}

/**
 * Removes each spooled document older than `maxAgeMs` (config `store.spoolRetentionDays`, default 7). Returns how
 * many were removed.
 */
export function purgeSpooledDocuments(spoolDir: string, options: { now: Date; maxAgeMs: number }): number {
  const cutoff = options.now.getTime() - options.maxAgeMs;
  return removeSpooled(spoolDir, (_name, file) => statSync(file).mtimeMs < cutoff);
}

/**
 * Removes the spooled documents about these visits or settlements (a person's purge: their name must not outlive
 * their data in a PDF beside the store). Day-end reports are about no one patient and stay. Returns how many.
 */
export function purgeSpooledDocumentsOf(spoolDir: string, about: { iptNos: readonly string[]; settlementIds: readonly string[] }): number {
  const ids = new Set([...about.iptNos, ...about.settlementIds].map(spoolId));
  return removeSpooled(spoolDir, (name) => !name.includes('-day-end-report-') && [...ids].some((id) => name.endsWith(`-${id}.pdf`)));
}

function removeSpooled(spoolDir: string, remove: (name: string, file: string) => boolean): number {
  let names: string[];
  try {
    names = readdirSync(spoolDir);
  } catch {
    return 0; // no spool folder yet
  }
  let removed = 0;
  for (const name of names) {
    if (!name.endsWith('.pdf')) continue;
    const file = join(spoolDir, name);
    try {
      if (!remove(name, file)) continue;
      rmSync(file, { force: true });
      removed++;
    } catch {
      // removed meanwhile
    }
  }
  return removed;
}

import { timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { keyDir } from '../keystore.ts';
import { writePrivateFile } from '../private-files.ts';
import { withAccepted } from './accepted.ts';
import type { AuditLog, AuditProblem, AuditVerification } from './audit-log.ts';
import { canonicalJson } from './canonical-json.ts';

/**
 * The last audit head the terminal published (start, day-end, restore), kept in `keys/audit-head.json` beside the
 * store and MAC'd with the audit key. A tail deleted together with SQLite's AUTOINCREMENT mark leaves a chain that
 * verifies on its own; compared with this head it shows (the chain ends below it, or its row differs). Someone with
 * the data folder but not the audit key cannot move the head back without the MAC failing. The head is kept from
 * the store's first row on (the keyed anchor, keepHeadAtBirth), so a chain with rows and no file means the file was
 * deleted: reported, never read as a first start, and kept again only by `kiosk store restore` or an IT
 * administrator's `kiosk store audit --accept` (both audited).
 */
export type KeptHeadMoment = 'keyed' | 'start' | 'day-end' | 'restore' | 'accept';

export interface KeptHead {
  seq: number;
  hash: string;
  moment: KeptHeadMoment;
  /** When it was kept (ISO), for the technician reading the file. */
  at: string;
}

export type KeptHeadRead = { state: 'missing' } | { state: 'kept'; head: KeptHead } | { state: 'damaged'; reason: string };

/**
 * The kept head as an audit row records what it replaced (a restore's reset, an IT acceptance): its seq, hash and
 * when it was kept, or `missing` / `damaged`.
 */
export function keptHeadRecord(kept: KeptHeadRead): { seq: number; hash: string; at: string } | 'missing' | 'damaged' {
  return kept.state === 'kept' ? { seq: kept.head.seq, hash: kept.head.hash, at: kept.head.at } : kept.state;
}

export const KEPT_HEAD_FILE = 'audit-head.json';

export function keptHeadPath(storePath: string): string {
  return join(keyDir(dirname(storePath)), KEPT_HEAD_FILE);
}

/** Only a keyed store in a data folder keeps a head (an in-memory or unkeyed store has no key to MAC it with). */
function keeps(audit: AuditLog, storePath: string): boolean {
  return audit.keyed && storePath !== ':memory:';
}

export function readKeptHead(audit: AuditLog, storePath: string): KeptHeadRead {
  const file = keptHeadPath(storePath);
  if (!keeps(audit, storePath) || !existsSync(file)) return { state: 'missing' };
  let parsed: Partial<KeptHead & { mac: unknown }>;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as typeof parsed;
  } catch (err) {
    return { state: 'damaged', reason: `${file} cannot be read as JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  const { seq, hash, moment, at, mac } = parsed ?? {};
  if (!Number.isInteger(seq) || (seq as number) < 0 || typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash) || typeof moment !== 'string' || typeof at !== 'string' || typeof mac !== 'string') {
    return { state: 'damaged', reason: `${file} lacks seq, hash, moment, at or mac` };
  }
  const head = { seq: seq as number, hash, moment: moment as KeptHeadMoment, at };
  const expected = audit.macKeptHead(canonicalJson(head))!;
  if (mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac, 'utf8'), Buffer.from(expected, 'utf8'))) {
    return { state: 'damaged', reason: `${file} does not carry the audit key's MAC: it was edited, or written under another key` };
  }
  return { state: 'kept', head };
}

/** Keeps `head` durably (writePrivateFile: a crash leaves the old or the new head). */
export function writeKeptHead(audit: AuditLog, storePath: string, head: { seq: number; hash: string }, moment: KeptHeadMoment, now: Date): void {
  if (!keeps(audit, storePath)) return;
  const file = keptHeadPath(storePath);
  const kept: KeptHead = { seq: head.seq, hash: head.hash, moment, at: now.toISOString() };
  const body = JSON.stringify({ ...kept, mac: audit.macKeptHead(canonicalJson(kept)) }) + '\n';
  writePrivateFile(file, body);
}

/**
 * Keeps the head of a chain just keyed (a new store's first row, or an older store's anchor and seals), inside the
 * transaction that writes them: from then on the file exists whenever the chain has rows. Written before COMMIT so
 * that no crash leaves rows without a kept head (a false alarm); if the COMMIT fails instead, the store is still
 * pristine, is keyed again at the next open and the file is written again.
 */
export function keepHeadAtBirth(audit: AuditLog, storePath: string, now: Date): void {
  writeKeptHead(audit, storePath, audit.head(), 'keyed', now);
}

/**
 * The chain verified against the kept head (when there is one): a chain shortened below it, or whose row at its seq
 * differs, is a finding; so is a kept head that is damaged or not MAC'd by the audit key (then the chain is verified
 * on its own), and a kept head missing while the chain has rows (someone deleted the file). Findings an IT
 * administrator accepted are set apart (db/audit/accepted.ts).
 */
export function verifyAgainstKeptHead(audit: AuditLog, storePath: string): { verification: AuditVerification; kept: KeptHeadRead } {
  const kept = readKeptHead(audit, storePath);
  const v = withAccepted(audit, audit.verify(kept.state === 'kept' ? { expectedHead: kept.head } : {}));
  const problem = keptHeadProblem(kept, v, keeps(audit, storePath) ? keptHeadPath(storePath) : null);
  if (!problem) return { verification: v, kept };
  return { verification: { ...v, ok: false, problems: [...v.problems, problem] }, kept };
}

/** What is wrong with the kept head itself, if anything (`file`: null where no head is kept: unkeyed, in memory). */
function keptHeadProblem(kept: KeptHeadRead, v: AuditVerification, file: string | null): AuditProblem | null {
  if (kept.state === 'damaged') return { seq: 0, kind: 'kept-head', message: `the kept audit head is not trustworthy: ${kept.reason}` };
  // A pristine store (no row yet: opened read-only before it was ever keyed) has nothing to keep.
  if (kept.state === 'missing' && file !== null && v.checked > 0) {
    return { seq: 0, kind: 'kept-head-missing', message: `${file} is missing although the chain has ${v.checked} rows: it was deleted (or the data folder was copied without it)` };
  }
  return null;
}

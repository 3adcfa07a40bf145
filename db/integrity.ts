import { existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { KioskError } from '../contract/errors.ts';
import type { SqliteDatabase } from './connection.ts';

/**
 * The store's marker: a small file beside the database, written once the store exists. SQLite happily treats a
 * missing or 0-byte file as a new, empty database, so without it a store lost to a bad disk, a botched copy or
 * a careless `> kiosk.sqlite` would come back empty: admissions, money, the queue and the audit log silently gone.
 * With it, the terminal knows a store existed here and refuses to start afresh.
 */
export function markerPathOf(storePath: string): string {
  return `${storePath}.marker`;
}

/** Where recovery starts: the rotating backups (db/backup.ts) and the CLI that restores one. */
const RECOVERY_STEPS = (storePath: string) => [
  '请勿删除数据目录中的任何文件，并联系信息科。',
  '用最近的备份恢复：停止终端后运行 kiosk store restore（恢复最新备份；--from <文件> 指定备份），再启动终端。',
  `确属新装机、无需原数据时，删除标记文件 ${markerPathOf(storePath)} 后启动终端将新建空数据库。`,
];

/** Refuses to open a store that existed (its marker is there) when the file is missing or empty. */
export function assertStorePresent(storePath: string): void {
  if (storePath === ':memory:' || !existsSync(markerPathOf(storePath))) return;
  const size = existsSync(storePath) ? statSync(storePath).size : null;
  if (size === null || size === 0) {
    throw new KioskError(
      'STORE_MISSING',
      size === null ? `本机数据库文件不见了（${basename(storePath)}），而此前这里有数据库。终端不会新建空数据库。` : `本机数据库文件是空的（${basename(storePath)}，0 字节），而此前这里有数据。终端不会把它当作新数据库。`,
      RECOVERY_STEPS(storePath),
    );
  }
}

/** Records that a store exists at this path (atomically; mode 0600). Idempotent. */
export function writeStoreMarker(storePath: string, now: Date): void {
  if (storePath === ':memory:' || existsSync(markerPathOf(storePath))) return;
  const tmp = `${markerPathOf(storePath)}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ store: basename(storePath), since: now.toISOString(), why: 'a store exists here: a missing or empty file is a loss, not a new install (db/integrity.ts)' })}\n`, { mode: 0o600 });
  renameSync(tmp, markerPathOf(storePath));
}

export interface IntegrityReport {
  ok: boolean;
  /** quick_check's findings (at most 10), empty when ok. */
  problems: string[];
  /** How long quick_check took: the figure behind the open-time budget (bench area `store`). */
  quickCheckMs: number;
  bytes: number;
}

/**
 * PRAGMA quick_check: every page, b-tree and record format, without the index-to-table cross-check of
 * integrity_check (O(N) instead of O(N log N)). For a 100 MB store it takes a fraction of a second (measured:
 * `kiosk bench store`), so it runs at every open.
 */
export function quickCheck(db: SqliteDatabase): IntegrityReport {
  const t0 = performance.now();
  let problems: string[];
  try {
    const rows = db.pragma('quick_check(10)') as { quick_check: string }[];
    problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
  } catch (err) {
    problems = [err instanceof Error ? err.message : String(err)];
  }
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  const pages = Number(db.pragma('page_count', { simple: true }));
  return { ok: problems.length === 0, problems, quickCheckMs: performance.now() - t0, bytes: pageSize * pages };
}

/** The Chinese error for a damaged store: what is wrong, what to do; the findings travel as the cause. */
export function storeCorrupt(storePath: string, cause: unknown): KioskError {
  return new KioskError('STORE_CORRUPT', `本机数据库已损坏（${basename(storePath)}），终端不能继续使用它。`, RECOVERY_STEPS(storePath), { cause });
}

/** SQLite's own words for a damaged or foreign file (better-sqlite3 puts the extended code on `code`). */
export function isCorruption(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code)) return true;
  }
  return false;
}

/** `err` as STORE_CORRUPT when SQLite's code says the file is damaged (and it is not that error already). */
export function asCorruption(storePath: string, err: unknown): unknown {
  if (err instanceof KioskError && err.code === 'STORE_CORRUPT') return err;
  return isCorruption(err) ? storeCorrupt(storePath, err) : err;
}

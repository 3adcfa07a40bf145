import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import Database from 'better-sqlite3';
import { KioskError } from '../contract/errors.ts';
import type { SqliteDatabase } from './connection.ts';
import { quickCheck, writeStoreMarker } from './integrity.ts';

/** How many backups are kept: with the default every 6 hours, the last day and a half. */
export const DEFAULT_BACKUPS_KEPT = 6;

export interface BackupFile {
  path: string;
  /** When it was taken (from its name). */
  at: Date;
  bytes: number;
}

/** The backups folder of a store: `backups/` beside the file (the data directory). */
export function backupDirOf(storePath: string): string {
  return join(dirname(storePath), 'backups');
}

const stem = (storePath: string) => basename(storePath, extname(storePath));
const stamp = (at: Date) => at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z'); // 20261120T003000Z

/**
 * An online backup through SQLite's backup API (better-sqlite3 `db.backup`): a consistent copy of the live
 * store, taken in steps between the terminal's own transactions, so the desk keeps working. The copy is
 * written under a temporary name, checked with quick_check, and only then renamed into the rotation; the
 * oldest beyond `keep` are removed.
 */
export async function backupStore(db: SqliteDatabase, storePath: string, options: { now: Date; dir?: string; keep?: number }): Promise<BackupFile> {
  const dir = options.dir ?? backupDirOf(storePath);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const final = join(dir, `${stem(storePath)}-${stamp(options.now)}.sqlite`);
  const partial = `${final}.partial`;
  try {
    await db.backup(partial);
    assertRestorable(partial);
    syncFile(partial);
    renameSync(partial, final);
  } finally {
    rmSync(partial, { force: true });
  }
  for (const old of listBackups(storePath, dir).slice(options.keep ?? DEFAULT_BACKUPS_KEPT)) rmSync(old.path, { force: true });
  return { path: final, at: options.now, bytes: statSync(final).size };
}

/** The store's backups, newest first. */
export function listBackups(storePath: string, dir = backupDirOf(storePath)): BackupFile[] {
  if (!existsSync(dir)) return [];
  const pattern = new RegExp(`^${stem(storePath).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d{8}T\\d{6}Z)\\.sqlite$`);
  return readdirSync(dir)
    .map((name) => ({ name, m: pattern.exec(name) }))
    .filter((f): f is { name: string; m: RegExpExecArray } => f.m !== null)
    .map(({ name, m }) => {
      const s = m[1]!;
      const at = new Date(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`);
      return { path: join(dir, name), at, bytes: statSync(join(dir, name)).size };
    })
    .sort((a, b) => b.at.getTime() - a.at.getTime());
}

/**
 * Puts a backup in place of the store. The terminal must be stopped. Whatever is at the store's path (the
 * damaged file, an empty one, its -wal and -shm) is moved aside, never deleted, so nothing can be lost by
 * restoring; the backup is checked before and after the copy. Returns the files moved aside.
 */
export function restoreStore(storePath: string, backup: string, now: Date): { movedAside: string[] } {
  assertRestorable(backup);
  const movedAside: string[] = [];
  for (const suffix of ['', '-wal', '-shm']) {
    const file = storePath + suffix;
    if (!existsSync(file)) continue;
    const aside = `${storePath}.replaced-${stamp(now)}${suffix}`;
    renameSync(file, aside);
    movedAside.push(aside);
  }
  copyFileSync(backup, `${storePath}.restoring`);
  syncFile(`${storePath}.restoring`);
  renameSync(`${storePath}.restoring`, storePath);
  assertRestorable(storePath);
  writeStoreMarker(storePath, now);
  return { movedAside };
}

/** A backup is usable when SQLite opens it and quick_check finds nothing. */
function assertRestorable(file: string): void {
  let db: SqliteDatabase | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const report = quickCheck(db);
    if (!report.ok) throw new Error(report.problems.join('; '));
  } catch (err) {
    throw new KioskError('STORE_CORRUPT', `备份文件不可用（${basename(file)}）。`, ['请选择另一个备份：kiosk store backups 列出全部备份。'], { cause: err });
  } finally {
    db?.close();
  }
}

function syncFile(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

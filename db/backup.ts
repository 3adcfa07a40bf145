import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { KioskError } from '../contract/errors.ts';
import type { SqliteDatabase } from './connection.ts';
import { backupEncrypted, openKeyed } from './encryption.ts';
import { ensurePrivateDir } from './private-files.ts';
import { quickCheck, storeCorrupt, writeStoreMarker } from './integrity.ts';

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
 * An online backup: a consistent copy of the live store, encrypted under the store's key like the store itself
 * (`backupEncrypted`, VACUUM INTO through the store's connection: SQLite's backup API refuses an encrypted
 * source, docs/security.md). The copy is written under a temporary name, checked with quick_check (attached to
 * the same connection, so under the same key), and only then renamed into the rotation; the oldest beyond
 * `keep` are removed.
 */
export async function backupStore(db: SqliteDatabase, storePath: string, options: { now: Date; dir?: string; keep?: number }): Promise<BackupFile> {
  const dir = options.dir ?? backupDirOf(storePath);
  ensurePrivateDir(dir);
  const final = join(dir, `${stem(storePath)}-${stamp(options.now)}.sqlite`);
  const partial = `${final}.partial`;
  rmSync(partial, { force: true });
  // VACUUM INTO copies only what it can reach, so a damaged source can yield a copy that checks clean but lacks
  // rows: the source is checked first, and a damaged store never enters the rotation (the good copies stay).
  const source = quickCheck(db);
  if (!source.ok) throw storeCorrupt(storePath, new Error(source.problems.join('; ')));
  try {
    backupEncrypted(db, partial);
    await Promise.resolve(); // let the event loop run between the copy and its check
    assertCopyReadable(db, partial);
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
export function restoreStore(storePath: string, backup: string, now: Date, key: Buffer | null): { movedAside: string[] } {
  assertRestorable(backup, key);
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
  assertRestorable(storePath, key);
  writeStoreMarker(storePath, now);
  return { movedAside };
}

/** A fresh copy checked through the connection that made it: attached without a key, it takes the store's key. */
function assertCopyReadable(db: SqliteDatabase, file: string): void {
  db.prepare('ATTACH ? AS backup_check').run(file);
  try {
    const rows = db.pragma('backup_check.quick_check(10)') as { quick_check: string }[];
    const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
    if (problems.length > 0) throw new KioskError('STORE_CORRUPT', `备份文件不可用（${basename(file)}）。`, ['请检查磁盘后重试备份。'], { cause: new Error(problems.join('; ')) });
  } finally {
    db.exec('DETACH backup_check');
  }
}

/** A backup is usable when SQLite opens it with the store key and quick_check finds nothing. The terminal's own
 * backups follow a key rotation (db/store-key.ts); a copy taken off the terminal before one needs the old key. */
function assertRestorable(file: string, key: Buffer | null): void {
  let db: SqliteDatabase | null = null;
  try {
    const open = () => new Database(file, { readonly: true, fileMustExist: true });
    db = key ? openKeyed(file, key, open)?.db ?? null : open();
    if (!db) {
      // Not damage: another key's file. Saying "unusable" here sent IT looking for a disk fault.
      throw new KioskError('STORE_ERROR', `备份文件无法用本机密钥解开（${basename(file)}）。`, [
        '它不是本终端当前密钥下的备份：若是更换密钥（kiosk store rotate-key）之前拷出本机的备份，需用当时 keys 目录中的密钥。',
        '请选择另一个备份：kiosk store backups 列出本机的全部备份。',
      ]);
    }
    const report = quickCheck(db);
    if (!report.ok) throw new Error(report.problems.join('; '));
  } catch (err) {
    if (err instanceof KioskError) throw err;
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

import Database from 'better-sqlite3-multiple-ciphers';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { KioskError } from '../contract/errors.ts';
import { applyKey, fsyncFile, keyOpens, openKeyed, rawKey, setCipher, STORE_CIPHER, wrongKeyError, type CipherFormat } from './encryption.ts';
import { fsyncDir } from './private-files.ts';
import { restrictFile } from './private-files.ts';

type Db = Database.Database;

/**
 * Copies every table, row, index, trigger and view of the database at `sourcePath` (clear, or encrypted under
 * `sourceKey` in `sourceFormat`) into `target`, a connection to a new, empty file already keyed the way the copy
 * must be encrypted. Also the AUTOINCREMENT marks (sqlite_sequence), user_version and application_id.
 *
 * Why not `VACUUM INTO` and `PRAGMA rekey`: VACUUM INTO writes through the source connection's codec (same key,
 * same page size), and SQLite3MC refuses to change the page size of an encrypted database in a rekey. Attached to
 * the target's connection, the source is read through its own codec and every page of the copy is written through
 * the target's: no page of the copy is ever clear on disk, even when the source is a clear store.
 *
 * Like VACUUM, rowids of tables without an INTEGER PRIMARY KEY may be renumbered. Tables first, rows, then
 * indexes and triggers (so no trigger fires on the copied rows), all in one transaction of the target.
 */
export function copyDatabaseInto(target: Db, sourcePath: string, sourceKey: Buffer | null, sourceFormat: CipherFormat | null): void {
  target.pragma('foreign_keys = OFF'); // rows arrive table by table; the source's constraints held
  if (sourceFormat) setCipher(target, sourceFormat); // the attached file's settings (the target's codec is set)
  // KEY '' attaches a clear file; without a KEY clause SQLite3MC would use the target's key.
  target.prepare('ATTACH DATABASE ? AS copy_source KEY ?').run(sourcePath, sourceKey ? rawKey(sourceKey) : '');
  try {
    const objects = target
      .prepare<[], { type: string; name: string; sql: string }>(
        "SELECT type, name, sql FROM copy_source.sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
      )
      .all();
    const tables = objects.filter((o) => o.type === 'table');
    target.transaction(() => {
      for (const t of tables) target.exec(t.sql); // unqualified CREATE goes to main, the target
      for (const t of tables) copyRows(target, t.name);
      if (hasTable(target, 'copy_source', 'sqlite_sequence')) {
        target.exec('DELETE FROM main.sqlite_sequence; INSERT INTO main.sqlite_sequence (name, seq) SELECT name, seq FROM copy_source.sqlite_sequence');
      }
      for (const o of objects) if (o.type !== 'table') target.exec(o.sql);
      for (const pragma of ['user_version', 'application_id']) {
        const value = Number(target.pragma(`copy_source.${pragma}`, { simple: true }));
        target.pragma(`main.${pragma} = ${value}`);
      }
    })();
  } finally {
    target.exec('DETACH DATABASE copy_source');
  }
}

/** Rows of each table, for the check of a copy against its source. */
export function rowCounts(db: Db): Record<string, number> {
  const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all();
  return Object.fromEntries(tables.map((t) => [t.name, (db.prepare(`SELECT count(*) AS n FROM ${quote(t.name)}`).get() as { n: number }).n]));
}

function copyRows(target: Db, table: string): void {
  // Stored columns only: generated columns are computed again by the copy.
  const columns = target
    .prepare<[string], { name: string }>("SELECT name FROM pragma_table_xinfo(?, 'copy_source') WHERE hidden = 0 ORDER BY cid")
    .all(table)
    .map((c) => quote(c.name))
    .join(', ');
  target.exec(`INSERT INTO main.${quote(table)} (${columns}) SELECT ${columns} FROM copy_source.${quote(table)}`);
}

function hasTable(db: Db, schema: string, name: string): boolean {
  return db.prepare(`SELECT 1 FROM ${schema}.sqlite_schema WHERE type = 'table' AND name = ?`).get(name) !== undefined;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * True when another connection has the store open (a running terminal, another `kiosk` command), whatever its
 * clock or relay lease says: our own connection, closed after a checkpoint, takes the -wal with it only when it is
 * the last one (a -wal left by a crash goes then too, checkpointed as the terminal's next start would). The way
 * reencryptFile finds it, for the commands that must not replace the file under a live connection (restore). A
 * file that does not open with the key (damaged, another key's) says nothing: false.
 */
export function openElsewhere(path: string, key: Buffer | null): boolean {
  // A connection in WAL mode keeps the -wal while it is open: without one, nothing is open and nothing is written.
  if (!existsSync(path) || !existsSync(`${path}-wal`)) return false;
  let db: Db;
  try {
    db = openSource(path, key).db;
  } catch {
    return false;
  }
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // a damaged page: the -wal tells all the same
  } finally {
    db.close();
  }
  return existsSync(`${path}-wal`);
}

/** reencryptFile found another connection on the store: nothing was changed. */
export class StoreInUseError extends KioskError {
  constructor(path: string) {
    super('STORE_ERROR', `本地数据库正被其他程序使用，无法重新加密（${path}）。`, ['请先关闭终端程序及其他 kiosk 命令，再重试。']);
  }
}

/**
 * Re-encrypts the store file under `toKey` in STORE_CIPHER, keeping every row, the schema version and the
 * AUTOINCREMENT marks. Three uses: a clear store made before encryption (`fromKey` null), a store in an older
 * cipher format (SQLCIPHER4_DEFAULTS, same key), and a key rotation.
 *
 * Crash-safe by copy and rename, never by rewriting the live file: the current file is checkpointed, copied
 * (copyDatabaseInto) to `<path>.reencrypt` encrypted under `toKey`, the copy is checked (quick_check, schema
 * version, rows of every table), fsynced and renamed over the store. A crash before the rename leaves the old file
 * intact (the copy is deleted at the next try); after it, the new one. The caller must hold the only connection to
 * the store (the terminal at start, before its relay; the rotate-key command refuses while a terminal runs) and
 * must make `toKey` findable before calling (the key store's "next" key), so a crash right after the rename still
 * finds the key.
 */
export function reencryptFile(path: string, fromKey: Buffer | null, toKey: Buffer): void {
  const tmp = `${path}.reencrypt`;
  rmSync(tmp, { force: true });
  rmSync(`${tmp}-journal`, { force: true });
  const { db: src, format } = openSource(path, fromKey);
  let expected: { userVersion: number; rows: Record<string, number> };
  try {
    src.pragma('wal_checkpoint(TRUNCATE)');
    expected = { userVersion: Number(src.pragma('user_version', { simple: true })), rows: rowCounts(src) };
  } finally {
    src.close(); // the last connection: SQLite checkpoints and deletes the -wal
  }
  if (existsSync(`${path}-wal`)) {
    // Another process still has the store open (its connection keeps the WAL): renaming now would lose its writes.
    throw new StoreInUseError(path);
  }
  const copy = new Database(tmp);
  try {
    applyKey(copy, toKey, STORE_CIPHER);
    copyDatabaseInto(copy, path, fromKey, format);
  } catch (err) {
    copy.close();
    rmSync(tmp, { force: true });
    throw err;
  }
  copy.close();
  checkCopy(tmp, toKey, expected);
  fsyncFile(tmp);
  restrictFile(tmp);
  rmSync(`${path}-shm`, { force: true });
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}

function openSource(path: string, key: Buffer | null): { db: Db; format: CipherFormat | null } {
  const open = () => new Database(path, { fileMustExist: true });
  if (!key) {
    const db = open();
    if (keyOpens(db)) return { db, format: null };
    db.close();
    throw wrongKeyError(path);
  }
  const opened = openKeyed(path, key, open);
  if (!opened) throw wrongKeyError(path);
  return opened;
}

function checkCopy(path: string, key: Buffer, expected: { userVersion: number; rows: Record<string, number> }): void {
  const db = new Database(path, { fileMustExist: true, readonly: true });
  try {
    applyKey(db, key, STORE_CIPHER);
    const check = db.pragma('quick_check', { simple: true });
    const version = Number(db.pragma('user_version', { simple: true }));
    const rows = rowCounts(db);
    if (check !== 'ok' || version !== expected.userVersion || JSON.stringify(rows) !== JSON.stringify(expected.rows)) {
      throw new Error(`re-encrypted copy of the store failed its check (${String(check)}, schema ${version} vs ${expected.userVersion}, rows ${JSON.stringify(rows)} vs ${JSON.stringify(expected.rows)})`);
    }
  } finally {
    db.close();
  }
}

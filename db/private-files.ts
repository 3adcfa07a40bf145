import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The data folder and everything in it are readable by the terminal's service account only: the store holds
 * names, ID numbers, diagnoses and money (PIPL sensitive data), the keys folder its keys.
 *
 * POSIX: folders 0700, files 0600 (SQLite gives its -wal and -shm files the database file's mode).
 * Windows: the same through the ACL: `icacls` removes inherited entries and grants full control to the
 * service account, SYSTEM and the Administrators group only (an NTFS folder otherwise inherits "Users: read"
 * from C:\ProgramData).
 */
export function ensurePrivateDir(dir: string): void {
  const existed = existsSync(dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  restrict(dir, 'dir', existed);
}

/**
 * The folders the terminal keeps in its data folder, each private with every file in it: keys/ (the store and audit
 * keys, the kept audit head), backups/ (copies of the store), spool/ (PDFs with full names). The one list that
 * tightenDataFolder tightens and `kiosk store status` reports (cli/commands/data-folder-modes.ts).
 */
export const PRIVATE_FOLDERS = ['keys', 'backups', 'spool'] as const;

/**
 * The data folder and the folders the terminal keeps in it (PRIVATE_FOLDERS), with every file in them. What an
 * earlier build made 0755/0644 (its spool/ and PDFs) is tightened; run at the terminal's start and by
 * `kiosk store encrypt`.
 */
export function tightenDataFolder(dataDir: string): void {
  ensurePrivateDir(dataDir);
  for (const dir of PRIVATE_FOLDERS.map((name) => join(dataDir, name))) {
    if (!existsSync(dir)) continue;
    ensurePrivateDir(dir);
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      if (statSync(file).isFile()) restrictFile(file);
    }
  }
}

/**
 * Writes a file the service account alone may read, atomically: a temp file 0600 in its private folder, fsync,
 * rename over, fsync the folder. A crash leaves the old content or the new, never a torn file (keys, the kept
 * audit head).
 */
export function writePrivateFile(file: string, bytes: string | Buffer): void {
  const dir = dirname(file);
  ensurePrivateDir(dir);
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  restrictFile(tmp);
  renameSync(tmp, file);
  fsyncDir(dir);
}

/** Makes a rename in `dir` durable. */
export function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync on Windows; NTFS journals the rename
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Tightens an existing file to the service account (0600; the Windows ACL). */
export function restrictFile(file: string): void {
  if (existsSync(file)) restrict(file, 'file', true);
}

function restrict(path: string, kind: 'dir' | 'file', existed: boolean): void {
  if (process.platform === 'win32') {
    if (!existed || kind === 'dir') windowsAcl(path, kind);
    return;
  }
  chmodSync(path, kind === 'dir' ? 0o700 : 0o600);
}

/** The icacls arguments for one path: what `restrict` runs on Windows (exported for its unit test). */
export function icaclsArgs(path: string, kind: 'dir' | 'file', account: string): string[] {
  const inherit = kind === 'dir' ? '(OI)(CI)' : '';
  return [path, '/inheritance:r', '/grant:r', `${account}:${inherit}F`, `*S-1-5-18:${inherit}F`, `*S-1-5-32-544:${inherit}F`];
}

function windowsAcl(path: string, kind: 'dir' | 'file'): void {
  const account = process.env.USERDOMAIN ? `${process.env.USERDOMAIN}\\${userInfo().username}` : userInfo().username;
  execFileSync('icacls', icaclsArgs(path, kind, account), { stdio: 'ignore', windowsHide: true });
}

import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PRIVATE_FOLDERS } from '../../db/private-files.ts';

/** One path of the data folder with its POSIX mode, and whether it is wider than the service account only. */
export interface PathMode {
  path: string;
  mode: string;
  tooOpen: boolean;
}

/**
 * The modes of everything the terminal keeps in its data folder (docs/security.md, "Files"): the folder, the store
 * with its -wal, -shm and marker, and the private folders (PRIVATE_FOLDERS: keys/, backups/, spool/) with each file in them. Folders must be
 * 0700 and files 0600: anything wider is flagged (an earlier build left spool/ 0755 with 0644 PDFs). On Windows
 * the ACL decides, not these bits: nothing is flagged there.
 */
export function dataFolderModes(storePath: string): PathMode[] {
  const dataDir = dirname(storePath);
  const entry = (path: string): PathMode => {
    const st = statSync(path);
    const mode = st.mode & 0o777;
    return { path, mode: mode.toString(8), tooOpen: process.platform !== 'win32' && (mode & 0o077) !== 0 };
  };
  const files = [dataDir, storePath, `${storePath}-wal`, `${storePath}-shm`, `${storePath}.marker`].filter((p) => existsSync(p)).map(entry);
  for (const folder of PRIVATE_FOLDERS.map((f) => join(dataDir, f)).filter((f) => existsSync(f))) {
    files.push(entry(folder));
    for (const name of readdirSync(folder).sort()) files.push(entry(join(folder, name)));
  }
  return files;
}

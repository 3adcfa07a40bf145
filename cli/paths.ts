import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository (or unpacked app) root: the folder holding package.json. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

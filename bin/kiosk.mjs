#!/usr/bin/env node
// The `kiosk` command. Runs the TypeScript CLI (cli/main.ts) through tsx.
// The terminal targets Node 22 (the Node inside Electron 45); better-sqlite3 13 crashes under older Node.
// When started by another Node (e.g. the system's Node 20), re-run under the pinned Node 22 from
// node_modules/node (the "node" devDependency) so `npx kiosk …` works from any shell.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);

if (major !== 22) {
  const pinned = join(root, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(pinned)) {
    console.error(`kiosk: needs Node 22 (this is Node ${process.versions.node}); run \`npm install\` first to get the pinned Node 22.`);
    process.exit(1);
  }
  const r = spawnSync(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const { register } = await import('tsx/esm/api');
register();
const { main } = await import(pathToFileURL(join(root, 'cli', 'main.ts')).href);
process.exitCode = await main(process.argv.slice(2));

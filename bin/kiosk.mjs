#!/usr/bin/env node
// The `kiosk` command. Runs the TypeScript CLI (cli/main.ts) through tsx.
// The terminal targets Node 22 (the Node inside Electron 45); better-sqlite3 13 crashes under older Node.
// When started by another Node (e.g. the system's Node 20), re-run under the pinned Node 22 from
// node_modules/node (the "node" devDependency) so `npx kiosk …` works from any shell.
import { spawn } from 'node:child_process';
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
  // The child is the terminal: a service manager's SIGTERM (or Ctrl-C, or a closed terminal's SIGHUP) sent to
  // this wrapper must reach it, and the wrapper ends as the child did (its code, or the same signal).
  const child = spawn(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, forward);
  child.on('error', (err) => {
    console.error(`kiosk: cannot start Node 22 (${pinned}): ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.off(s, forward);
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code ?? 1);
  });
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import(pathToFileURL(join(root, 'cli', 'main.ts')).href);
  process.exitCode = await main(process.argv.slice(2));
}

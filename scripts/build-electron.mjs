// Bundles the Electron main process and the preload with esbuild.
//   dist/electron/main.cjs     electron/main/index.ts; Node (Electron 45 = Node 22); native modules external
//   dist/electron/*-worker.cjs worker threads of the main process (WORKER_BUNDLES)
//   dist/electron/preload.cjs  electron/preload/index.ts as ONE file: a sandboxed preload can require only
//                              'electron', so zod and the contract are inlined; the build fails otherwise.
// Usage: node scripts/build-electron.mjs [--out <dir>]   (npm run build:electron)
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Loaded at run time from node_modules (asarUnpack'd when packaged), never bundled. */
export const MAIN_EXTERNALS = ['electron', 'better-sqlite3-multiple-ciphers', 'serialport', '@serialport/*', 'node-hid', 'bufferutil', 'utf-8-validate'];
/**
 * Reachable from the services but never loaded under Electron: the browser host's PDF renderer drives a system
 * Chromium through playwright-core, while Electron injects its own printToPDF renderer. Left out of the bundle
 * (and of the packaged app) rather than inlined with its optional native dependencies.
 */
export const MAIN_UNUSED_UNDER_ELECTRON = ['playwright-core'];
/**
 * Worker threads' own bundles, beside main.cjs: bundle file → source. db/worker-entry.ts finds them through
 * KIOSK_BUNDLE_DIR, which every bundle of the main process gets defined as its directory.
 */
export const WORKER_BUNDLES = {
  'wal-checkpoint-worker.cjs': 'db/wal-checkpoint-worker.ts',
  // The relay's commits (services/sync/relay-commit-worker.ts, issue 11).
  'relay-commit-worker.cjs': 'services/sync/relay-commit-worker.ts',
};
/** The only module a sandboxed preload may require. */
export const PRELOAD_ALLOWED_REQUIRES = ['electron'];

/**
 * Services find their data files next to their sources (`join(import.meta.dirname, 'data', …)`,
 * `new URL('./x.json', import.meta.url)`). In one CJS bundle there is no per-module import.meta, so each
 * source's own location is written in, relative to the app root (the repository, or app.asar when packaged),
 * and electron-builder.yml ships those data folders.
 */
const sourceLocationPlugin = {
  name: 'kiosk-source-location',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta')) return undefined;
      const rel = relative(root, args.path).split(sep).join('/');
      const contents = source
        .replaceAll('import.meta.dirname', `__kioskSourceDir(${JSON.stringify(rel)})`)
        .replaceAll('import.meta.filename', `__kioskSourceFile(${JSON.stringify(rel)})`)
        .replaceAll('import.meta.url', `__kioskSourceUrl(${JSON.stringify(rel)})`);
      return { contents, loader: 'ts' };
    });
  },
};

const MAIN_BANNER = [
  '"use strict";',
  // dist/electron/main.cjs → the app root two levels up.
  "const __kioskAppRoot = require('node:path').join(__dirname, '..', '..');",
  "const __kioskSourceFile = (rel) => require('node:path').join(__kioskAppRoot, ...rel.split('/'));",
  "const __kioskSourceDir = (rel) => require('node:path').dirname(__kioskSourceFile(rel));",
  "const __kioskSourceUrl = (rel) => require('node:url').pathToFileURL(__kioskSourceFile(rel)).href;",
].join('\n');

export async function buildElectron({ outDir = join(root, 'dist', 'electron'), logLevel = 'warning' } = {}) {
  /** The main process and its worker threads: Node, CommonJS, native modules external. */
  const nodeBundle = (entry, outfile) =>
    build({
      absWorkingDir: root,
      entryPoints: [join(root, entry)],
      outfile: join(outDir, outfile),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node22',
      external: [...MAIN_EXTERNALS, ...MAIN_UNUSED_UNDER_ELECTRON],
      plugins: [sourceLocationPlugin],
      banner: { js: MAIN_BANNER },
      define: { KIOSK_BUNDLE_DIR: '__dirname' },
      sourcemap: 'linked',
      metafile: true,
      logLevel,
    });
  const main = await nodeBundle('electron/main/index.ts', 'main.cjs');
  for (const [outfile, entry] of Object.entries(WORKER_BUNDLES)) await nodeBundle(entry, outfile);
  const preload = await build({
    absWorkingDir: root,
    entryPoints: [join(root, 'electron/preload/index.ts')],
    outfile: join(outDir, 'preload.cjs'),
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    target: 'chrome130',
    minify: true, // parsed on every page load; zod is most of it
    external: PRELOAD_ALLOWED_REQUIRES,
    sourcemap: false,
    metafile: true,
    logLevel,
  });
  const preloadOut = Object.values(preload.metafile.outputs)[0];
  const preloadRequires = [...new Set((preloadOut?.imports ?? []).filter((i) => i.external).map((i) => i.path))];
  const forbidden = preloadRequires.filter((p) => !PRELOAD_ALLOWED_REQUIRES.includes(p));
  if (forbidden.length > 0) throw new Error(`preload bundle requires ${forbidden.join(', ')}: a sandboxed preload may only require 'electron'`);
  return {
    mainFile: join(outDir, 'main.cjs'),
    preloadFile: join(outDir, 'preload.cjs'),
    preloadRequires,
    mainExternals: [...new Set(Object.values(main.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path)))],
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--out');
  const outDir = at > 0 ? resolve(process.argv[at + 1]) : undefined;
  buildElectron(outDir ? { outDir } : {}).then(
    (r) => console.log(`built ${r.mainFile} and ${r.preloadFile} (preload requires: ${r.preloadRequires.join(', ') || 'nothing'})`),
    (err) => {
      console.error(`build-electron: ${err.message}`);
      process.exit(1);
    },
  );
}

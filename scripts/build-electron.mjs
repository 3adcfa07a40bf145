// Bundles the Electron main process and the preload with esbuild.
//   dist/electron/main.cjs     electron/main/index.ts; Node (Electron 45 = Node 22); native modules external
//   dist/electron/preload.cjs  electron/preload/index.ts as ONE file: a sandboxed preload can require only
//                              'electron', so zod and the contract are inlined; the build fails otherwise.
// Usage: node scripts/build-electron.mjs [--out <dir>]   (npm run build:electron)
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Loaded at run time from node_modules (asarUnpack'd when packaged), never bundled. */
export const MAIN_EXTERNALS = ['electron', 'better-sqlite3', 'serialport', '@serialport/*', 'node-hid', 'bufferutil', 'utf-8-validate'];
/** The only module a sandboxed preload may require. */
export const PRELOAD_ALLOWED_REQUIRES = ['electron'];

export async function buildElectron({ outDir = join(root, 'dist', 'electron'), logLevel = 'warning' } = {}) {
  const main = await build({
    absWorkingDir: root,
    entryPoints: [join(root, 'electron/main/index.ts')],
    outfile: join(outDir, 'main.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: MAIN_EXTERNALS,
    // ESM sources use import.meta.url to find files; in a CJS bundle it comes from __filename.
    define: { 'import.meta.url': '__kioskImportMetaUrl' },
    banner: { js: "const __kioskImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    sourcemap: 'linked',
    metafile: true,
    logLevel,
  });
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

// npm run check:builder: validates electron-builder.yml without packaging (packaging needs the Electron zip,
// which this build machine cannot download). Loads the file the way electron-builder does and checks it
// against electron-builder's own JSON schema (app-builder-lib's validateConfiguration), then checks what
// this project requires of it: targets, native modules outside the asar, no rebuild, the fuses hook.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

export const REQUIRED_TARGETS = {
  win: { nsis: ['x64'], portable: ['x64'] },
  linux: { AppImage: ['x64', 'arm64'], deb: ['x64', 'arm64'] },
};
export const NATIVE_MODULES = ['better-sqlite3-multiple-ciphers', '@serialport/bindings-cpp', 'node-hid'];

export async function checkBuilderConfig(configFile = join(root, 'electron-builder.yml')) {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
  const { DebugLogger } = require('builder-util/out/DebugLogger.js');
  const { log } = require('builder-util');
  const quiet = log.info;
  log.info = () => undefined; // "loaded configuration" noise
  let config;
  try {
    config = await getConfig(root, configFile, null);
    await validateConfiguration(config, new DebugLogger(false));
  } finally {
    log.info = quiet;
  }

  const problems = [];
  for (const [platform, wanted] of Object.entries(REQUIRED_TARGETS)) {
    const targets = config[platform]?.target ?? [];
    for (const [name, arches] of Object.entries(wanted)) {
      const t = targets.find((x) => (typeof x === 'string' ? x : x.target) === name);
      const have = t && typeof t === 'object' ? t.arch ?? [] : [];
      for (const arch of arches) if (!have.includes(arch)) problems.push(`${platform} target ${name} lacks ${arch}`);
    }
  }
  for (const mod of NATIVE_MODULES) {
    if (!(config.asarUnpack ?? []).some((p) => p.startsWith(`node_modules/${mod}/`))) problems.push(`${mod} is not in asarUnpack`);
  }
  if (config.asar === false) problems.push('asar must stay on (onlyLoadAppFromAsar fuse)');
  if (config.npmRebuild !== false) problems.push('npmRebuild must be false (N-API prebuilds; no Electron headers download)');
  if (config.electronFuses) problems.push('fuses are flipped by the afterPack hook; electronFuses would flip them twice');
  const hookFile = typeof config.afterPack === 'string' ? join(root, config.afterPack) : null;
  if (!hookFile || !existsSync(hookFile)) problems.push(`afterPack hook missing: ${config.afterPack}`);
  else if (typeof require(hookFile) !== 'function') problems.push('afterPack hook does not export a function');
  // electron-builder normalises `files` to [{ filter: [...] }].
  const files = (config.files ?? []).flatMap((f) => (typeof f === 'string' ? [f] : f.filter ?? []));
  for (const needed of ['dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/electron/*-worker.cjs', 'dist/renderer/**/*']) if (!files.includes(needed)) problems.push(`files lacks ${needed}`);
  return { config, problems };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  checkBuilderConfig().then(
    ({ problems }) => {
      if (problems.length > 0) {
        console.error(`electron-builder.yml: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
        process.exit(1);
      }
      console.log('electron-builder.yml: valid against the electron-builder schema; targets, asarUnpack, npmRebuild and the fuses hook as required');
    },
    (err) => {
      console.error(`electron-builder.yml: ${err.message}`);
      process.exit(1);
    },
  );
}

// Electronegativity (Doyensec's Electron security scanner) over the sources: npm run lint:electron.
//
// Runs the scanner's programmatic API, offline, over one staging copy of the folders listed in
// electronegativity.config.json (its global checks, e.g. "is will-navigate limited anywhere", need the main
// process, the preload and the renderer in one scan). Fails on any HIGH finding, and on any MEDIUM finding
// that is not listed in the config's "accepted" with a reason (docs/electron.md explains each).
//
// Why not `npx electronegativity`: its CLI needs a `commander` it does not declare (it crashes with
// whatever version npm hoisted), and it fetches translations from the network on start. Here the
// translations come from the package's own en-US locale, and the one check that downloads Electron
// release data (AvailableSecurityFixesGlobalCheck) is excluded in the config: Electron upgrades are
// tracked by the pinned devDependency instead.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** Replaces the scanner's i18n bootstrap (which calls out to the network) with its bundled en-US locale. */
function installOfflineTranslations() {
  const i18nModule = require.resolve('@doyensec/electronegativity/dist/locales/i18n.js');
  const i18n = require(require.resolve('i18n', { paths: [dirname(i18nModule)] }));
  const offline = async () => {
    i18n.configure({ locales: ['en-US'], defaultLocale: 'en-US', directory: dirname(i18nModule), updateFiles: false, objectNotation: true, retryInDefaultLocale: true, register: globalThis });
    i18n.setLocale('en-US');
  };
  require.cache[i18nModule] = { id: i18nModule, filename: i18nModule, loaded: true, exports: offline };
}

/** Scans the configured folders (relative to the config file); returns every finding and which fail the build. */
export async function scan(configPath = join(root, 'electronegativity.config.json')) {
  const config = JSON.parse(readFileSync(configPath, 'utf8'));
  const base = dirname(resolve(configPath));
  installOfflineTranslations();
  const run = require('@doyensec/electronegativity');
  const stage = mkdtempSync(join(tmpdir(), 'electronegativity-'));
  try {
    for (const folder of config.input) cpSync(join(base, folder), join(stage, folder), { recursive: true });
    cpSync(join(root, 'package.json'), join(stage, 'package.json'));
    const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
    const result = await run({
      input: stage,
      customScan: [],
      excludeFromScan: config.excludeChecks ?? [],
      electronVersionOverride: electronVersion,
      parserPlugins: [],
      isRelative: false,
    });
    const accepted = new Map((config.accepted ?? []).map((a) => [a.id, a.reason]));
    const findings = result.issues.map((i) => ({
      id: i.id,
      severity: i.severity.name,
      confidence: i.confidence.name,
      file: i.file === 'N/A' ? 'N/A' : relative(stage, i.file),
      line: i.location.line,
      description: i.description,
      acceptedReason: accepted.get(i.id) ?? null,
    }));
    const failing = findings.filter((f) => f.severity === 'HIGH' || (f.severity === 'MEDIUM' && f.acceptedReason === null));
    return { electronVersion, checks: result.globalChecks + result.atomicChecks, parseErrors: result.errors, findings, failing };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  scan().then(
    (r) => {
      console.log(`electronegativity: ${r.checks} checks, Electron ${r.electronVersion}, ${r.findings.length} finding(s)`);
      for (const e of r.parseErrors) console.log(`  parse ${e.tolerable ? 'warning' : 'ERROR'} ${e.file}: ${e.message}`);
      for (const f of r.findings) {
        const verdict = r.failing.includes(f) ? 'FAIL' : f.acceptedReason ? 'accepted' : 'note';
        console.log(`  [${verdict}] ${f.severity}/${f.confidence} ${f.id} ${f.file}${f.line ? `:${f.line}` : ''}`);
        if (f.acceptedReason) console.log(`      reason: ${f.acceptedReason}`);
        else if (verdict === 'FAIL') console.log(`      ${f.description}`);
      }
      const hardErrors = r.parseErrors.filter((e) => !e.tolerable);
      if (r.failing.length > 0 || hardErrors.length > 0) {
        console.error(`electronegativity: ${r.failing.length} finding(s) at HIGH or unaccepted MEDIUM, ${hardErrors.length} file(s) not parsed`);
        process.exit(1);
      }
      console.log('electronegativity: no HIGH finding, no unaccepted MEDIUM finding');
    },
    (err) => {
      console.error(`electronegativity: ${err.stack ?? err}`);
      process.exit(1);
    },
  );
}

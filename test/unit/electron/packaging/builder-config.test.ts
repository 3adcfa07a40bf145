import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, matchesGlob, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM script without type declarations
import { checkBuilderConfig } from '../../../../scripts/packaging/check-builder-config.mjs';

// electron-builder cannot package here (no Electron zip), so the configuration is checked against
// electron-builder's own JSON schema and this project's requirements instead.
type Checked = { config: Record<string, unknown>; problems: string[] };
const temp: string[] = [];
afterAll(() => temp.forEach((d) => rmSync(d, { recursive: true, force: true })));

function variant(edit: (yml: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-builder-'));
  temp.push(dir);
  const file = join(dir, 'electron-builder.yml');
  writeFileSync(file, edit(readFileSync(new URL('../../../../electron-builder.yml', import.meta.url), 'utf8')));
  return file;
}

describe('electron-builder.yml', () => {
  it('is valid for electron-builder and meets the project requirements', async () => {
    const { config, problems } = (await checkBuilderConfig()) as Checked;
    expect(problems).toEqual([]);
    expect(config.npmRebuild).toBe(false);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['node_modules/better-sqlite3-multiple-ciphers/**', 'node_modules/@serialport/bindings-cpp/**', 'node_modules/node-hid/**']));
  });

  it('ships every data file the services read at run time (JSON, TSV, the pty relay) and no source', async () => {
    const { config } = (await checkBuilderConfig()) as Checked;
    const patterns = (config.files as Array<{ filter: string[] }>).flatMap((f) => f.filter);
    const include = patterns.filter((p) => !p.startsWith('!'));
    const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
    const shipped = (file: string) => include.some((p) => matchesGlob(file, p)) && !exclude.some((p) => matchesGlob(file, p));
    const dataFiles = ['services', 'drivers', 'db', 'insurance', 'contract', 'fixtures'].flatMap((dir) =>
      (readdirSync(new URL(`../../../../${dir}`, import.meta.url), { recursive: true }) as string[])
        .map((f) => `${dir}/${f.split(sep).join('/')}`)
        .filter((f) => /\.(json|tsv|csv|py|txt)$/.test(f)),
    );
    expect(dataFiles.length).toBeGreaterThan(5);
    expect(dataFiles.filter((f) => !shipped(f))).toEqual([]);
    for (const code of ['services/terminal.ts', 'electron/main/index.ts', 'cli/main.ts', 'test/unit/electron/fakes.ts']) expect(shipped(code), code).toBe(false);
  });

  it('is rejected by the schema check when it has an option electron-builder does not know', async () => {
    await expect(checkBuilderConfig(variant((y) => y.replace('oneClick: false', 'oneClik: false')))).rejects.toThrow(/Invalid configuration object|oneClik/);
  });

  it('reports a missing arm64 target, a native module left inside the asar, and npmRebuild', async () => {
    const file = variant((y) =>
      y
        .replace('    - target: deb\n      arch: [x64, arm64]', '    - target: deb\n      arch: [x64]')
        .replace('  - node_modules/node-hid/**\n', '')
        .replace('npmRebuild: false', 'npmRebuild: true'),
    );
    const { problems } = (await checkBuilderConfig(file)) as Checked;
    expect(problems).toEqual(expect.arrayContaining(['linux target deb lacks arm64', 'node-hid is not in asarUnpack', expect.stringContaining('npmRebuild')]));
  });
});

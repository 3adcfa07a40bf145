import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['node_modules/better-sqlite3/**', 'node_modules/@serialport/bindings-cpp/**', 'node_modules/node-hid/**']));
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

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM script without type declarations
import { scan } from '../../../scripts/electronegativity.mjs';

type Finding = { id: string; severity: string; file: string; acceptedReason: string | null };
type ScanResult = { findings: Finding[]; failing: Finding[]; parseErrors: Array<{ tolerable: boolean }> };

const temp: string[] = [];
afterAll(() => temp.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('npm run lint:electron (Electronegativity, offline)', () => {
  it('finds no HIGH and no unaccepted MEDIUM finding in electron/main, electron/preload and renderer', async () => {
    const r = (await scan()) as ScanResult;
    expect(r.failing).toEqual([]);
    expect(r.parseErrors.filter((e) => !e.tolerable)).toEqual([]);
    for (const f of r.findings.filter((x) => x.severity === 'MEDIUM')) expect(f.acceptedReason?.length ?? 0, f.id).toBeGreaterThan(40);
  });

  it('fails a window that drops context isolation and the sandbox, in an app that limits neither navigation nor permissions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eng-fixture-'));
    temp.push(dir);
    mkdirSync(join(dir, 'src'));
    writeFileSync(
      join(dir, 'src', 'main.js'),
      "const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n",
    );
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ input: ['src'], excludeChecks: ['AvailableSecurityFixesGlobalCheck'], accepted: [] }));
    const r = (await scan(join(dir, 'config.json'))) as ScanResult;
    const failingIds = r.failing.map((f) => f.id);
    expect(failingIds).toEqual(
      expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK']),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// Runs the real layering configuration over a folder of deliberate violations: each rule must fire, so a
// broken rule (a typo in a path pattern) cannot pass silently.
const root = process.cwd();
const fixture = join(root, 'test', 'fixtures', 'layering-violations');

describe('layering lint', () => {
  it('fails on each deliberate violation and names the rule', () => {
    const r = spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs'), '--config', join(root, '.dependency-cruiser.cjs'), '--no-progress', '--output-type', 'err', 'base', 'renderer', 'services', 'insurance', 'payments', 'contract', 'electron'],
      { cwd: fixture, encoding: 'utf8' },
    );
    const out = r.stdout + r.stderr;
    expect(r.status).not.toBe(0);
    for (const rule of ['base-imports-nothing', 'renderer-no-node', 'renderer-no-electron-or-native', 'electron-only-in-main-and-preload', 'sandbox-never-imports-client', 'payment-sandbox-never-imports-client', 'contract-is-pure']) {
      expect(out).toContain(rule);
    }
    expect(out).not.toContain('electron/main/ok.ts');
    expect(out).toContain('base/uses-contract.ts → contract/uses-insurance.ts');
    expect(out).toContain('base/uses-contract.ts → fs');
    expect(out).not.toContain('base/ok.ts');
  });
});

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `kiosk sandbox` argument handling (its normal start and kill -9 are in durability.test.ts).

const KIOSK = fileURLToPath(new URL('../../../../bin/kiosk.mjs', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [KIOSK, 'sandbox', ...args], { encoding: 'utf8', timeout: 60_000 });

describe('kiosk sandbox arguments', () => {
  it('prints its usage', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('kiosk sandbox [--port <n>] [--fixtures <file>] [--state <file>] [--now <ISO time>]');
  });

  it('refuses a bad port, a bad time, a missing fixtures file and --frozen without --now, in one line each', () => {
    for (const [args, text] of [
      [['--port', 'abc'], '--port must be 0..65535'],
      [['--now', 'tomorrow'], '--now is not an ISO time'],
      [['--fixtures', '/nonexistent.json'], 'no such fixtures file'],
      [['--frozen'], '--frozen needs --now'],
    ] as const) {
      const r = run(...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(text);
    }
  });
});

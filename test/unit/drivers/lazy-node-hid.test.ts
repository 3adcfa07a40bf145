import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('node-hid is loaded lazily', () => {
  it('is not imported when drivers/index.ts is, so a machine without HID support still starts', () => {
    // A fresh process with a resolve hook that records every module resolved under node_modules/node-hid.
    const script = `
      import { registerHooks } from 'node:module';
      const hits = [];
      registerHooks({ resolve(s, c, next) { const r = next(s, c); if (r.url.includes('/node_modules/node-hid/')) hits.push(r.url); return r; } });
      await import(${JSON.stringify(`${root}drivers/index.ts`)});
      console.log(JSON.stringify(hits));
    `;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.trim())).toEqual([]);
  });
});

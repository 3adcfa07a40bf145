import { describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `kiosk` started by a Node other than 22 (the system's Node 20 on our machines) re-runs itself under the
 * pinned Node 22: a signal to the wrapper must reach that child, and the wrapper must end as the child did.
 * Before, SIGTERM ended the wrapper and left the Node 22 terminal running.
 */
const KIOSK = resolve(import.meta.dirname, '../../../bin/kiosk.mjs');
const SYSTEM_NODE = process.env.KIOSK_OTHER_NODE ?? '/usr/bin/node';

function otherNodeMajor(): number | null {
  try {
    return Number(execFileSync(SYSTEM_NODE, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).trim());
  } catch {
    return null;
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the kiosk wrapper under another Node', () => {
  const major = otherNodeMajor();
  if (major === null || major === 22) {
    // Loud, and a failure in CI: the defect only exists under another Node.
    it('needs a Node other than 22 at KIOSK_OTHER_NODE or /usr/bin/node', () => {
      if (process.env.CI) throw new Error(`no Node other than 22 at ${SYSTEM_NODE}`);
      console.warn(`SKIPPED: no Node other than 22 at ${SYSTEM_NODE}`);
    });
    return;
  }

  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    it(`forwards ${signal} to its Node 22 child and exits as the child did`, async () => {
      const wrapper = spawn(SYSTEM_NODE, [KIOSK, 'sandbox', '--port', '0', '--state', join(mkdtempSync(join(tmpdir(), 'kiosk-wrapper-')), 'state.json')], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, KIOSK_CONFIG: '' },
      });
      const exited = new Promise<{ code: number | null; signal: string | null }>((r) => wrapper.once('exit', (code, sig) => r({ code, signal: sig })));
      await new Promise<void>((ready, fail) => {
        const timer = setTimeout(() => fail(new Error('the sandbox did not start within 30 s')), 30_000);
        createInterface({ input: wrapper.stdout! }).on('line', (line) => {
          if (line.includes('"url"')) {
            clearTimeout(timer);
            ready();
          }
        });
      });
      const child = Number(execFileSync('ps', ['-o', 'pid=', '--ppid', String(wrapper.pid)], { encoding: 'utf8' }).trim());
      expect(child).toBeGreaterThan(0);
      expect(execFileSync('ps', ['-o', 'args=', '-p', String(child)], { encoding: 'utf8' })).toContain('node_modules/node/bin/node');

      wrapper.kill(signal);
      const outcome = await exited;
      // The sandbox closes on SIGINT/SIGTERM and exits 0; it has no SIGHUP handler, so it dies of SIGHUP and the
      // wrapper re-raises it.
      expect(outcome).toEqual(signal === 'SIGHUP' ? { code: null, signal: 'SIGHUP' } : { code: 0, signal: null });
      const deadline = Date.now() + 5_000;
      while (alive(child) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(alive(child)).toBe(false);
    }, 60_000);
  }
});

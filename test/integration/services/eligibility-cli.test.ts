import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EligibilityDecision } from '../../../contract/dto/eligibility.ts';
import { VirtualReaderControl } from '../../../drivers/virtual/control-client.ts';
import { startVirtualReader, type VirtualReader } from '../../../drivers/virtual/start-virtual-reader.ts';
import { startTestSandbox, type TestSandbox } from '../../../insurance/sandbox/testing.ts';

/** `kiosk eligibility` as a technician runs it: a real process, a card in the virtual reader, the sandbox. */
const run = promisify(execFile);
const repo = join(import.meta.dirname, '..', '..', '..');
let sandbox: TestSandbox;
let reader: VirtualReader;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-cli-'));
  sandbox = await startTestSandbox({ frozen: false });
  reader = await startVirtualReader({ link: 'serial', controlPort: 0 });
}, 60_000);
afterAll(async () => {
  await reader?.stop();
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function kiosk(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [join(repo, 'bin', 'kiosk.mjs'), 'eligibility', ...args, '--platform', sandbox.endpoint], {
      cwd: repo,
      env: { ...process.env, KIOSK_DATA_DIR: dir, KIOSK_LOG_LEVEL: 'error' },
      timeout: 60_000,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

describe('kiosk eligibility', () => {
  it('--serial: reads the card and prints the decision as JSON', async () => {
    await new VirtualReaderControl(reader.controlUrl!).insert('nj-filed-long-term/g3');
    const r = await kiosk(['--serial', reader.path!, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as EligibilityDecision;
    expect(d).toMatchObject({ direct: true, scope: 'in-province', visitCase: 'filed-long-term', reduction: 0, person: { displayCertNo: '3201**********1717' } });
  });

  it('--cert-type 02: a refusal in Chinese, with the guidance, masked', async () => {
    const r = await kiosk(['--cert-type', '02', '--cert-no', '340100197811112328']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/不能医保直接结算\s+范围 跨省异地\s+类别 未备案/);
    expect(r.stdout).toMatch(/国家医保服务平台 APP/);
    expect(r.stdout).toMatch(/住院费用清单/);
    expect(r.stdout).not.toContain('340100197811112328');
    expect(r.stdout).toContain('沈*兰');
  });

  it('a typo in the ID number: exit code 1 and a JSON error', async () => {
    const r = await kiosk(['--cert-type', '02', '--cert-no', '340100197811112329', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'INVALID_ARGUMENT' } });
  });

  it('usage errors: exit code 2', async () => {
    expect((await kiosk(['--cert-type', '04', '--cert-no', 'x'])).code).toBe(2);
  });
});

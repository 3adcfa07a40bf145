import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PtyRelay } from '../../../drivers/virtual/pty.ts';
import { ROOT, node22, spawnVirtualReader, stopChild, type VirtualReaderProcess } from './helpers.ts';

/** `kiosk read-card` as a technician runs it, against the virtual reader process. */
function kiosk(args: string[], timeoutMs = 30_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(node22(), [`${ROOT}bin/kiosk.mjs`, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => {
      void stopChild(child);
      reject(new Error(`kiosk ${args.join(' ')} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let vr: VirtualReaderProcess;

beforeAll(async () => {
  vr = await spawnVirtualReader(['--insert', 'nj-filed-long-term/g3']);
}, 60_000);

afterAll(async () => {
  await vr?.stop();
});

describe('kiosk read-card', () => {
  it('prints the card as JSON with exactly the documented fields', async () => {
    const r = await kiosk(['read-card', '--serial', vr.path, '--json']);
    expect(r.code).toBe(0);
    const card = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(card).sort()).toEqual(
      ['atrHistorical', 'birthDate', 'birthplace', 'cardNo', 'cardSn', 'expiryDate', 'generation', 'iReadCardBas', 'issueDate', 'name', 'nameExt', 'nation', 'regionCode', 'sex', 'specVersion', 'ssn'].sort(),
    );
    expect(card).toMatchObject({ generation: 3, name: '赵国庆', ssn: '320100195810011717', cardNo: 'A00010968', cardSn: '320100D1560000056A797063B988CBCF', regionCode: '320100', sex: '1', birthDate: '1958-10-01' });
  });

  it('masks name and ID number in the human-readable form', async () => {
    const r = await kiosk(['read-card', '--serial', vr.path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('赵*庆');
    expect(r.stdout).toContain('3201**********1717');
    expect(r.stdout).not.toContain('320100195810011717');
  });

  it('prints {error:{code,message}} and exits 1 when the card cannot be read', async () => {
    await vr.control.remove();
    await vr.control.insert('citizen-card-no-ssse');
    const r = await kiosk(['read-card', '--serial', vr.path, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'CARD_NOT_SSCARD', message: '这张卡没有社保应用（可能是旧版市民卡）' } });
    await vr.control.remove();
  });

  it('waits for a card with --wait', async () => {
    const running = kiosk(['read-card', '--serial', vr.path, '--json', '--wait', '20']);
    await new Promise((r) => setTimeout(r, 1500));
    await vr.control.insert('local-resident/g2');
    const r = await running;
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: '李秀英', generation: 2 });
  });

  it('says READER_NOT_FOUND when nothing answers the probe on the port, or the port does not exist', async () => {
    const silent = await PtyRelay.open();
    try {
      const r = await kiosk(['read-card', '--serial', silent.path, '--json']);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout).error.code).toBe('READER_NOT_FOUND');
    } finally {
      await silent.close();
    }
    const r = await kiosk(['read-card', '--serial', '/dev/no-such-port', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.code).toBe('READER_NOT_FOUND');
  });
});

import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photoOf } from '../../../drivers/virtual/idcard/idcard-definition.ts';
import { VirtualIdCardReader } from '../../../drivers/virtual/idcard/virtual-idcard-reader.ts';
import { ROOT, node22 } from './helpers.ts';

/** `kiosk read-idcard` (idcard-link.md §11) as a technician or an outside check runs it, against the virtual ID card reader. */
function kiosk(args: string[], timeoutMs = 30_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(node22(), [`${ROOT}bin/kiosk.mjs`, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kiosk ${args.join(' ')} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let vr: VirtualIdCardReader;
beforeAll(async () => {
  vr = await VirtualIdCardReader.start();
}, 30_000);
afterAll(async () => {
  await vr?.stop();
});

describe('kiosk read-idcard', () => {
  it('--json prints exactly one object with the §11 fields, the photo byte for byte', async () => {
    vr.setQuirks([]);
    vr.place('hk-resident');
    const r = await kiosk(['read-idcard', '--serial', vr.path, '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const card = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(card)).toEqual(['cardType', 'name', 'sex', 'nation', 'birthDate', 'address', 'idNumber', 'issuer', 'validFrom', 'validTo', 'expired', 'photoWlt', 'passNumber', 'issueCount']);
    expect(card).toMatchObject({ cardType: 'hmt', name: '陈家明', sex: { code: '1', word: '男' }, nation: null, passNumber: 'H12345678' });
    expect(Buffer.from(card.photoWlt as string, 'base64')).toEqual(Buffer.from(photoOf('hk-resident')));
    expect(r.stderr).toBe('');
  });

  it('--json --new-address with --baud 9600 on a 9600 reader', async () => {
    vr.setQuirks(['baud9600']);
    vr.place('li-xiaohong');
    const r = await kiosk(['read-idcard', '--serial', vr.path, '--json', '--baud', '9600', '--new-address']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: '李小红', newAddress: '江苏省无锡市滨湖区示例路8号' });
  });

  it('prints {"error":{code,message}} and exits 1: NO_CARD, NO_READER, UNSUPPORTED_CARD_TYPE, PORT_ERROR', async () => {
    vr.setQuirks(['no-card']);
    let r = await kiosk(['read-idcard', '--serial', vr.path, '--json', '--wait-ms', '500']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'NO_CARD', message: '未检测到身份证，请将身份证放在读卡区' } });
    vr.setQuirks(['mute']);
    r = await kiosk(['read-idcard', '--serial', vr.path, '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'NO_READER' } });
    vr.setQuirks([]);
    vr.place('type-y');
    r = await kiosk(['read-idcard', '--serial', vr.path, '--json']);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'UNSUPPORTED_CARD_TYPE', message: '暂不支持此类证件（类型标识 Y）' } });
    r = await kiosk(['read-idcard', '--serial', '/dev/no-such-reader', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'PORT_ERROR' } });
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('masks the name and number in the technician form', async () => {
    vr.setQuirks([]);
    vr.place('li-xiaohong');
    const r = await kiosk(['read-idcard', '--serial', vr.path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('李*红');
    expect(r.stdout).toContain('3201**********304X');
    expect(r.stdout).not.toContain('32010219581123304X');
  });
});

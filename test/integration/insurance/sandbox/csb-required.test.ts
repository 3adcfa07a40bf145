import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../../../../insurance/sandbox/testing.ts';
import { csbSign } from '../../../../insurance/sandbox/http/csb-signature.ts';
import { DEMO, Wire } from './wire.ts';

// A world whose CSB gateway requires the signature: the default world with csb.required = true.

let dir: string;
let sb: TestSandbox;

beforeAll(async () => {
  const src = fileURLToPath(new URL('../../../../insurance/sandbox/fixtures/default.json', import.meta.url));
  const world = JSON.parse(readFileSync(src, 'utf8'));
  world.csb = { required: true, credentials: [{ accessKey: 'ak-1', secretKey: 'sk-1' }] };
  world.peopleFile = fileURLToPath(new URL('../../../../fixtures/people.json', import.meta.url));
  world.parametersFile = fileURLToPath(new URL('../../../../policy/parameters.json', import.meta.url));
  dir = mkdtempSync(join(tmpdir(), 'sandbox-csb-'));
  writeFileSync(join(dir, 'world.json'), JSON.stringify(world));
  sb = await startTestSandbox({ fixturesPath: join(dir, 'world.json') });
});
afterAll(async () => {
  await sb?.close();
  rmSync(dir, { recursive: true, force: true });
});

const params = { _api_access_key: 'ak-1', _api_name: 'callService', _api_timestamp: '1795000000', _api_version: 'V1.0' };

it('refuses requests without the headers, and with an unknown access key', async () => {
  const w = new Wire(sb.url, DEMO);
  const bare = await w.send('9001', { signIn: { opter_no: 'ZZJ01', mac: '', ip: '127.0.0.1' } });
  expect(bare.http).toBe(401);
  expect(bare.body.err_msg).toBe('CSB网关：缺少_api_签名头');
  const other = { ...params, _api_access_key: 'ak-2' };
  expect((await w.send('9001', { signIn: { opter_no: 'ZZJ01', mac: '', ip: '127.0.0.1' } }, { headers: { ...other, _api_signature: csbSign('sk-1', other) } })).http).toBe(401);
});

it('answers signed requests', async () => {
  const w = new Wire(sb.url, DEMO);
  const headers = { ...params, _api_signature: csbSign('sk-1', params) };
  const r = await w.send('9001', { signIn: { opter_no: 'ZZJ01', mac: '', ip: '127.0.0.1' } }, { headers });
  expect(r.body.infcode).toBe(0);
});

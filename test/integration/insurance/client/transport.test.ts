import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  fetchPersonInfo,
  PlatformBadResponseError,
  PlatformConnectionLostError,
  PlatformHttpStatusError,
  PlatformRefusedError,
  PlatformTimeoutError,
  PlatformUnreachableError,
  queryInHospital,
  type PlatformClient,
} from '../../../../insurance/client/index.ts';
import { FakePlatform } from './fake-platform.ts';
import { failure, makeClient } from './make-client.ts';

/**
 * How the client classifies what happens on the wire, against a real HTTP server on 127.0.0.1 that misbehaves
 * on purpose: before sending = not applied; after sending = outcome unknown.
 */

const ANY = z.unknown();
let platform: FakePlatform;
let client: PlatformClient;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeEach(async () => {
  platform = await new FakePlatform().start();
  client = makeClient(platform.url).client;
});

afterEach(async () => {
  client.close();
  await platform.close();
});

describe('before the request is sent: not applied', () => {
  it('connection refused is unreachable', async () => {
    const port = await freePort();
    const { client: offline } = makeClient(`http://127.0.0.1:${port}/`);
    try {
      const e = await failure(offline.call({ infno: '9001', input: {} }, ANY));
      expect(e).toBeInstanceOf(PlatformUnreachableError);
      expect(e).toMatchObject({ kind: 'unreachable', outcome: 'not-applied', code: 'ECONNREFUSED', infno: '9001' });
    } finally {
      offline.close();
    }
  });

  it('no TCP connection within the connect timeout is unreachable', async () => {
    // A listener that never accepts, with a full backlog: the kernel drops further SYNs, so connect() hangs.
    // A Node child that listens (backlog 1: Node reads 0 as its default 511), prints its port and then blocks
    // its own event loop: it never accepts.
    const holder = `const s = require('net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
      process.stdout.write(s.address().port + '\\n', () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30000));
    });`;
    const py = spawn(process.execPath, ['-e', holder], { stdio: ['ignore', 'pipe', 'inherit'] });
    const fillers: net.Socket[] = [];
    let offline: PlatformClient | null = null;
    try {
      const port = await new Promise<number>((resolve, reject) => {
        py.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
        py.once('error', reject);
      });
      for (let i = 0; i < 4; i++) fillers.push(net.connect(port, '127.0.0.1').on('error', () => undefined));
      await new Promise((r) => setTimeout(r, 200));
      offline = makeClient(`http://127.0.0.1:${port}/`, { timeouts: { connectMs: 300 } }).client;
      const started = Date.now();
      const e = await failure(offline.call({ infno: '9001', input: {}, timeoutMs: 5_000 }, ANY));
      expect(e).toMatchObject({ kind: 'unreachable', outcome: 'not-applied', code: 'CONNECT_TIMEOUT' });
      expect(Date.now() - started).toBeLessThan(4_000);
    } finally {
      offline?.close();
      for (const s of fillers) s.destroy();
      killChild(py);
    }
  });
});

describe('after the request is sent: outcome unknown', () => {
  it('no answer within the timeout', async () => {
    platform.addFault('9001', { kind: 'latency', ms: 1_000 });
    const e = await failure(client.call({ infno: '9001', input: {}, timeoutMs: 200 }, ANY));
    expect(e).toBeInstanceOf(PlatformTimeoutError);
    expect(e).toMatchObject({ kind: 'timeout', outcome: 'unknown', timeoutMs: 200 });
  });

  it('connection reset after the server read the request', async () => {
    platform.addFault('9001', { kind: 'reset' });
    const e = await failure(client.call({ infno: '9001', input: {} }, ANY));
    expect(e).toBeInstanceOf(PlatformConnectionLostError);
    expect(e).toMatchObject({ kind: 'connection-lost', outcome: 'unknown' });
  });

  it('the platform committed and the answer was dropped', async () => {
    platform.addFault('9001', { kind: 'drop-after-commit' });
    const e = await failure(client.call({ infno: '9001', input: {} }, ANY));
    expect(e).toMatchObject({ kind: 'connection-lost', outcome: 'unknown' });
  });

  it('the answer was cut short', async () => {
    platform.addFault('9001', { kind: 'truncate' });
    const e = await failure(client.call({ infno: '9001', input: {} }, ANY));
    expect(e).toMatchObject({ kind: 'connection-lost', outcome: 'unknown', code: 'RESPONSE_INCOMPLETE' });
  });

  it('HTTP 5xx is unknown; other statuses are not applied', async () => {
    platform.addFault('9001', { kind: 'status', status: 503 });
    const e503 = await failure(client.call({ infno: '9001', input: {} }, ANY));
    expect(e503).toBeInstanceOf(PlatformHttpStatusError);
    expect(e503).toMatchObject({ kind: 'http-status', status: 503, outcome: 'unknown' });
    platform.addFault('9001', { kind: 'status', status: 404 });
    expect(await failure(client.call({ infno: '9001', input: {} }, ANY))).toMatchObject({ kind: 'http-status', status: 404, outcome: 'not-applied' });
  });

  it('a body that is not an envelope, or an output of the wrong shape, is a bad response', async () => {
    platform.addFault('9001', { kind: 'raw', body: '<html>gateway</html>' });
    expect(await failure(client.call({ infno: '9001', input: {} }, ANY))).toBeInstanceOf(PlatformBadResponseError);
    platform.addFault('9001', { kind: 'raw', body: '{"infcode":0,"output":{"signinoutb":{"sign_no":""}}}' });
    const e = await failure(client.signIn());
    expect(e).toMatchObject({ kind: 'bad-response', outcome: 'unknown' });
    expect((e as PlatformBadResponseError).detail).toContain('signinoutb');
  });
});

describe('answers', () => {
  it('reads infcode -1 as a refusal with its err_msg', async () => {
    platform.handlers.set('1101', () => ({ infcode: -1, err_msg: '未查询到人员参保信息' }));
    const e = await failure(fetchPersonInfo(client, { mdtrt_cert_type: '02', mdtrt_cert_no: '320200197503141014' }));
    expect(e).toBeInstanceOf(PlatformRefusedError);
    expect(e).toMatchObject({ kind: 'refused', outcome: 'not-applied', infcode: -1, errMsg: '未查询到人员参保信息' });
  });

  it('reads a string infcode and a GBK body', async () => {
    const body = iconv.encode(JSON.stringify({ infcode: '0', output: { data: [{ mdtrt_id: 'M1', psn_no: 'P1', psn_name: '王建国' }] } }), 'gbk');
    const gbkServer = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json;charset=GBK' }).end(body));
    });
    await new Promise<void>((resolve) => gbkServer.listen(0, '127.0.0.1', resolve));
    const parts = makeClient(`http://127.0.0.1:${(gbkServer.address() as AddressInfo).port}/`);
    try {
      parts.signIns.put({ opter: 'ZZJ01', day: '2026-03-02', sign_no: 'SN1', sign_time: '2026-03-02 09:00:00' });
      const reply = await queryInHospital(parts.client, { psn_no: 'P1', insuplc_admdvs: '320200', begntime: '2026-01-01 00:00:00', endtime: '2026-03-02 09:00:00' });
      expect(reply.output.data[0]?.psn_name).toBe('王建国');
    } finally {
      parts.client.close();
      await new Promise<void>((resolve) => gbkServer.close(() => resolve()));
    }
  });
});

describe('keep-alive', () => {
  it('reuses one connection for sequential calls', async () => {
    let connections = 0;
    const counting = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"infcode":0,"output":{"signinoutb":{"sign_no":"1","sign_time":"x"}}}'));
    });
    counting.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => counting.listen(0, '127.0.0.1', resolve));
    const parts = makeClient(`http://127.0.0.1:${(counting.address() as AddressInfo).port}/`);
    try {
      for (let i = 0; i < 20; i++) await parts.client.call({ infno: '9001', input: {} }, ANY);
      expect(connections).toBe(1);
    } finally {
      parts.client.close();
      counting.closeAllConnections();
      await new Promise<void>((resolve) => counting.close(() => resolve()));
    }
  });

  it('resends a read on a fresh connection when the pooled one was dead, under the same msgid', async () => {
    await client.signIn(); // warms a pooled socket
    platform.addFault('5303', { kind: 'reset' });
    const reply = await queryInHospital(client, { psn_no: 'P1', insuplc_admdvs: '320200', begntime: '2026-01-01 00:00:00', endtime: '2026-03-02 09:00:00' });
    const sent = platform.requestsOf('5303');
    expect(sent).toHaveLength(2);
    expect(sent[0]?.envelope.msgid).toBe(reply.msgid);
    expect(sent[1]?.envelope.msgid).toBe(reply.msgid);
  });

  it('never resends a write on its own', async () => {
    await client.signIn();
    platform.addFault('2402', { kind: 'reset' });
    const e = await failure(client.call({ infno: '2402', input: {}, visitKey: 'v' }, ANY));
    expect(e).toMatchObject({ kind: 'connection-lost', outcome: 'unknown' });
    expect(platform.requestsOf('2402')).toHaveLength(1);
  });
});

function killChild(child: ChildProcess): void {
  if (child.exitCode === null && child.pid !== undefined) child.kill('SIGKILL');
}

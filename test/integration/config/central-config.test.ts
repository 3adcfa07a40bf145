import { createHash, createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyCentralConfig } from '../../../services/config/central-config.ts';
import { loadConfig } from '../../../services/config/load.ts';
import { memoryLogger } from '../../../services/logging/logger.ts';

/**
 * Central configuration over real HTTP on loopback: the hospital's server publishes a terminal's configuration,
 * the terminal takes it only when its integrity checks (pinned SHA-256, Ed25519 or HMAC signature), keeps the
 * last good copy, and never lets a bad remote copy replace a good one.
 */
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const PUBLIC_PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const HMAC_KEY = 'hospital-shared-hmac-key-0123456789abcdef';

let server: Server;
let url: string;
let reply: { status: number; body: string; signature?: string } = { status: 200, body: '{}' };

const ed25519 = (body: string) => `ed25519=${sign(null, Buffer.from(body), privateKey).toString('base64')}`;
const hmac = (body: string) => `hmac-sha256=${createHmac('sha256', HMAC_KEY).update(body).digest('hex')}`;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.signature ? { 'x-kiosk-signature': reply.signature } : {}) }).end(reply.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/terminals/desk-01.json`;
});
afterAll(() => new Promise((r) => server.close(r)));

describe('central configuration', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-central-'));
    return () => rmSync(dir, { recursive: true, force: true });
  });
  const local = (central: Record<string, unknown>) => {
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ terminal: { name: '本地名称' }, idleTimeoutSeconds: 60, central: { url, ...central } }));
    return loadConfig({ path: file, env: { KIOSK_DATA_DIR: dir } });
  };
  const remote = JSON.stringify({ terminal: { name: '中心配置终端', id: 'desk-01' }, mode: 'discharge', central: { url: 'http://evil.invalid/' } });

  it('a local file that names a URL without an integrity check is refused', () => {
    expect(() => local({})).toThrow(/central\.url/);
  });

  it('Ed25519-signed: used, merged over the local file, `central` kept local; the copy is saved', async () => {
    reply = { status: 200, body: remote, signature: ed25519(remote) };
    const r = await applyCentralConfig(local({ ed25519PublicKey: PUBLIC_PEM }), memoryLogger());
    expect(r.central).toEqual({ source: 'remote' });
    expect(r.config).toMatchObject({ mode: 'discharge', terminal: { name: '中心配置终端', id: 'desk-01' }, idleTimeoutSeconds: 60 });
    expect(r.config.central.url).toBe(url);
    expect(JSON.parse(readFileSync(join(dir, 'central-config.last-good.json'), 'utf8'))).toMatchObject({ signature: expect.stringMatching(/^ed25519=/) });
  });

  it('HMAC-signed and SHA-256-pinned bodies are used; a pinned hash of another body is not', async () => {
    reply = { status: 200, body: remote, signature: hmac(remote) };
    expect((await applyCentralConfig(local({ hmacKey: HMAC_KEY }), memoryLogger())).central.source).toBe('remote');
    const pin = createHash('sha256').update(remote).digest('hex');
    reply = { status: 200, body: remote };
    expect((await applyCentralConfig(local({ sha256: pin }), memoryLogger())).central.source).toBe('remote');
    reply = { status: 200, body: remote.replace('discharge', 'admission') };
    const r = await applyCentralConfig(local({ sha256: pin }), memoryLogger());
    expect(r.central).toMatchObject({ source: 'last-good', problem: 'SHA-256 does not match the pinned value' });
    expect(r.config.mode).toBe('discharge'); // the last good copy, not the altered one
  });

  it('a bad remote never replaces a good one: forged signature, invalid configuration, server down', async () => {
    const loaded = local({ ed25519PublicKey: PUBLIC_PEM });
    reply = { status: 200, body: remote, signature: ed25519(remote) };
    expect((await applyCentralConfig(loaded, memoryLogger())).config.mode).toBe('discharge');

    const forged = remote.replace('discharge', 'self-service');
    reply = { status: 200, body: forged, signature: ed25519(remote) };
    let r = await applyCentralConfig(loaded, memoryLogger());
    expect(r.central).toMatchObject({ source: 'last-good', problem: 'ed25519 signature does not verify' });
    expect(r.config.mode).toBe('discharge');

    const invalid = JSON.stringify({ mode: 'cinema' });
    reply = { status: 200, body: invalid, signature: ed25519(invalid) };
    r = await applyCentralConfig(loaded, memoryLogger());
    expect(r.central).toMatchObject({ source: 'last-good', problem: expect.stringMatching(/^invalid: mode/) });
    expect(r.config.mode).toBe('discharge');

    reply = { status: 503, body: 'down' };
    r = await applyCentralConfig(loaded, memoryLogger());
    expect(r.central).toMatchObject({ source: 'last-good', problem: 'unreachable: HTTP 503' });
    expect(r.config.mode).toBe('discharge');
  });

  it('with no good copy yet, or a tampered saved copy, the local file is used', async () => {
    const loaded = local({ ed25519PublicKey: PUBLIC_PEM });
    reply = { status: 200, body: remote, signature: 'ed25519=AAAA' };
    let r = await applyCentralConfig(loaded, memoryLogger());
    expect(r.central.source).toBe('local');
    expect(r.config.mode).toBe('admission');
    expect(r.config.terminal.name).toBe('本地名称');

    reply = { status: 200, body: remote, signature: ed25519(remote) };
    await applyCentralConfig(loaded, memoryLogger());
    const file = join(dir, 'central-config.last-good.json');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { body: string };
    saved.body = Buffer.from(remote.replace('discharge', 'self-service')).toString('base64');
    writeFileSync(file, JSON.stringify(saved));
    reply = { status: 503, body: '' };
    r = await applyCentralConfig(loaded, memoryLogger());
    expect(r.central.source).toBe('local');
    expect(r.config.mode).toBe('admission');
  });
});

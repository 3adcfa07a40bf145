import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { Dispatcher } from '../../../contract/dispatcher.ts';
import { createWebSocketClient } from '../../../contract/transports/websocket.ts';
import { KioskError } from '../../../contract/errors.ts';
import { startBrowserHost, type BrowserHost } from '../../../electron/host/server.ts';
import { everyRole, fakeServices, sampleStatus } from '../../fakes/fake-services.ts';
import { signIn, webSocketFor, type HostSession } from '../electron/host/host-session.ts';

// A real browser host on 127.0.0.1 with a real WebSocket; only the services behind the dispatcher are fakes.
let host: BrowserHost;
let dispatcher: Dispatcher;
let session: HostSession;
const rendererDir = mkdtempSync(join(tmpdir(), 'kiosk-renderer-'));
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');

beforeAll(async () => {
  dispatcher = new Dispatcher(
    fakeServices({
      system: { status: async () => sampleStatus({ mode: 'discharge' }) },
      admission: { searchDiagnoses: async ({ q, limit }) => [{ code: 'I10', name: `${q}:${limit}` }] },
    }),
    everyRole,
    { validateResults: true },
  );
  host = await startBrowserHost({ dispatcher, rendererDir, port: 0 });
  session = await signIn(host.launchUrl());
});
afterAll(async () => host.close());

const wsUrl = () => `ws://127.0.0.1:${host.port}/kiosk`;
const client = (s: HostSession | { origin?: string; cookie?: string }, reconnectMs?: number) =>
  createWebSocketClient({ url: wsUrl(), WebSocketImpl: webSocketFor(s), reconnectMs });

/** The close code, or the HTTP status of a refused handshake (negative). */
const outcome = (ws: WebSocket) =>
  new Promise<number>((resolve) => {
    ws.on('close', (c) => resolve(c));
    ws.on('unexpected-response', (_req, res) => {
      resolve(-(res.statusCode ?? 0));
      ws.terminate();
    });
    ws.on('error', () => undefined);
  });

describe('KioskApi over the browser host WebSocket', () => {
  it('round-trips methods and delivers events', async () => {
    const kiosk = client(session);
    try {
      expect((await kiosk.system.status({})).mode).toBe('discharge');
      expect(await kiosk.admission.searchDiagnoses({ q: '高血压', limit: 5 })).toEqual([{ code: 'I10', name: '高血压:5' }]);
      const got = new Promise((resolve) => kiosk.on('card-inserted', resolve));
      await kiosk.ready;
      dispatcher.emit('card-inserted', { readerId: 'pts-3' });
      expect(await got).toEqual({ readerId: 'pts-3' });
    } finally {
      kiosk.close();
    }
  });

  it('rejects invalid arguments with a typed error', async () => {
    const kiosk = client(session);
    try {
      const err = await kiosk.admission.searchDiagnoses({ q: 'x'.repeat(500) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KioskError);
      expect((err as KioskError).code).toBe('INVALID_ARGUMENT');
    } finally {
      kiosk.close();
    }
  });

  it('refuses our own page without a session cookie with UNAUTHORIZED (4401) and does not reconnect', async () => {
    const kiosk = client({ origin: session.origin, cookie: 'kiosk-session-1=forged' }, 10);
    try {
      const err = await kiosk.system.status({}).catch((e: unknown) => e);
      expect((err as KioskError).code).toBe('UNAUTHORIZED');
      const again = await kiosk.system.status({}).catch((e: unknown) => e);
      expect((again as KioskError).code).toBe('UNAUTHORIZED');
    } finally {
      kiosk.close();
    }
  });

  it('refuses in the handshake a page from another origin, or a client with no Origin, even with the cookie', async () => {
    expect(await outcome(new WebSocket(wsUrl(), { origin: 'http://evil.example', headers: { cookie: session.cookie } }))).toBe(-403);
    expect(await outcome(new WebSocket(wsUrl(), { headers: { cookie: session.cookie } }))).toBe(-403);
    expect(await outcome(new WebSocket(wsUrl(), { origin: session.origin, headers: { cookie: session.cookie, host: 'evil.example' } }))).toBe(-403);
  });

  it('a launch link works once: the second use is refused and sets no cookie', async () => {
    const link = host.launchUrl();
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/launch\?code=[\w-]{24}$/);
    await signIn(link);
    const again = await fetch(link, { redirect: 'manual' });
    expect(again.status).toBe(403);
    expect(again.headers.get('set-cookie')).toBeNull();
    expect(await again.text()).toContain('链接已失效');
  });

  it('answers junk frames without dropping the connection', async () => {
    const ws = new WebSocket(wsUrl(), { origin: session.origin, headers: { cookie: session.cookie } });
    await new Promise((r) => ws.on('open', r));
    const replies: unknown[] = [];
    ws.on('message', (d) => replies.push(JSON.parse(String(d))));
    ws.send('not json at all');
    ws.send(JSON.stringify({ t: 'call', id: 7, channel: 42, args: {} }));
    ws.send(JSON.stringify({ t: 'call', id: 8, channel: 'kiosk:system.status', args: {} }));
    await expect.poll(() => replies.length).toBeGreaterThanOrEqual(2);
    ws.close();
    expect(replies).toContainEqual({ t: 'reply', id: 7, reply: { ok: false, error: expect.objectContaining({ code: 'INVALID_ARGUMENT' }) } });
    expect(replies).toContainEqual(expect.objectContaining({ t: 'reply', id: 8, reply: expect.objectContaining({ ok: true }) }));
  });

  it('serves the renderer only on loopback and never outside its folder', async () => {
    const res = await fetch(`http://127.0.0.1:${host.port}/../../etc/passwd`);
    expect(res.status).toBe(404);
    const page = await fetch(host.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dispatcher } from '../../../contract/dispatcher.ts';
import { createWebSocketClient } from '../../../contract/transports/websocket.ts';
import { KioskError } from '../../../contract/errors.ts';
import { startBrowserHost, type BrowserHost } from '../../../electron/host/server.ts';
import { fakeServices, sampleStatus } from '../../fakes/fake-services.ts';

// A real browser host on 127.0.0.1 with a real WebSocket; only the services behind the dispatcher are fakes.
let host: BrowserHost;
let dispatcher: Dispatcher;
const rendererDir = mkdtempSync(join(tmpdir(), 'kiosk-renderer-'));
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');

beforeAll(async () => {
  dispatcher = new Dispatcher(
    fakeServices({
      system: { status: async () => sampleStatus({ mode: 'discharge' }) },
      admission: { searchDiagnoses: async ({ q, limit }) => [{ code: 'I10', name: `${q}:${limit}` }] },
    }),
    { validateResults: true },
  );
  host = await startBrowserHost({ dispatcher, rendererDir, port: 0, token: 'launch-token-123' });
});
afterAll(async () => host.close());

const wsUrl = (token: string) => `ws://127.0.0.1:${host.port}/kiosk?token=${token}`;

describe('KioskApi over the browser host WebSocket', () => {
  it('round-trips methods and delivers events', async () => {
    const kiosk = createWebSocketClient({ url: wsUrl('launch-token-123') });
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
    const kiosk = createWebSocketClient({ url: wsUrl('launch-token-123') });
    try {
      const err = await kiosk.admission.searchDiagnoses({ q: 'x'.repeat(500) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KioskError);
      expect((err as KioskError).code).toBe('INVALID_ARGUMENT');
    } finally {
      kiosk.close();
    }
  });

  it('refuses a wrong token with UNAUTHORIZED and does not reconnect', async () => {
    const kiosk = createWebSocketClient({ url: wsUrl('not-the-token'), reconnectMs: 10 });
    try {
      const err = await kiosk.system.status({}).catch((e: unknown) => e);
      expect((err as KioskError).code).toBe('UNAUTHORIZED');
      const again = await kiosk.system.status({}).catch((e: unknown) => e);
      expect((again as KioskError).code).toBe('UNAUTHORIZED');
    } finally {
      kiosk.close();
    }
  });

  it('refuses a page from another origin even with the token', async () => {
    const { WebSocket } = await import('ws');
    const code = await new Promise<number>((resolve) => {
      const ws = new WebSocket(wsUrl('launch-token-123'), { origin: 'http://evil.example' });
      ws.on('close', (c) => resolve(c));
    });
    expect(code).toBe(4401);
  });

  it('answers junk frames without dropping the connection', async () => {
    const { WebSocket } = await import('ws');
    const ws = new WebSocket(wsUrl('launch-token-123'));
    await new Promise((r) => ws.on('open', r));
    const replies: unknown[] = [];
    ws.on('message', (d) => replies.push(JSON.parse(String(d))));
    ws.send('not json at all');
    ws.send(JSON.stringify({ t: 'call', id: 7, channel: 42, args: {} }));
    ws.send(JSON.stringify({ t: 'call', id: 8, channel: 'kiosk:system.status', args: {} }));
    await new Promise((r) => setTimeout(r, 300));
    ws.close();
    expect(replies).toContainEqual({ t: 'reply', id: 7, reply: { ok: false, error: expect.objectContaining({ code: 'INVALID_ARGUMENT' }) } });
    expect(replies).toContainEqual(expect.objectContaining({ t: 'reply', id: 8, reply: expect.objectContaining({ ok: true }) }));
  });

  it('serves the renderer only on loopback and never outside its folder', async () => {
    const res = await fetch(`http://127.0.0.1:${host.port}/../../etc/passwd`);
    expect(res.status).toBe(404);
    const page = await fetch(`http://127.0.0.1:${host.port}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});

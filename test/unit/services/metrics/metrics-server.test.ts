import { afterEach, describe, expect, it } from 'vitest';
import { TerminalConfig } from '../../../../services/config/schema.ts';
import { memoryLogger } from '../../../../services/logging/logger.ts';
import { withFields } from '../../../../services/logging/with-fields.ts';
import { startMetricsServer, type MetricsEndpoint } from '../../../../services/metrics/metrics-server.ts';

describe('metrics endpoint', () => {
  let endpoint: MetricsEndpoint | null = null;
  afterEach(async () => {
    await endpoint?.close();
    endpoint = null;
  });
  const start = (token: string | null, healthy = true) =>
    startMetricsServer({ host: '127.0.0.1', port: 0, token, metrics: () => 'kiosk_up 1\n', health: () => ({ ok: healthy, store: healthy }), log: memoryLogger() });

  it('serves /metrics and /health on loopback', async () => {
    endpoint = await start(null);
    expect(endpoint.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const m = await fetch(`${endpoint.url}/metrics`);
    expect(m.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await m.text()).toBe('kiosk_up 1\n');
    expect(await (await fetch(`${endpoint.url}/health`)).json()).toEqual({ ok: true, store: true });
    expect((await fetch(`${endpoint.url}/other`)).status).toBe(404);
    expect((await fetch(`${endpoint.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('with a token: 401 without it or with a wrong one, 200 with it; unhealthy is 503', async () => {
    endpoint = await start('a-long-enough-token-123', false);
    expect((await fetch(`${endpoint.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${endpoint.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const ok = await fetch(`${endpoint.url}/metrics`, { headers: { authorization: 'Bearer a-long-enough-token-123' } });
    expect(ok.status).toBe(200);
    expect((await fetch(`${endpoint.url}/health`, { headers: { authorization: 'Bearer a-long-enough-token-123' } })).status).toBe(503);
  });

  it('configuration: loopback by default; a LAN address is refused without a token', () => {
    expect(TerminalConfig.parse({}).metrics).toMatchObject({ enabled: true, host: '127.0.0.1', port: 9464, token: null, otlp: { url: null } });
    expect(TerminalConfig.safeParse({ metrics: { host: '10.1.2.3' } }).success).toBe(false);
    expect(TerminalConfig.safeParse({ metrics: { host: '10.1.2.3', token: 'short' } }).success).toBe(false);
    expect(TerminalConfig.safeParse({ metrics: { host: '10.1.2.3', token: 'a-long-enough-token-123' } }).success).toBe(true);
    expect(TerminalConfig.safeParse({ metrics: { host: '::1' } }).success).toBe(true);
  });

  it('log lines carry the terminal id, in children too', () => {
    const base = memoryLogger();
    const log = withFields(base, { terminal: 'desk-07' });
    log.info('one');
    log.child('relay').warn('two', { infno: '2401' });
    expect(base.lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ msg: 'one', terminal: 'desk-07' }),
      expect.objectContaining({ msg: 'two', scope: 'kiosk.relay', terminal: 'desk-07', infno: '2401' }),
    ]);
  });
});

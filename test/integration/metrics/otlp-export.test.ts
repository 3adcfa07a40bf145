import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from './fleet.ts';

/**
 * OTLP/HTTP (JSON) export to a collector on loopback: a small receiver stands in for the hospital's
 * OpenTelemetry collector. Two terminals drain against one sandbox, then push; the receiver checks the
 * request shape a collector relies on, and that nothing personal travels (no name, ID number or psn_no of
 * the people whose stays were sent).
 */
interface Received {
  path: string;
  contentType: string | undefined;
  auth: string | undefined;
  body: {
    resourceMetrics: Array<{
      resource: { attributes: Array<{ key: string; value: { stringValue: string } }> };
      scopeMetrics: Array<{ metrics: Array<{ name: string; gauge?: { dataPoints: Array<{ asDouble: number }> }; sum?: { isMonotonic: boolean; aggregationTemporality: number; dataPoints: Array<{ asDouble: number; attributes: Array<{ key: string; value: { stringValue: string } }> }> }; histogram?: { dataPoints: Array<{ count: string; bucketCounts: string[]; explicitBounds: number[] }> } }> }>;
    }>;
  };
  raw: string;
}

describe('OTLP export to a loopback collector', () => {
  let dir: string;
  let fleet: Fleet;
  let collector: Server;
  let failNext = 0;
  const received: Received[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-otlp-'));
    collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (failNext > 0) {
          failNext--;
          return void res.writeHead(503).end();
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({ path: req.url ?? '', contentType: req.headers['content-type'], auth: req.headers.authorization, body: JSON.parse(raw) as Received['body'], raw });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
    const { port } = collector.address() as { port: number };
    fleet = await startFleet({ dir, count: 2, stays: 1, batches: 2, otlpUrl: `http://127.0.0.1:${port}/v1/metrics` });
    await fleet.drained(60_000);
  }, 120_000);

  afterAll(async () => {
    await fleet?.close();
    await new Promise((r) => collector?.close(r));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('each terminal pushes its metrics as its own resource', async () => {
    for (const t of fleet.terminals) expect(await t.terminal.parts.otlp!.flush()).toBe(true);
    expect(received).toHaveLength(2);
    for (const [i, r] of received.entries()) {
      expect(r.path).toBe('/v1/metrics');
      expect(r.contentType).toBe('application/json');
      const rm = r.body.resourceMetrics[0]!;
      const attrs = Object.fromEntries(rm.resource.attributes.map((a) => [a.key, a.value.stringValue]));
      expect(attrs).toMatchObject({ 'service.name': 'jiangsu-front-desk-kiosk', 'service.instance.id': fleet.terminals[i]!.id, 'kiosk.hospital.code': 'H32020000001' });
      const metrics = new Map(rm.scopeMetrics[0]!.metrics.map((m) => [m.name, m]));
      expect(metrics.get('kiosk_queue_depth')!.gauge!.dataPoints[0]!.asDouble).toBe(0);
      const requests = metrics.get('kiosk_platform_requests')!.sum!;
      expect(requests.isMonotonic).toBe(true);
      expect(requests.aggregationTemporality).toBe(2);
      const ok = requests.dataPoints.filter((p) => p.attributes.some((a) => a.key === 'result' && a.value.stringValue === 'ok') && p.attributes.some((a) => a.key === 'infno' && a.value.stringValue !== '9001'));
      expect(ok.reduce((n, p) => n + p.asDouble, 0)).toBe(fleet.terminals[i]!.queued);
      for (const p of metrics.get('kiosk_platform_request_duration_seconds')!.histogram!.dataPoints) {
        expect(p.bucketCounts).toHaveLength(p.explicitBounds.length + 1);
        expect(p.bucketCounts.reduce((n, c) => n + Number(c), 0)).toBe(Number(p.count));
      }
    }
  });

  it('carries nothing personal, in the export, the Prometheus text or the logs; every log line names its terminal', async () => {
    // The world's people: names 测试00000…, ID numbers 320200198001…, psn_no 320200000000009….
    const personal = [/测试\d{5}/, /320200198001\d{5}[\dX]/, /320200000000009\d{5}/];
    for (const t of fleet.terminals) {
      const text = await (await fetch(`${t.terminal.parts.metricsEndpoint!.url}/metrics`)).text();
      const logs = t.logs.join('\n');
      for (const p of personal) {
        for (const r of received) expect(r.raw).not.toMatch(p);
        expect(text).not.toMatch(p);
        expect(logs).not.toMatch(p);
      }
      expect(t.logs.length).toBeGreaterThan(0);
      for (const line of t.logs) expect(JSON.parse(line)).toMatchObject({ terminal: t.id });
    }
  });

  it('a collector outage is retried at the next push, not queued', async () => {
    failNext = 1;
    const t = fleet.terminals[0]!.terminal.parts.otlp!;
    expect(await t.flush()).toBe(false);
    expect(await t.flush()).toBe(true);
    expect(received).toHaveLength(3);
  });
});

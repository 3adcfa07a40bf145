import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logging/logger.ts';
import { PROMETHEUS_CONTENT_TYPE } from './prometheus-text.ts';

/**
 * GET /metrics (Prometheus text) and GET /health (JSON) for the hospital's monitoring. Loopback by default;
 * on the hospital LAN only when `metrics.host` says so, and then only with a token (the configuration refuses
 * a LAN address without one): `Authorization: Bearer <token>`, what Prometheus sends with
 * `authorization: { credentials: … }`. Nothing else is served; no request body is read.
 */
export interface MetricsEndpoint {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  host: string;
  port: number;
  token: string | null;
  metrics: () => string;
  health: () => { ok: boolean; [k: string]: unknown };
  log: Logger;
}

function authorized(req: IncomingMessage, token: string | null): boolean {
  if (token === null) return true;
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function startMetricsServer(o: MetricsServerOptions): Promise<MetricsEndpoint> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') return void res.writeHead(405, { allow: 'GET' }).end();
    if (!authorized(req, o.token)) return void res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
    try {
      if (path === '/metrics') return void res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE }).end(o.metrics());
      if (path === '/health') {
        const h = o.health();
        return void res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(h));
      }
      res.writeHead(404).end();
    } catch (err) {
      o.log.error('metrics: request failed', { path, error: err instanceof Error ? err.message : String(err) });
      res.writeHead(500).end();
    }
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      server.on('error', (err) => o.log.error('metrics: server error', { error: err.message }));
      const port = (server.address() as AddressInfo).port;
      const host = o.host.includes(':') ? `[${o.host}]` : o.host;
      resolve({
        url: `http://${host}:${port}`,
        port,
        close: () => new Promise<void>((r) => server.close(() => r()).closeAllConnections()),
      });
    });
  });
}

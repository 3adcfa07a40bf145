import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const MAX_BODY = 64 << 10;

/**
 * Where the gateway posts its asynchronous notifications (notify_url): a form POST, answered `success` once
 * handled. On 127.0.0.1 (the demo's payment sandbox posts here; in production the hospital's front server
 * forwards the gateway's posts). Polling works without it: notifications only make confirmation sooner.
 */
export async function startNotifyListener(handle: (params: Record<string, string>) => Promise<'success' | 'failure'>): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      handle(params)
        .catch(() => 'failure' as const)
        .then((answer) => res.writeHead(200, { 'content-type': 'text/plain' }).end(answer));
    });
  });
  server.on('clientError', (_e, socket) => socket.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/payments/notify`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

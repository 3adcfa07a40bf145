import { afterEach, describe, expect, it } from 'vitest';
import { createServer, request, type Server } from 'node:http';
import { NetworkSwitch } from '../../../../services/demo/network-switch.ts';

/** The demo's "cut the network" against a real loopback HTTP server: refused while off, working again when on. */
let server: Server | null = null;
let sw: NetworkSwitch | null = null;
afterEach(async () => {
  await sw?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
  sw = null;
});

function get(url: string): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

async function startUpstream(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  return `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/fsi/api/rsfComIfsService/callService`;
}

describe('network switch', () => {
  it('relays while online, refuses connections while offline, and relays again on the same port', async () => {
    const upstream = await startUpstream((req, res) => res.end(`ok ${req.url}`));
    sw = await NetworkSwitch.start(upstream);
    const url = sw.urlFor(upstream);
    expect(new URL(url).port).not.toBe(new URL(upstream).port);
    expect(await get(url)).toEqual({ status: 200, body: 'ok /fsi/api/rsfComIfsService/callService' });
    await sw.setOnline(false);
    expect(await get(url)).toEqual({ error: 'ECONNREFUSED' });
    await sw.setOnline(true);
    expect(await get(url)).toMatchObject({ status: 200 });
  });

  it('drops a request in flight when the network is cut (its answer is lost)', async () => {
    let release: () => void = () => undefined;
    const upstream = await startUpstream((_req, res) => {
      release = () => res.end('late');
    });
    sw = await NetworkSwitch.start(upstream);
    const pending = get(sw.urlFor(upstream));
    await new Promise((r) => setTimeout(r, 100));
    await sw.setOnline(false);
    release();
    expect(await pending).toEqual({ error: 'ECONNRESET' });
  });

  it('relays to loopback only', async () => {
    await expect(NetworkSwitch.start('http://10.0.0.1:8080/')).rejects.toThrow(/loopback/);
  });
});

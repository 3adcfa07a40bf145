import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A hostile gateway: a real HTTP proxy on 127.0.0.1 in front of the sandbox. Requests always reach the platform
 * (so a 2401 really commits there); for the transactions named in `hostileInfnos` the gateway then garbles the
 * answer in the chosen way. Everything else (9001 sign-in, 2601 reversals) passes through untouched.
 */
export type HostileMode = 'pass' | 'html-500' | 'empty' | 'garbage' | 'reset' | 'deep-json' | 'oversize' | 'invalid-output';

/** The modes where the answer cannot be trusted at all ('invalid-output' is a well-formed success with a broken output). */
export const HOSTILE_MODES: readonly Exclude<HostileMode, 'pass' | 'invalid-output'>[] = ['html-500', 'empty', 'garbage', 'reset', 'deep-json', 'oversize'];

export interface HostileGateway {
  url: string;
  mode: HostileMode;
  /** How many replies of hostile infnos the gateway garbled (each one committed on the platform first). */
  garbled: number;
  close(): Promise<void>;
}

export async function startHostileGateway(upstream: string, options: { hostileInfnos: readonly string[]; seed: number; oversizeBytes: number }): Promise<HostileGateway> {
  const target = new URL(upstream);
  let seed = options.seed >>> 0;
  const random = () => {
    seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0; // LCG: the same garbage for the same seed
    return seed / 2 ** 32;
  };
  const state: HostileGateway = { url: '', mode: 'pass', garbled: 0, close: async () => undefined };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const infno = infnoOf(body);
      const up = http.request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host }, agent: false },
        (upRes) => {
          const upChunks: Buffer[] = [];
          upRes.on('data', (c: Buffer) => upChunks.push(c));
          upRes.on('end', () => {
            const answer = Buffer.concat(upChunks);
            if (state.mode === 'pass' || !infno || !options.hostileInfnos.includes(infno)) {
              res.writeHead(upRes.statusCode ?? 502, { 'content-type': upRes.headers['content-type'] ?? 'application/json' });
              res.end(answer);
              return;
            }
            state.garbled++;
            garble(state.mode, res, random, options.oversizeBytes);
          });
          upRes.on('error', () => res.destroy());
        },
      );
      up.on('error', () => res.destroy());
      up.end(body);
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}${target.pathname === '/' ? '' : target.pathname}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

function infnoOf(body: Buffer): string | null {
  try {
    const o = JSON.parse(body.toString('utf8')) as { infno?: unknown };
    return typeof o.infno === 'string' ? o.infno : null;
  } catch {
    return null;
  }
}

function garble(mode: HostileMode, res: http.ServerResponse, random: () => number, oversizeBytes: number): void {
  switch (mode) {
    case 'html-500':
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('<html><head><title>500 Internal Server Error</title></head><body><center><h1>500 Internal Server Error</h1></center><hr><center>nginx</center></body></html>');
      return;
    case 'empty':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end();
      return;
    case 'garbage': {
      const bytes = Buffer.alloc(64 + Math.floor(random() * 512));
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(bytes);
      return;
    }
    case 'reset':
      res.socket?.resetAndDestroy();
      return;
    case 'deep-json': {
      // Valid JSON, 200,000 levels deep: JSON.parse takes it, every recursive reader after it overflows.
      const depth = 200_000;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"infcode":0,"output":${'['.repeat(depth)}${']'.repeat(depth)}}`);
      return;
    }
    case 'oversize': {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"infcode":0,"output":{"pad":"${'x'.repeat(oversizeBytes)}"}}`);
      return;
    }
    case 'invalid-output':
      // infcode 0, a proper envelope, but the output lacks what the transaction must return (2401: mdtrt_id).
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ infcode: 0, inf_refmsgid: '', refmsg_time: '', respond_time: '', err_msg: '', output: { result: { note: 'no mdtrt_id' } } }));
      return;
    case 'pass':
      return;
  }
}

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromHex } from '../../base/bytes.ts';
import { VirtualReaderError } from './reader-core.ts';
import type { NoiseMode } from './serial-endpoint.ts';
import type { VirtualReader } from './virtual-reader.ts';

export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;
const NOISE_MODES: NoiseMode[] = ['now', 'before-next-frame', 'corrupt-next-frame'];

class BadRequest extends Error {}

/**
 * The virtual reader's control API: loopback HTTP, JSON in and out (documented in docs/readers.md). It plays
 * the physical world: a hand inserting, pulling or muting a card, a cable picking up noise, a plug pulled.
 */
export async function startControlServer(reader: VirtualReader, port: number): Promise<ControlServer> {
  const routes: Record<string, (body: Record<string, unknown>) => Promise<unknown> | unknown> = {
    'GET /state': () => reader.status(),
    'GET /cards': () =>
      [...reader.catalog.values()].map((c) => ({ id: c.id, label: c.label, generation: c.generation, ssse: c.ssse !== null, nameExtension: c.ssse?.files.EF06.has(3) ?? false })),
    'POST /insert': (b) => {
      reader.core.insert(requireString(b, 'card'));
      return reader.status();
    },
    'POST /remove': () => {
      reader.core.remove();
      return reader.status();
    },
    'POST /pull-mid-apdu': () => {
      // May be armed before the card goes in: the pull then happens during the first read of that card.
      reader.core.faults.pullMidApdu = true;
      return reader.status();
    },
    'POST /mute': (b) => {
      reader.core.mute(b.muted === undefined ? true : Boolean(b.muted));
      return reader.status();
    },
    'POST /noise': (b) => {
      const mode = (b.mode ?? 'before-next-frame') as NoiseMode;
      if (!NOISE_MODES.includes(mode)) throw new BadRequest(`mode must be one of ${NOISE_MODES.join(', ')}`);
      let bytes: Uint8Array;
      if (typeof b.bytes === 'string') {
        try {
          bytes = fromHex(b.bytes);
        } catch {
          throw new BadRequest('bytes must be hex');
        }
      } else {
        const count = b.count === undefined ? 16 : Number(b.count);
        if (!Number.isInteger(count) || count < 1 || count > 4096) throw new BadRequest('count must be 1..4096');
        bytes = new Uint8Array(randomBytes(count));
      }
      if (mode !== 'corrupt-next-frame' && bytes.length === 0) throw new BadRequest('no noise bytes');
      reader.injectNoise(bytes, mode);
      return reader.status();
    },
    'POST /slow': (b) => {
      const ms = Number(b.ms ?? 0);
      if (!Number.isFinite(ms) || ms < 0 || ms > 60_000) throw new BadRequest('ms must be 0..60000');
      const apdus = b.apdus === undefined || b.apdus === null ? null : Number(b.apdus);
      if (apdus !== null && (!Number.isInteger(apdus) || apdus < 0)) throw new BadRequest('apdus must be a count');
      reader.core.faults.slowCardMs = ms;
      reader.core.faults.slowCardApdus = apdus;
      return reader.status();
    },
    'POST /interleave-notifications': (b) => {
      reader.core.faults.interleaveNotifications = b.enabled === undefined ? true : Boolean(b.enabled);
      return reader.status();
    },
    'POST /psam': (b) => {
      reader.core.setPsam(b.present === undefined ? true : Boolean(b.present));
      return reader.status();
    },
    'POST /unplug': async () => {
      await reader.unplug();
      return reader.status();
    },
    'POST /replug': async () => {
      await reader.replug();
      return reader.status();
    },
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, { error: { kind: 'internal', message: err instanceof Error ? err.message : String(err) } }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const route = routes[`${req.method ?? 'GET'} ${(req.url ?? '/').split('?')[0]}`];
    if (!route) return send(res, 404, { error: { kind: 'not-found', message: `no route ${req.method} ${req.url}` } });
    let body: Record<string, unknown> = {};
    try {
      body = await readJson(req);
      send(res, 200, await route(body));
    } catch (err) {
      if (err instanceof VirtualReaderError) {
        const status = err.kind === 'unknown-card' ? 404 : err.kind === 'bad-request' ? 400 : 409;
        send(res, status, { error: { kind: err.kind, message: err.message } });
      } else if (err instanceof BadRequest) send(res, 400, { error: { kind: 'bad-request', message: err.message } });
      else throw err;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function requireString(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  if (typeof v !== 'string' || v.length === 0) throw new BadRequest(`"${key}" (a string) is required`);
  return v;
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new BadRequest('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8').trim();
      if (!text) return resolve({});
      try {
        const v: unknown = JSON.parse(text);
        if (!v || typeof v !== 'object' || Array.isArray(v)) return reject(new BadRequest('body must be a JSON object'));
        resolve(v as Record<string, unknown>);
      } catch {
        reject(new BadRequest('body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

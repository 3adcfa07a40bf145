import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Dispatcher } from '../../contract/dispatcher.ts';
import { WS_CLOSE_UNAUTHORIZED, WsClientMessage, type WsServerMessage } from '../../contract/wire.ts';
import { KioskError } from '../../contract/errors.ts';
import { readStatic } from './static-files.ts';
import { newLaunchToken, tokenMatches } from './token.ts';

export interface BrowserHostOptions {
  dispatcher: Dispatcher;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  port?: number; // 0 = any free port
  token?: string;
}

export interface BrowserHost {
  /** The page to open: http://127.0.0.1:PORT/?token=… */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

// The renderer's Content-Security-Policy: its own scripts only; WebSocket back to this host only.
const csp = (port: number) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ws://127.0.0.1:${port}`,
    "frame-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

/**
 * The browser host: the same services as the Electron main process, served to any Chromium. Static renderer
 * over HTTP and KioskApi over a WebSocket at /kiosk, both on 127.0.0.1 only. A connection must present the
 * per-launch token and come from this host's own origin, so other local pages cannot drive the terminal.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? newLaunchToken();
  const server: Server = createServer(async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const file = await readStatic(options.rendererDir, req.url ?? '/');
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    res.writeHead(200, {
      'content-type': file.type,
      'cache-control': 'no-store',
      'content-security-policy': csp(port),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  let port = 0;

  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/kiosk') {
      socket.destroy();
      return;
    }
    const origin = req.headers.origin;
    const originOk = origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (!originOk || !tokenMatches(token, url.searchParams.get('token'))) {
        ws.close(WS_CLOSE_UNAUTHORIZED, 'unauthorized');
        return;
      }
      serveConnection(ws, options.dispatcher);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 5170, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function serveConnection(ws: WebSocket, dispatcher: Dispatcher) {
  const send = (msg: WsServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };
  const unsubscribe = dispatcher.subscribe((name, payload) => send({ t: 'event', name, payload }));
  ws.on('close', unsubscribe);
  ws.on('message', async (data) => {
    let msg: WsClientMessage;
    try {
      msg = WsClientMessage.parse(JSON.parse(String(data)));
    } catch {
      // Junk from the page: answer what we can (an id if present) and keep the connection.
      const id = extractId(data);
      if (id !== null) send({ t: 'reply', id, reply: { ok: false, error: new KioskError('INVALID_ARGUMENT', '请求格式不正确。', []).toDto() } });
      return;
    }
    const reply = await dispatcher.call(msg.channel, msg.args, { transport: 'websocket' });
    send({ t: 'reply', id: msg.id, reply });
  });
}

function extractId(data: unknown): number | null {
  try {
    const v = JSON.parse(String(data)) as { id?: unknown };
    return typeof v.id === 'number' && Number.isInteger(v.id) && v.id >= 0 ? v.id : null;
  } catch {
    return null;
  }
}

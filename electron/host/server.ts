import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Dispatcher } from '../../contract/dispatcher.ts';
import { WS_CLOSE_UNAUTHORIZED, WsClientMessage, type WsServerMessage } from '../../contract/wire.ts';
import { KioskError } from '../../contract/errors.ts';
import { createLogger, type Logger } from '../../services/logging/logger.ts';
import { LaunchCodes } from './launch-codes.ts';
import { BrowserSessions } from './session-cookie.ts';
import { readStatic } from './static-files.ts';
import { refuseUpgrade, refuseWithCloseCode } from './upgrade-refusal.ts';

export interface BrowserHostOptions {
  dispatcher: Dispatcher;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  port?: number; // 0 = any free port
  log?: Logger;
}

export interface BrowserHost {
  /** The page, without any secret: http://127.0.0.1:PORT/ */
  url: string;
  port: number;
  /**
   * A fresh one-time link, http://127.0.0.1:PORT/launch?code=…, that signs one browser in (sets its session
   * cookie) and opens the page. Useless once opened, and after LAUNCH_CODE_TTL_MS.
   */
  launchUrl(): string;
  close(): Promise<void>;
}

/**
 * The largest WebSocket message the API needs, in bytes: charges.import carries a file of at most 10,000,000
 * characters (contract/api.ts), at most 3 UTF-8 bytes each, plus the envelope. A bigger message is refused
 * with close code 1009 (message too big) and the connection ends; the process is not affected.
 */
export const WS_MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;

// The renderer's Content-Security-Policy: its own scripts only; WebSocket back to this host only.
const csp = (port: number) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    // data: for the fonts embedded in document previews (srcdoc iframes inherit this policy).
    "font-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port}`,
    "frame-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

/**
 * The browser host: the same services as the Electron main process, served to any Chromium. Static renderer
 * over HTTP and KioskApi over a WebSocket at /kiosk, both on 127.0.0.1 only.
 *
 * Who may drive the terminal is decided in the HTTP upgrade request, before any WebSocket frame is read:
 * the Host must be this loopback address (no DNS rebinding), the Origin must be this host's own page (a
 * request without an Origin is not a browser page of ours and is refused), and the session cookie must be one
 * this host set through a one-time launch link (docs/architecture.md, "Browser host authentication"). Every
 * socket and server has an error handler: no frame, size or protocol violation ends the process.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const log = options.log ?? createLogger({ scope: 'host' });
  const codes = new LaunchCodes();
  let sessions = new BrowserSessions(0);
  let port = 0;
  const hostOk = (req: IncomingMessage) => req.headers.host === `127.0.0.1:${port}` || req.headers.host === `localhost:${port}`;

  const server: Server = createServer((req, res) => {
    void serveHttp(req, res).catch((err: unknown) => {
      log.error('http request failed', { error: err });
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const serveHttp = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
    if (!hostOk(req)) return void res.writeHead(421).end();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/launch') return launch(url, res);
    const file = await readStatic(options.rendererDir, req.url ?? '/');
    if (!file) return void res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
    res.writeHead(200, {
      'content-type': file.type,
      'cache-control': 'no-store',
      'content-security-policy': csp(port),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };
  const launch = (url: URL, res: ServerResponse) => {
    if (!codes.redeem(url.searchParams.get('code'))) {
      res.writeHead(403, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end('<!doctype html><meta charset="utf-8"><title>链接已失效</title><h1>链接已失效</h1><p>此打开链接只能使用一次。请从终端程序重新打开终端页面。</p>');
      return;
    }
    // 303 to the page: the one-time code leaves the address bar and the history at once.
    res.writeHead(303, { location: '/', 'set-cookie': sessions.open(), 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    res.end();
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD_BYTES });
  wss.on('error', (err) => log.warn('websocket server error', { error: err }));
  server.on('clientError', (err, socket) => {
    // Malformed HTTP (or a reset mid-request): answer 400 if the socket can still take it, never throw.
    socket.on('error', () => undefined);
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    socket.destroy();
  });
  server.on('error', (err) => log.error('browser host server error', { error: err }));

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined); // a reset before or during the handshake is the peer's business
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/kiosk') return refuseUpgrade(socket, 404, 'Not Found');
    if (!hostOk(req)) return refuseUpgrade(socket, 403, 'Forbidden');
    const origin = req.headers.origin;
    if (origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) return refuseUpgrade(socket, 403, 'Forbidden');
    if (!sessions.holds(req.headers.cookie)) return refuseWithCloseCode(req, socket, WS_CLOSE_UNAUTHORIZED, 'unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => serveConnection(ws, options.dispatcher, log));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 5170, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  sessions = new BrowserSessions(port);

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    launchUrl: () => `http://127.0.0.1:${port}/launch?code=${codes.mint()}`,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function serveConnection(ws: WebSocket, dispatcher: Dispatcher, log: Logger) {
  // ws turns a protocol violation (bad UTF-8, RSV bits, unmasked or oversized frame, reserved opcode…) into an
  // 'error' and closes with the matching code (1002, 1007, 1009); without this handler it would end the process.
  ws.on('error', (err) => log.warn('websocket closed on a protocol violation', { error: err }));
  const send = (msg: WsServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };
  const unsubscribe = dispatcher.subscribe((name, payload) => send({ t: 'event', name, payload }));
  ws.on('close', unsubscribe);
  ws.on('message', (data, isBinary) => {
    void answer(data, isBinary).catch((err: unknown) => log.error('websocket call failed', { error: err }));
  });
  const answer = async (data: unknown, isBinary: boolean) => {
    let msg: WsClientMessage;
    const text = isBinary ? '' : String(data);
    try {
      msg = WsClientMessage.parse(JSON.parse(text));
    } catch {
      // Junk from the page: answer what we can (an id if present) and keep the connection.
      const id = extractId(text);
      if (id !== null) send({ t: 'reply', id, reply: { ok: false, error: new KioskError('INVALID_ARGUMENT', '请求格式不正确。', []).toDto() } });
      return;
    }
    const reply = await dispatcher.call(msg.channel, msg.args, { transport: 'websocket' });
    send({ t: 'reply', id: msg.id, reply });
  };
}

function extractId(text: string): number | null {
  try {
    const v = JSON.parse(text) as { id?: unknown };
    return typeof v.id === 'number' && Number.isInteger(v.id) && v.id >= 0 ? v.id : null;
  } catch {
    return null;
  }
}

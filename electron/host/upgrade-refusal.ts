import { createHash } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const LINGER_MS = 2_000;

/**
 * Refuses an upgrade with a plain HTTP status and closes the socket. Nothing the client sent after its request
 * headers is ever read.
 */
export function refuseUpgrade(socket: Duplex, status: 400 | 403 | 404, reason: string): void {
  guard(socket);
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

/**
 * Refuses a well-formed WebSocket upgrade from our own page that lacks the session cookie, in a way the page
 * can read: a browser hides the HTTP status of a failed handshake, but it shows a close code. So the 101 and a
 * close frame (code, reason) are written as bytes, and the socket is ended; no frame parser is ever attached,
 * so whatever the client sends next is discarded unread.
 */
export function refuseWithCloseCode(req: IncomingMessage, socket: Duplex, code: number, reason: string): void {
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string' || !/^[A-Za-z0-9+/]{22}==$/.test(key) || req.headers['sec-websocket-version'] !== '13') {
    refuseUpgrade(socket, 400, 'Bad Request');
    return;
  }
  guard(socket);
  const accept = createHash('sha1').update(key + WS_GUID).digest('base64');
  const text = Buffer.from(reason, 'utf8').subarray(0, 123);
  const frame = Buffer.alloc(4 + text.length);
  frame[0] = 0x88; // FIN + close
  frame[1] = 2 + text.length; // server frames are not masked
  frame.writeUInt16BE(code, 2);
  text.copy(frame, 4);
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  socket.end(frame);
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

/** A refused socket may still error (reset by the peer); that must never reach the process. */
function guard(socket: Duplex): void {
  socket.on('error', () => undefined);
  socket.on('data', () => undefined); // drain without parsing
}

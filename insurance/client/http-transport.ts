import http from 'node:http';
import { urlToHttpOptions } from 'node:url';
import iconv from 'iconv-lite';
import {
  PlatformBadResponseError,
  PlatformConnectionLostError,
  PlatformTimeoutError,
  PlatformUnreachableError,
  type CallContext,
} from './errors.ts';

/**
 * One POST to the platform over Node's http module with a keep-alive agent, classified by WHEN it failed:
 *
 * - before a connection existed (refused, no route, DNS, connect timeout): PlatformUnreachableError, the
 *   platform never saw the request;
 * - after the request went onto a connected socket (timeout, reset, closed mid-answer): PlatformTimeoutError
 *   or PlatformConnectionLostError, the outcome is unknown.
 *
 * A pooled keep-alive socket can be closed by the server just as we reuse it. The agent retires idle sockets
 * before the server's announced Keep-Alive timeout to make this rare; when it still happens the failure is
 * reported with `staleSocket` so the client may resend a harmless (read) transaction on a fresh connection.
 */
export interface HttpTransportOptions {
  connectTimeoutMs: number;
  maxSockets: number;
  /** Idle pooled sockets are closed after this (and before the server's Keep-Alive hint). */
  idleSocketMs: number;
  maxResponseBytes: number;
}

export interface HttpAnswer {
  status: number;
  /** The body decoded with the charset of its Content-Type (utf-8 unless it says gbk/gb18030). */
  body: string;
}

export class StaleSocketError extends PlatformConnectionLostError {
  readonly staleSocket = true as const;
}

const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENETDOWN', 'EHOSTDOWN']);

export class HttpTransport {
  /** The request options the URL gives (host, port, path…), worked out once rather than from the URL per POST. */
  private readonly target: http.RequestOptions;
  private readonly agent: http.Agent;
  private readonly options: HttpTransportOptions;

  constructor(url: string, options: HttpTransportOptions) {
    const parsed = new URL(url);
    // The hospital's 医保 front end is plain HTTP inside the hospital network (Jiangsu: http://…/CSB).
    if (parsed.protocol !== 'http:') throw new RangeError(`platform URL must be http://, got ${parsed.protocol}`);
    // Only what a request needs, as a plain object: the URL's own (null-prototype, with href, hash, search…) is
    // copied slowly into every request's options.
    const { protocol, hostname, port, path, auth } = urlToHttpOptions(parsed);
    this.target = { protocol, hostname, port, path, ...(auth ? { auth } : {}) };
    this.options = options;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets, timeout: options.idleSocketMs });
  }

  post(body: string, headers: Record<string, string>, timeoutMs: number, context: CallContext, fresh = false): Promise<HttpAnswer> {
    return new Promise<HttpAnswer>((resolve, reject) => {
      let connected = false;
      let reused = false;
      let responded = false;
      let done = false;
      let timedOut: 'connect' | 'answer' | null = null;
      let connectTimer: NodeJS.Timeout | undefined;

      const finish = (error: Error | null, answer?: HttpAnswer): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearTimeout(connectTimer);
        if (error) reject(error);
        else resolve(answer as HttpAnswer);
      };

      const req = http.request({
        ...this.target,
        method: 'POST',
        agent: fresh ? false : this.agent,
        headers: {
          ...headers,
          'content-type': 'application/json;charset=utf-8',
          'content-length': String(Buffer.byteLength(body)),
          accept: 'application/json',
        },
      });

      const timer = setTimeout(() => {
        timedOut = connected ? 'answer' : 'connect';
        req.destroy();
      }, timeoutMs);

      req.on('socket', (socket) => {
        reused = req.reusedSocket;
        if (!socket.connecting) {
          connected = true;
          return;
        }
        connectTimer = setTimeout(() => {
          if (!connected) {
            timedOut = 'connect';
            req.destroy();
          }
        }, this.options.connectTimeoutMs);
        socket.once('connect', () => {
          connected = true;
          clearTimeout(connectTimer);
        });
      });

      req.on('error', (err: NodeJS.ErrnoException) => {
        const code = err.code ?? 'ERROR';
        if (timedOut === 'connect') return finish(new PlatformUnreachableError(context, 'CONNECT_TIMEOUT', { cause: err }));
        if (timedOut === 'answer') return finish(new PlatformTimeoutError(context, timeoutMs));
        if (!connected || NOT_CONNECTED_CODES.has(code)) return finish(new PlatformUnreachableError(context, code, { cause: err }));
        if (reused && !responded && (code === 'ECONNRESET' || code === 'EPIPE')) {
          return finish(new StaleSocketError(context, code, { cause: err }));
        }
        return finish(new PlatformConnectionLostError(context, code, { cause: err }));
      });

      req.on('response', (res) => {
        responded = true;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.options.maxResponseBytes) {
            finish(new PlatformBadResponseError(context, `body larger than ${this.options.maxResponseBytes} bytes`));
            res.destroy();
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          // An answer of one chunk (most) is decoded as it came, not copied into a new buffer first.
          const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
          finish(null, { status: res.statusCode ?? 0, body: decodeBody(body, res.headers['content-type']) });
        });
        res.on('error', () => {
          /* reported by 'close' below */
        });
        res.on('close', () => {
          if (done) return;
          if (timedOut === 'answer') return finish(new PlatformTimeoutError(context, timeoutMs));
          if (!res.complete) finish(new PlatformConnectionLostError(context, 'RESPONSE_INCOMPLETE'));
        });
      });

      req.on('close', () => {
        // Every path above settles first; this catches a request destroyed while it waited for a socket.
        if (done || responded) return;
        if (timedOut === 'answer') finish(new PlatformTimeoutError(context, timeoutMs));
        else if (!connected) finish(new PlatformUnreachableError(context, timedOut === 'connect' ? 'CONNECT_TIMEOUT' : 'CLOSED'));
        else finish(new PlatformConnectionLostError(context, 'CLOSED'));
      });

      req.end(body);
    });
  }

  /** Closes pooled sockets. In-flight requests finish or fail on their own. */
  close(): void {
    this.agent.destroy();
  }
}

function decodeBody(body: Buffer, contentType: string | undefined): string {
  const charset = charsetOf(contentType);
  return charset === null ? body.toString('utf8') : iconv.decode(body, charset);
}

/** The last Content-Type seen and its charset: a platform answers every request with the same one. */
let lastContentType: string | undefined;
let lastCharset: string | null = null;

/** The charset to decode with other than UTF-8 (gbk, gb18030…), or null for UTF-8 (also unknown or unnamed ones). */
function charsetOf(contentType: string | undefined): string | null {
  if (contentType === lastContentType) return lastCharset;
  const charset = /charset\s*=\s*"?([\w-]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  lastCharset = charset && charset !== 'utf-8' && charset !== 'utf8' && iconv.encodingExists(charset) ? charset : null;
  lastContentType = contentType;
  return lastCharset;
}

import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isLoopback } from '../../insurance/sandbox/http/loopback.ts';
import { BodyTooLarge, readBody } from '../../insurance/sandbox/http/read-body.ts';
import { handleAdmin } from './admin-routes.ts';
import { writeBill } from './bill-file.ts';
import { PaymentFaults } from './faults.ts';
import { Notifier } from './notifier.ts';
import { openApi, type Biz } from './open-api.ts';
import { content, sign, verify } from './rsa2.ts';
import { TradeBook } from './trade-book.ts';
import type { SandboxDeps } from './deps.ts';

export interface PaymentSandboxOptions {
  port?: number;
  /** The merchant application this gateway serves (app_id) and its public key (verifies requests). */
  appId: string;
  appPublicKey: string;
  /** Alipay's private key; default: a fresh RSA-2048 pair per start (its public half is `alipayPublicKey`). */
  alipayPrivateKey?: string;
  /** Where the day's statement files are written. */
  statementDir: string;
  /** Fault injector seed (default 1). */
  seed?: number;
  /** The sandbox clock starts here (ISO) and runs; default the host's time. */
  now?: string;
  notifyRetryDelaysMs?: readonly number[];
}

export interface PaymentSandbox {
  url: string;
  /** The open-API endpoint (https://openapi.alipay.com/gateway.do in production). */
  gatewayUrl: string;
  alipayPublicKey: string;
  book: TradeBook;
  faults: PaymentFaults;
  notifier: Notifier;
  close(): Promise<void>;
}


/** A payment sandbox on 127.0.0.1 speaking Alipay's open-API wire, with an admin API for the simulated phone. */
export async function startPaymentSandbox(o: PaymentSandboxOptions): Promise<PaymentSandbox> {
  const offset = o.now ? Date.parse(o.now) - Date.now() : 0;
  if (Number.isNaN(offset)) throw new Error(`now is not an ISO time: ${o.now}`);
  const now = () => new Date(Date.now() + offset);
  const keys = o.alipayPrivateKey
    ? { privateKey: o.alipayPrivateKey, publicKey: publicOf(o.alipayPrivateKey) }
    : generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const book = new TradeBook(now);
  const faults = new PaymentFaults(o.seed ?? 1);
  const notifier = new Notifier({ appId: o.appId, alipayPrivateKey: keys.privateKey, now, ...(o.notifyRetryDelaysMs ? { retryDelaysMs: o.notifyRetryDelaysMs } : {}) });
  let baseUrl = '';
  const deps: SandboxDeps = {
    appId: o.appId,
    appPublicKey: o.appPublicKey,
    alipayPrivateKey: keys.privateKey,
    alipayPublicKey: keys.publicKey,
    book,
    faults,
    notifier,
    statementDir: o.statementDir,
    baseUrl: () => baseUrl,
    now,
  };
  const server = createPaymentServer(deps);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    gatewayUrl: `${baseUrl}/gateway.do`,
    alipayPublicKey: keys.publicKey,
    book,
    faults,
    notifier,
    async close() {
      await notifier.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function publicOf(privateKeyPem: string): string {
  return createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
}

function sendJson(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** `{"<method>_response":{…},"sign":"…"}`: the sign is over the member's exact JSON text. */
function signedReply(deps: SandboxDeps, method: string | null, body: Record<string, unknown>): string {
  const key = method ? `${method.replaceAll('.', '_')}_response` : 'error_response';
  const text = JSON.stringify(body);
  return `{"${key}":${text},"sign":"${sign(text, deps.alipayPrivateKey)}"}`;
}

async function handleGateway(req: IncomingMessage, res: ServerResponse, deps: SandboxDeps): Promise<void> {
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'POST' }).end();
    return;
  }
  let text: string;
  try {
    text = await readBody(req, 1 << 20);
  } catch (e) {
    if (e instanceof BodyTooLarge) sendJson(res, 413, signedReply(deps, null, { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-parameter', sub_msg: '请求过大' }));
    return;
  }
  const params: Record<string, string> = {};
  for (const [k, v] of new URL(req.url ?? '/', 'http://x').searchParams) params[k] = v;
  for (const [k, v] of new URLSearchParams(text)) params[k] = v;
  const method = params.method && Object.hasOwn(openApi, params.method) ? params.method : null;

  const plan = deps.faults.plan(method);
  if (plan.latencyMs > 0) await sleep(plan.latencyMs);
  if (plan.terminal?.kind === 'http5xx') {
    res.writeHead(plan.terminal.status, { 'content-type': 'text/plain' }).end(`${plan.terminal.status} (sandbox fault injection)`);
    return;
  }
  if (plan.terminal?.kind === 'reset') {
    req.socket.resetAndDestroy();
    return;
  }
  if (plan.terminal?.kind === 'timeout') {
    await sleep(plan.terminal.ms);
    req.socket.destroy();
    return;
  }

  const refuse = (sub_code: string, sub_msg: string, code = '40002', msg = 'Invalid Arguments') => sendJson(res, 200, signedReply(deps, method, { code, msg, sub_code, sub_msg }));
  if (!method) return refuse('isv.invalid-method', `不存在的方法名：${params.method ?? ''}`);
  if (params.app_id !== deps.appId) return refuse('isv.invalid-app-id', '无效的AppID参数');
  if (params.sign_type !== 'RSA2') return refuse('isv.invalid-signature-type', '无效的签名类型');
  if (!params.sign || !verify(content(params, ['sign']), params.sign, deps.appPublicKey)) return refuse('isv.invalid-signature', '验签出错');
  let biz: Biz;
  try {
    biz = JSON.parse(params.biz_content ?? '{}') as Biz;
  } catch {
    return refuse('isv.invalid-parameter', 'biz_content 不是有效的JSON');
  }

  const answer = openApi[method]!(biz, {
    book: deps.book,
    notifyUrl: params.notify_url || null,
    baseUrl: deps.baseUrl(),
    writeBill: (day) => writeBill(deps.statementDir, deps.book, deps.appId, day),
  });
  if (answer.paid) deps.notifier.notify(answer.paid, deps.faults.duplicates(method) ? 2 : 1);
  if (plan.terminal?.kind === 'drop-after-commit') {
    req.socket.destroy();
    return;
  }
  sendJson(res, 200, signedReply(deps, method, answer.body));
}

function serveBill(res: ServerResponse, deps: SandboxDeps, name: string): void {
  const path = join(deps.statementDir, name);
  if (!/^[\w.-]+\.csv$/.test(name) || !existsSync(path)) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('no such bill');
    return;
  }
  res.writeHead(200, { 'content-type': 'text/csv;charset=gbk' });
  createReadStream(path).pipe(res);
}

export function createPaymentServer(deps: SandboxDeps): Server {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    let work: Promise<void>;
    if (path === '/gateway.do') work = handleGateway(req, res, deps);
    else if (path.startsWith('/bills/')) work = Promise.resolve(serveBill(res, deps, path.slice('/bills/'.length)));
    else if (path.startsWith('/admin/')) {
      work = isLoopback(req.socket.remoteAddress) ? handleAdmin(req, res, deps, path) : Promise.resolve(sendJson(res, 403, JSON.stringify({ error: 'admin endpoint: loopback only' })));
    } else work = Promise.resolve(sendJson(res, 404, JSON.stringify({ error: `no such path: ${path}` })));
    work.catch((e: unknown) => {
      console.error('payment sandbox: request failed', e);
      if (!res.headersSent) sendJson(res, 500, JSON.stringify({ error: 'internal error' }));
      else res.destroy();
    });
  });
  server.on('clientError', (_e, socket) => socket.destroy());
  server.keepAliveTimeout = 5_000;
  return server;
}

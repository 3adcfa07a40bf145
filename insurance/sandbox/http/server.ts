import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Platform } from '../platform/platform.ts';
import { handleAdmin, type AdminDeps } from './admin-routes.ts';
import { verifyCsb } from './csb-signature.ts';
import type { FaultInjector } from './faults.ts';
import { isLoopback } from './loopback.ts';
import { BodyTooLarge, readBody } from './read-body.ts';

/** Where the national envelope is accepted (nhsa-interface.md §1: other provinces' path, and the root). */
export const PLATFORM_PATHS: readonly string[] = ['/fsi/api/rsfComIfsService/callService', '/'];
/** The e-voucher decode service (ec.query), beside the platform. */
export const EC_QUERY_PATH = '/ec/query';

const MAX_BODY = 32 << 20;

export interface ServerDeps extends AdminDeps {
  platform: Platform;
  faults: FaultInjector;
}

function sendJson(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** A national-style failure body for answers outside the platform (bad JSON, CSB): infcode -1. */
function failureBody(errMsg: string): string {
  return JSON.stringify({ infcode: -1, inf_refmsgid: null, refmsg_time: null, respond_time: null, err_msg: errMsg, warn_msg: null, output: null });
}

async function handlePlatform(req: IncomingMessage, res: ServerResponse, deps: ServerDeps): Promise<void> {
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain; charset=utf-8' });
    res.end('POST the national envelope here');
    return;
  }
  let text: string;
  try {
    text = await readBody(req, MAX_BODY);
  } catch (e) {
    if (e instanceof BodyTooLarge) return sendJson(res, 413, failureBody('报文过大'));
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return sendJson(res, 400, failureBody('报文不是有效的JSON'));
  }

  noteEcTokenUse(body, deps);
  const plan = deps.faults.plan(Platform.infnoOf(body));
  if (plan.latencyMs > 0) {
    await sleep(plan.latencyMs);
    // The sandbox was closed while this request waited: nothing to process it with.
    if (!deps.state.db.open) {
      req.socket.destroy();
      return;
    }
  }
  if (plan.terminal?.kind === 'http5xx') {
    res.writeHead(plan.terminal.status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`${plan.terminal.status} (sandbox fault injection)`);
    return;
  }
  if (plan.terminal?.kind === 'reset') {
    req.socket.resetAndDestroy();
    return;
  }

  const csb = verifyCsb(req.headers, deps.world.csb);
  if (!csb.ok) return sendJson(res, 401, failureBody(csb.reason));

  let answer;
  try {
    answer = deps.platform.handle(body);
  } catch (e) {
    // A defect of the sandbox, not a business refusal: nothing was committed (the transaction rolled back).
    console.error('sandbox: internal error', e);
    return sendJson(res, 500, failureBody('平台内部错误'));
  }
  if (plan.terminal?.kind === 'drop-after-commit') {
    // Committed and on disk; the answer is lost on the way back.
    req.socket.destroy();
    return;
  }
  sendJson(res, 200, answer.body);
}

/** Records every mdtrt_cert_type 01 a transaction carries: the journal that shows no QR text was used as an ecToken. */
function noteEcTokenUse(body: unknown, deps: ServerDeps): void {
  const env = body as { infno?: unknown; input?: { data?: { mdtrt_cert_type?: unknown; mdtrt_cert_no?: unknown } } } | null;
  const data = env?.input?.data;
  if (data?.mdtrt_cert_type === '01' && typeof data.mdtrt_cert_no === 'string') deps.ecVouchers.noteTokenUse(String(env?.infno ?? ''), data.mdtrt_cert_no);
}

/** The e-voucher decode service (ec.query): POST JSON, answer JSON with code 0 or an EC10xx code. */
async function handleEcQuery(req: IncomingMessage, res: ServerResponse, deps: ServerDeps): Promise<void> {
  if (req.method !== 'POST') return sendJson(res, 405, JSON.stringify({ code: 'EC1003', message: '请使用POST', data: null }));
  let body: unknown;
  try {
    body = JSON.parse(await readBody(req, 64 * 1024));
  } catch {
    return sendJson(res, 400, JSON.stringify({ code: 'EC1003', message: '请求不是有效的JSON', data: null }));
  }
  const fault = deps.faults.plan('ec.query');
  if (fault.latencyMs > 0) await sleep(fault.latencyMs);
  if (fault.terminal?.kind === 'reset' || fault.terminal?.kind === 'drop-after-commit') {
    req.socket.destroy();
    return;
  }
  sendJson(res, 200, JSON.stringify(deps.ecVouchers.query(body)));
}

/** The sandbox's HTTP server: the platform endpoint and the loopback-only admin API. */
export function createSandboxServer(deps: ServerDeps): Server {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const work = path === '/admin' || path.startsWith('/admin/')
      ? isLoopback(req.socket.remoteAddress)
        ? handleAdmin(req, res, deps)
        : Promise.resolve(sendJson(res, 403, JSON.stringify({ error: 'admin endpoint: loopback only' })))
      : PLATFORM_PATHS.includes(path)
        ? handlePlatform(req, res, deps)
        : path === EC_QUERY_PATH
          ? handleEcQuery(req, res, deps)
        : Promise.resolve(sendJson(res, 404, failureBody(`路径不存在：${path}`)));
    work.catch((e: unknown) => {
      console.error('sandbox: request failed', e);
      if (!res.headersSent) sendJson(res, 500, failureBody('平台内部错误'));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  return server;
}

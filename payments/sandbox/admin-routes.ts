import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { readBody } from '../../insurance/sandbox/http/read-body.ts';
import { writeBill } from './bill-file.ts';
import { PaymentFaultSpec } from './faults.ts';
import { fenToYuan } from './open-api.ts';
import type { SandboxDeps } from './deps.ts';
import { chinaDateTime, type Trade } from './trade-book.ts';

/**
 * The loopback admin API: the simulated phone (scan a QR and pay or decline, show a 付款码, confirm a
 * password), the fault injector, the trade list and the day's statement. docs/payments.md lists every route.
 */
const Scan = z.object({ qrCode: z.string().optional(), outTradeNo: z.string().optional(), action: z.enum(['pay', 'decline']), buyer: z.string().max(40).optional() }).strict();
const IssueCode = z.object({ behaviour: z.enum(['pay', 'confirm', 'decline', 'insufficient']).default('pay'), buyer: z.string().max(40).optional() }).strict();

function send(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function tradeView(t: Trade, refundedFen: number) {
  return {
    outTradeNo: t.outTradeNo,
    tradeNo: t.tradeNo,
    status: t.status,
    scene: t.scene,
    totalFen: t.totalFen,
    totalAmount: fenToYuan(t.totalFen),
    refundedFen,
    charges: t.charges,
    operatorId: t.operatorId,
    terminalId: t.terminalId,
    qrCode: t.qrCode,
    createdAt: chinaDateTime(t.createdAt),
    paidAt: t.paidAt ? chinaDateTime(t.paidAt) : null,
  };
}

async function json(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req, 64 << 10);
  return text.trim() === '' ? {} : JSON.parse(text);
}

export async function handleAdmin(req: IncomingMessage, res: ServerResponse, deps: SandboxDeps, path: string): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const route = `${req.method} ${path}`;
  let body: unknown = {};
  if (req.method === 'POST') {
    try {
      body = await json(req);
    } catch {
      return send(res, 400, { error: 'body is not JSON' });
    }
  }
  const { book } = deps;
  switch (route) {
    case 'GET /admin/keys':
      return send(res, 200, { appId: deps.appId, alipayPublicKey: deps.alipayPublicKey });
    case 'GET /admin/trades':
      return send(res, 200, [...book.trades.values()].filter((t) => t.totalFen > 0).map((t) => tradeView(t, book.refundedFen(t))));
    case 'POST /admin/scan': {
      const p = Scan.safeParse(body);
      if (!p.success) return send(res, 400, { error: p.error.issues.map((i) => i.message).join('; ') });
      const t = p.data.qrCode ? book.byQr(p.data.qrCode) : p.data.outTradeNo ? book.get(p.data.outTradeNo) : undefined;
      if (!t) return send(res, 404, { error: '二维码无效或交易不存在' });
      if (t.status !== 'WAIT_BUYER_PAY') return send(res, 409, { error: `交易状态为 ${t.status}`, trade: tradeView(t, book.refundedFen(t)) });
      if (p.data.action === 'pay') {
        book.markPaid(t, p.data.buyer ?? '159****5620');
        deps.notifier.notify(t, deps.faults.duplicates(t.scene === 'qr' ? 'alipay.trade.precreate' : 'alipay.trade.pay') ? 2 : 1);
      } else if (t.scene === 'bar_code') t.status = 'TRADE_CLOSED';
      return send(res, 200, tradeView(t, book.refundedFen(t)));
    }
    case 'POST /admin/finish': {
      // The trade's refund period is over (TRADE_FINISHED): a refund of it is refused (ACQ.TRADE_HAS_FINISHED).
      const no = typeof (body as { outTradeNo?: unknown }).outTradeNo === 'string' ? (body as { outTradeNo: string }).outTradeNo : '';
      const t = book.get(no);
      if (!t || t.status !== 'TRADE_SUCCESS') return send(res, 409, { error: t ? `交易状态为 ${t.status}` : '交易不存在' });
      t.status = 'TRADE_FINISHED';
      return send(res, 200, tradeView(t, book.refundedFen(t)));
    }
    case 'POST /admin/seller-balance': {
      // The merchant account runs short (refunds refused with ACQ.SELLER_BALANCE_NOT_ENOUGH) or is topped up.
      const short = (body as { short?: unknown }).short;
      if (typeof short !== 'boolean') return send(res, 400, { error: 'short: boolean' });
      book.sellerBalanceShort = short;
      return send(res, 200, { short });
    }
    case 'POST /admin/payment-codes': {
      const p = IssueCode.safeParse(body);
      if (!p.success) return send(res, 400, { error: p.error.issues.map((i) => i.message).join('; ') });
      return send(res, 200, { authCode: book.issueCode(p.data.behaviour, p.data.buyer ?? '138****0001') });
    }
    case 'GET /admin/faults':
      return send(res, 200, deps.faults.list());
    case 'POST /admin/faults': {
      const p = PaymentFaultSpec.safeParse(body);
      if (!p.success) return send(res, 400, { error: p.error.issues.map((i) => i.message).join('; ') });
      return send(res, 200, deps.faults.add(p.data));
    }
    case 'DELETE /admin/faults': {
      const seed = url.searchParams.get('seed');
      deps.faults.clear(seed === null ? undefined : Number(seed));
      return send(res, 200, { ok: true });
    }
    case 'GET /admin/notifications':
      return send(res, 200, deps.notifier.sent);
    case 'GET /admin/statement': {
      const day = url.searchParams.get('date') ?? chinaDateTime(deps.now()).slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return send(res, 400, { error: 'date: YYYY-MM-DD' });
      const name = writeBill(deps.statementDir, book, deps.appId, day);
      return send(res, 200, { file: name, url: `${deps.baseUrl()}/bills/${name}` });
    }
    default:
      return send(res, 404, { error: `no such admin route: ${route}` });
  }
}

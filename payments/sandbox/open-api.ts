import { chinaDateTime, type CodeBehaviour, type Trade, type TradeBook } from './trade-book.ts';

/**
 * The 当面付 methods of Alipay's open API as the sandbox answers them: each takes the parsed biz_content and
 * returns the `*_response` object (code 10000 success, 10003 waiting for the buyer, 40002 bad arguments,
 * 40004 business failure with sub_code), plus the trade whose payment must be notified, if any.
 */
export type Biz = Record<string, unknown>;
export interface MethodAnswer {
  body: Record<string, unknown>;
  /** The trade just paid: the notifier posts trade_status_sync to its notify_url. */
  paid?: Trade;
}
export interface MethodContext {
  book: TradeBook;
  notifyUrl: string | null;
  /** Where the sandbox is reachable (QR codes, bill download URLs). */
  baseUrl: string;
  writeBill(day: string): string;
}

const OK = { code: '10000', msg: 'Success' } as const;
const fail = (sub_code: string, sub_msg: string) => ({ body: { code: '40004', msg: 'Business Failed', sub_code, sub_msg } });
const invalid = (sub_code: string, sub_msg: string) => ({ body: { code: '40002', msg: 'Invalid Arguments', sub_code, sub_msg } });

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function yuanToFen(v: unknown): number | null {
  const m = typeof v === 'string' ? /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(v) : null;
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : null;
}
export function fenToYuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

function timeoutMinutes(v: unknown): number {
  const m = typeof v === 'string' ? /^(\d{1,4})([mhd])$/.exec(v) : null;
  if (!m) return 120; // Alipay's default for 当面付 is 2 hours… the sandbox keeps it
  return Number(m[1]) * (m[2] === 'm' ? 1 : m[2] === 'h' ? 60 : 1440);
}

function tradeFields(t: Trade): Record<string, unknown> {
  return {
    trade_no: t.tradeNo,
    out_trade_no: t.outTradeNo,
    total_amount: fenToYuan(t.totalFen),
    ...(t.buyerLogonId ? { buyer_logon_id: t.buyerLogonId } : {}),
  };
}

function newOrder(biz: Biz): { outTradeNo: string; totalFen: number; subject: string } | { body: Record<string, unknown> } {
  const outTradeNo = str(biz.out_trade_no);
  if (!outTradeNo || !/^[A-Za-z0-9_]{1,64}$/.test(outTradeNo)) return invalid('isv.invalid-parameter', 'out_trade_no 格式错误');
  const totalFen = yuanToFen(biz.total_amount);
  if (totalFen === null || totalFen < 1 || totalFen > 10_000_000_000) return invalid('isv.invalid-parameter', 'total_amount 格式错误');
  const subject = str(biz.subject);
  if (!subject) return invalid('isv.missing-parameter', '缺少 subject');
  return { outTradeNo, totalFen, subject };
}

function existing(t: Trade, totalFen: number): { body: Record<string, unknown> } | null {
  if (t.status === 'TRADE_SUCCESS' || t.status === 'TRADE_FINISHED') return fail('ACQ.TRADE_HAS_SUCCESS', '交易已被支付');
  if (t.status === 'TRADE_CLOSED') return fail('ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
  if (t.totalFen !== totalFen) return fail('ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改');
  return null;
}

export const openApi: Record<string, (biz: Biz, ctx: MethodContext) => MethodAnswer> = {
  'alipay.trade.precreate'(biz, ctx) {
    const o = newOrder(biz);
    if ('body' in o) return o;
    const t = ctx.book.get(o.outTradeNo);
    if (t) {
      const refused = existing(t, o.totalFen);
      if (refused) return refused;
      return { body: { ...OK, out_trade_no: t.outTradeNo, qr_code: t.qrCode } };
    }
    const created = ctx.book.create({ ...o, scene: 'qr', operatorId: str(biz.operator_id) ?? '', terminalId: str(biz.terminal_id) ?? '', notifyUrl: ctx.notifyUrl, timeoutMinutes: timeoutMinutes(biz.timeout_express), qrBase: ctx.baseUrl });
    return { body: { ...OK, out_trade_no: created.outTradeNo, qr_code: created.qrCode } };
  },

  'alipay.trade.pay'(biz, ctx) {
    const o = newOrder(biz);
    if ('body' in o) return o;
    if (biz.scene !== 'bar_code') return invalid('isv.invalid-parameter', 'scene 只支持 bar_code');
    const authCode = str(biz.auth_code);
    if (!authCode) return invalid('isv.missing-parameter', '缺少 auth_code');
    const prior = ctx.book.get(o.outTradeNo);
    if (prior) return existing(prior, o.totalFen) ?? fail('ACQ.TRADE_STATUS_ERROR', '交易正在等待买家付款');
    const code = ctx.book.takeCode(authCode);
    if (!code) return fail('ACQ.PAYMENT_AUTH_CODE_INVALID', '支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款');
    const t = ctx.book.create({ ...o, scene: 'bar_code', operatorId: str(biz.operator_id) ?? '', terminalId: str(biz.terminal_id) ?? '', notifyUrl: ctx.notifyUrl, timeoutMinutes: timeoutMinutes(biz.timeout_express), qrBase: ctx.baseUrl });
    return payByCode(ctx, t, code.behaviour, code.buyer);
  },

  'alipay.trade.query'(biz, ctx) {
    const t = ctx.book.get(str(biz.out_trade_no) ?? '');
    if (!t || t.totalFen === 0) return fail('ACQ.TRADE_NOT_EXIST', '交易不存在');
    return { body: { ...OK, ...tradeFields(t), trade_status: t.status, ...(t.paidAt ? { send_pay_date: chinaDateTime(t.paidAt) } : {}) } };
  },

  'alipay.trade.cancel'(biz, ctx) {
    const outTradeNo = str(biz.out_trade_no);
    if (!outTradeNo) return invalid('isv.missing-parameter', '缺少 out_trade_no');
    const t = ctx.book.get(outTradeNo);
    if (!t) {
      // A pay that never arrived: the number is closed for good, so a late duplicate cannot charge.
      const tomb = ctx.book.create({ outTradeNo, totalFen: 0, subject: '', scene: 'bar_code', operatorId: '', terminalId: '', notifyUrl: null, timeoutMinutes: 0, qrBase: ctx.baseUrl });
      tomb.status = 'TRADE_CLOSED';
      return { body: { ...OK, out_trade_no: outTradeNo, retry_flag: 'N', action: 'close' } };
    }
    if (t.status === 'WAIT_BUYER_PAY') {
      t.status = 'TRADE_CLOSED';
      return { body: { ...OK, out_trade_no: outTradeNo, trade_no: t.tradeNo, retry_flag: 'N', action: 'close' } };
    }
    if (t.status === 'TRADE_SUCCESS') {
      const rest = t.totalFen - ctx.book.refundedFen(t);
      if (rest > 0) ctx.book.addRefund(t, `CANCEL-${t.outTradeNo}`, rest);
      return { body: { ...OK, out_trade_no: outTradeNo, trade_no: t.tradeNo, retry_flag: 'N', action: 'refund' } };
    }
    if (t.status === 'TRADE_FINISHED') return fail('ACQ.TRADE_STATUS_ERROR', '交易已完结，不能撤销');
    return { body: { ...OK, out_trade_no: outTradeNo, trade_no: t.tradeNo, retry_flag: 'N', action: t.refunds.size > 0 ? 'refund' : 'close' } };
  },

  'alipay.trade.close'(biz, ctx) {
    const t = ctx.book.get(str(biz.out_trade_no) ?? '');
    if (!t || t.totalFen === 0) return fail('ACQ.TRADE_NOT_EXIST', '交易不存在');
    if (t.status === 'TRADE_SUCCESS' || t.status === 'TRADE_FINISHED') return fail('ACQ.TRADE_STATUS_ERROR', '交易已支付，不能关闭');
    t.status = 'TRADE_CLOSED';
    return { body: { ...OK, out_trade_no: t.outTradeNo, trade_no: t.tradeNo } };
  },

  'alipay.trade.refund'(biz, ctx) {
    const t = ctx.book.get(str(biz.out_trade_no) ?? '');
    if (!t || t.totalFen === 0) return fail('ACQ.TRADE_NOT_EXIST', '交易不存在');
    const fen = yuanToFen(biz.refund_amount);
    if (fen === null || fen < 1) return invalid('isv.invalid-parameter', 'refund_amount 格式错误');
    const requestNo = str(biz.out_request_no) ?? t.outTradeNo;
    const prior = t.refunds.get(requestNo);
    if (prior) {
      if (prior.fen !== fen) return fail('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额与原退款请求不一致');
      return { body: { ...OK, ...tradeFields(t), fund_change: 'N', refund_fee: fenToYuan(ctx.book.refundedFen(t)) } };
    }
    if (t.status === 'WAIT_BUYER_PAY') return fail('ACQ.TRADE_STATUS_ERROR', '交易未支付，不能退款');
    if (t.status === 'TRADE_CLOSED') return fail('ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
    if (t.status === 'TRADE_FINISHED') return fail('ACQ.TRADE_HAS_FINISHED', '交易已完结，超过可退款期限');
    if (ctx.book.refundedFen(t) + fen > t.totalFen) return fail('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超过可退金额');
    // A refused request is not kept: the same out_request_no may be sent again once the account is topped up.
    if (ctx.book.sellerBalanceShort) return fail('ACQ.SELLER_BALANCE_NOT_ENOUGH', '卖家余额不足');
    ctx.book.addRefund(t, requestNo, fen);
    return { body: { ...OK, ...tradeFields(t), fund_change: 'Y', refund_fee: fenToYuan(ctx.book.refundedFen(t)), gmt_refund_pay: chinaDateTime(new Date()) } };
  },

  'alipay.trade.fastpay.refund.query'(biz, ctx) {
    const t = ctx.book.get(str(biz.out_trade_no) ?? '');
    if (!t || t.totalFen === 0) return fail('ACQ.TRADE_NOT_EXIST', '交易不存在');
    const requestNo = str(biz.out_request_no) ?? t.outTradeNo;
    const r = t.refunds.get(requestNo);
    if (!r) return { body: { ...OK } };
    return { body: { ...OK, ...tradeFields(t), out_request_no: requestNo, refund_amount: fenToYuan(r.fen), refund_status: 'REFUND_SUCCESS' } };
  },

  'alipay.data.dataservice.bill.downloadurl.query'(biz, ctx) {
    const day = str(biz.bill_date);
    if (biz.bill_type !== 'trade' || !day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return invalid('isv.invalid-parameter', 'bill_type 或 bill_date 格式错误');
    const name = ctx.writeBill(day);
    return { body: { ...OK, bill_download_url: `${ctx.baseUrl}/bills/${name}` } };
  },
};

/** A simulated phone's answer to a 付款码 charge. */
function payByCode(ctx: MethodContext, t: Trade, behaviour: CodeBehaviour, buyer: string): MethodAnswer {
  if (behaviour === 'decline' || behaviour === 'insufficient') {
    t.status = 'TRADE_CLOSED';
    return behaviour === 'decline' ? fail('ACQ.PAYMENT_FAIL', '支付失败，买家取消了支付') : fail('ACQ.BUYER_BALANCE_NOT_ENOUGH', '买家余额不足');
  }
  if (behaviour === 'confirm') {
    return { body: { code: '10003', msg: ' order success pay inprocess', ...tradeFields(t) } };
  }
  ctx.book.markPaid(t, buyer);
  return { body: { ...OK, ...tradeFields(t), receipt_amount: fenToYuan(t.totalFen), gmt_payment: chinaDateTime(t.paidAt!) }, paid: t };
}

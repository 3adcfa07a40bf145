import { chinaDateTime } from '../../base/china-time.ts';
import { yuanToFen, fenToYuan } from './money.ts';
import { parseBill } from './bill-csv.ts';
import { memberText } from './response-text.ts';
import { signContent, signRsa2, verifyRsa2 } from './signing.ts';
import type { GatewayResult, OrderRequest, PaymentGateway, PaymentNotification, StatementLine, TradeState, TradeStatus } from './gateway.ts';

export interface AlipayConfig {
  /** The open-API gateway (production https://openapi.alipay.com/gateway.do; the sandbox's /gateway.do). */
  gatewayUrl: string;
  appId: string;
  /** The application's private key (PEM, PKCS#8 or PKCS#1): signs requests. */
  appPrivateKey: string;
  /** Alipay's public key (PEM) from the open-platform console: verifies replies and notifications. */
  alipayPublicKey: string;
  /** Where Alipay posts the asynchronous notifications (notify_url); null: the terminal polls only. */
  notifyUrl: string | null;
  /** Per request; an answer later than this is an unknown outcome. */
  timeoutMs: number;
}

const TRADE_STATUSES: readonly TradeStatus[] = ['WAIT_BUYER_PAY', 'TRADE_SUCCESS', 'TRADE_CLOSED', 'TRADE_FINISHED'];

/** Sub-codes Alipay documents as "系统异常/处理中": the outcome is not known, query before anything else. */
const UNKNOWN_SUB_CODES = new Set(['ACQ.SYSTEM_ERROR', 'aop.ACQ.SYSTEM_ERROR', 'ACQ.TRADE_STATUS_UNKNOWN']);

type Body = Record<string, unknown>;

/**
 * A client of Alipay's open API (OpenAPI 2.0, the gateway.do protocol), for 当面付: precreate (C扫B), pay
 * (B扫C), query, cancel, close, refund, refund query and the trade bill. Written from the published protocol,
 * cited in docs/payments.md: common parameters, biz_content as JSON text, RSA2 over the sorted parameters, the
 * reply verified over the raw text of its `*_response` member, notifications verified without sign/sign_type.
 */
export class AlipayGateway implements PaymentGateway {
  readonly channel = 'alipay' as const;

  constructor(
    private readonly config: AlipayConfig,
    private readonly clock: { now(): Date } = { now: () => new Date() },
  ) {}

  async precreate(o: OrderRequest): Promise<GatewayResult<{ qrCode: string }>> {
    const r = await this.call('alipay.trade.precreate', this.orderContent(o), true);
    if (r.kind !== 'ok') return r;
    const qr = r.value.qr_code;
    return typeof qr === 'string' && qr !== '' ? { kind: 'ok', value: { qrCode: qr } } : { kind: 'unknown', reason: 'precreate reply without qr_code' };
  }

  async pay(o: OrderRequest & { authCode: string }): Promise<GatewayResult<TradeState>> {
    const r = await this.call('alipay.trade.pay', { ...this.orderContent(o), scene: 'bar_code', auth_code: o.authCode });
    if (r.kind !== 'ok') return r;
    // 10000: paid; 10003 (WAIT_USER_PAY): the buyer confirms on the phone (password), poll query.
    const waiting = r.value.code === '10003';
    return this.tradeState(r.value, o.outTradeNo, waiting ? 'WAIT_BUYER_PAY' : 'TRADE_SUCCESS', o.totalFen);
  }

  async query(outTradeNo: string): Promise<GatewayResult<TradeState>> {
    const r = await this.call('alipay.trade.query', { out_trade_no: outTradeNo });
    if (r.kind !== 'ok') return r;
    return this.tradeState(r.value, outTradeNo, null, null);
  }

  async cancel(outTradeNo: string): Promise<GatewayResult<{ action: 'close' | 'refund' | null }>> {
    const r = await this.call('alipay.trade.cancel', { out_trade_no: outTradeNo });
    if (r.kind !== 'ok') return r;
    // retry_flag Y: Alipay asks for the cancel to be repeated: the outcome is not final yet.
    if (r.value.retry_flag === 'Y') return { kind: 'unknown', reason: 'cancel answered retry_flag=Y' };
    const action = r.value.action === 'close' || r.value.action === 'refund' ? r.value.action : null;
    return { kind: 'ok', value: { action } };
  }

  async close(outTradeNo: string): Promise<GatewayResult<null>> {
    const r = await this.call('alipay.trade.close', { out_trade_no: outTradeNo });
    return r.kind === 'ok' ? { kind: 'ok', value: null } : r;
  }

  async refund(x: { outTradeNo: string; outRequestNo: string; refundFen: number; reason: string }): Promise<GatewayResult<{ refundedTotalFen: number }>> {
    const r = await this.call('alipay.trade.refund', {
      out_trade_no: x.outTradeNo,
      out_request_no: x.outRequestNo,
      refund_amount: fenToYuan(x.refundFen),
      refund_reason: x.reason,
    });
    if (r.kind !== 'ok') return r;
    const total = yuanToFen(r.value.refund_fee);
    if (total === null) return { kind: 'unknown', reason: 'refund reply without refund_fee' };
    return { kind: 'ok', value: { refundedTotalFen: total } };
  }

  async refundQuery(x: { outTradeNo: string; outRequestNo: string }): Promise<GatewayResult<{ refundedFen: number | null }>> {
    const r = await this.call('alipay.trade.fastpay.refund.query', { out_trade_no: x.outTradeNo, out_request_no: x.outRequestNo });
    if (r.kind !== 'ok') return r;
    // An empty reply (no refund_amount) means the refund does not exist; REFUND_SUCCESS or no status (older
    // merchants) with an amount means it took effect.
    const amount = yuanToFen(r.value.refund_amount);
    const status = r.value.refund_status;
    const done = amount !== null && (status === undefined || status === 'REFUND_SUCCESS');
    return { kind: 'ok', value: { refundedFen: done ? amount : null } };
  }

  async statement(day: string): Promise<GatewayResult<StatementLine[]>> {
    const r = await this.call('alipay.data.dataservice.bill.downloadurl.query', { bill_type: 'trade', bill_date: day });
    if (r.kind !== 'ok') return r;
    const url = r.value.bill_download_url;
    if (typeof url !== 'string') return { kind: 'unknown', reason: 'bill reply without bill_download_url' };
    let bytes: Uint8Array;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(this.config.timeoutMs) });
      if (!res.ok) return { kind: 'unknown', reason: `bill download: HTTP ${res.status}` };
      bytes = new Uint8Array(await res.arrayBuffer());
    } catch (e) {
      return { kind: 'unknown', reason: `bill download: ${(e as Error).message}` };
    }
    const lines = parseBill(bytes);
    return Array.isArray(lines) ? { kind: 'ok', value: lines } : { kind: 'unknown', reason: lines.error };
  }

  verifyNotification(params: Record<string, string>): PaymentNotification | null {
    const sign = params.sign;
    if (!sign || params.app_id !== this.config.appId) return null;
    // 异步通知验签: all parameters but sign and sign_type, sorted, key=value&… (values URL-decoded already).
    if (!verifyRsa2(signContent(params, ['sign', 'sign_type']), sign, this.config.alipayPublicKey)) return null;
    const status = params.trade_status as TradeStatus;
    const total = yuanToFen(params.total_amount);
    if (!params.out_trade_no || !TRADE_STATUSES.includes(status) || total === null || !params.notify_id) return null;
    return { outTradeNo: params.out_trade_no, tradeNo: params.trade_no || null, status, totalFen: total, notifyId: params.notify_id };
  }

  // ── the wire ────────────────────────────────────────────────────────────────────────────────────────

  private orderContent(o: OrderRequest): Body {
    return {
      out_trade_no: o.outTradeNo,
      total_amount: fenToYuan(o.totalFen),
      subject: o.subject,
      operator_id: o.operatorId,
      terminal_id: o.terminalId,
      timeout_express: o.timeoutExpress,
    };
  }

  private tradeState(v: Body, outTradeNo: string, status: TradeStatus | null, totalFen: number | null): GatewayResult<TradeState> {
    const s = status ?? (v.trade_status as TradeStatus);
    const total = yuanToFen(v.total_amount) ?? totalFen;
    if (!TRADE_STATUSES.includes(s) || total === null) return { kind: 'unknown', reason: 'trade reply without trade_status or total_amount' };
    if (typeof v.out_trade_no === 'string' && v.out_trade_no !== outTradeNo) return { kind: 'unknown', reason: 'reply names another out_trade_no' };
    return {
      kind: 'ok',
      value: {
        outTradeNo,
        tradeNo: typeof v.trade_no === 'string' && v.trade_no !== '' ? v.trade_no : null,
        status: s,
        totalFen: total,
        buyerLogonId: typeof v.buyer_logon_id === 'string' ? v.buyer_logon_id : null,
        paidAt: typeof v.gmt_payment === 'string' ? v.gmt_payment : typeof v.send_pay_date === 'string' ? v.send_pay_date : null,
      },
    };
  }

  /**
   * One signed request. `notify` adds notify_url (the calls whose result Alipay notifies). The reply is
   * trusted only once its `*_response` text verifies under Alipay's key.
   */
  private async call(method: string, bizContent: Body, notify = false): Promise<GatewayResult<Body>> {
    const params: Record<string, string> = {
      app_id: this.config.appId,
      method,
      format: 'JSON',
      charset: 'utf-8',
      sign_type: 'RSA2',
      timestamp: chinaDateTime(this.clock.now()),
      version: '1.0',
      biz_content: JSON.stringify(bizContent),
    };
    if (notify && this.config.notifyUrl) params.notify_url = this.config.notifyUrl;
    params.sign = signRsa2(signContent(params), this.config.appPrivateKey);

    let raw: string;
    try {
      const res = await fetch(`${this.config.gatewayUrl}?charset=utf-8`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      raw = await res.text();
      if (res.status !== 200) return { kind: 'unknown', reason: `HTTP ${res.status}` };
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      return { kind: 'unknown', reason: err.name === 'TimeoutError' ? 'timeout' : (err.cause?.code ?? err.message) };
    }
    return this.readReply(raw, method);
  }

  /** Exported for the signature tests through `verifyReply`. */
  readReply(raw: string, method: string): GatewayResult<Body> {
    const key = `${method.replaceAll('.', '_')}_response`;
    let parsed: Body;
    try {
      parsed = JSON.parse(raw) as Body;
    } catch {
      return { kind: 'unknown', reason: 'reply is not JSON' };
    }
    const text = memberText(raw, key);
    const errorText = text === null ? memberText(raw, 'error_response') : null;
    const signedText = text ?? errorText;
    if (signedText === null) return { kind: 'unknown', reason: `reply has no ${key}` };
    const sign = parsed.sign;
    // A gateway error before the app is identified (error_response) may come unsigned; it refuses nothing we
    // can act on, so it counts as unknown. Any business answer must verify.
    if (typeof sign !== 'string' || !verifyRsa2(signedText, sign, this.config.alipayPublicKey)) {
      return { kind: 'unknown', reason: 'reply signature does not verify' };
    }
    const body = JSON.parse(signedText) as Body;
    const code = String(body.code ?? '');
    const subCode = String(body.sub_code ?? '');
    if (code === '10000' || (code === '10003' && method === 'alipay.trade.pay')) return { kind: 'ok', value: body };
    if (code === '20000' || code === '10003' || UNKNOWN_SUB_CODES.has(subCode)) return { kind: 'unknown', reason: `${code} ${subCode}`.trim() };
    return { kind: 'refused', code, subCode, message: String(body.sub_msg ?? body.msg ?? '') };
  }
}

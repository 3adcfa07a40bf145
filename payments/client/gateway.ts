/**
 * The payment gateway as the terminal's services need it: one aggregate-payment API (today Alipay's open API,
 * payments/client/alipay-gateway.ts), in fen and domain words. Every call answers a value, never throws for
 * an expected outcome:
 * - `ok`: the gateway answered, signature verified;
 * - `refused`: the gateway answered a definite business refusal (nothing was done: a declined 付款码, an
 *   order that does not exist);
 * - `unknown`: no trustworthy answer (timeout, reset, HTTP 5xx, code 20000 / ACQ.SYSTEM_ERROR, a reply whose
 *   signature does not verify). The operation may or may not have happened: the caller resolves it by
 *   query, never by doing it again.
 */
export type GatewayResult<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'refused'; code: string; subCode: string; message: string }
  | { kind: 'unknown'; reason: string };

/** trade_status of alipay.trade.query and the notifications. */
export type TradeStatus = 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED' | 'TRADE_FINISHED';

export interface TradeState {
  outTradeNo: string;
  /** 支付宝交易号; null before the buyer paid. */
  tradeNo: string | null;
  status: TradeStatus;
  totalFen: number;
  /** Masked buyer account as the gateway gives it (e.g. 159****5620). */
  buyerLogonId: string | null;
  /** gmt_payment / send_pay_date, China time "yyyy-MM-dd HH:mm:ss". */
  paidAt: string | null;
}

export interface OrderRequest {
  outTradeNo: string;
  totalFen: number;
  subject: string;
  /** 收银员 / terminal: attributes the money to the operator on the gateway's own statement. */
  operatorId: string;
  terminalId: string;
  /** How long the buyer may take (timeout_express, e.g. "5m"). */
  timeoutExpress: string;
}

export interface PaymentGateway {
  readonly channel: 'alipay';
  /** C扫B: the order and a QR code for the patient's phone to scan (alipay.trade.precreate). */
  precreate(order: OrderRequest): Promise<GatewayResult<{ qrCode: string }>>;
  /**
   * B扫C: charge the patient's 付款码 (alipay.trade.pay, scene bar_code). `ok` with status WAIT_BUYER_PAY
   * means the buyer must confirm on the phone (code 10003): poll `query`.
   */
  pay(order: OrderRequest & { authCode: string }): Promise<GatewayResult<TradeState>>;
  /** The order as the gateway has it; `refused` ACQ.TRADE_NOT_EXIST when it never reached it. */
  query(outTradeNo: string): Promise<GatewayResult<TradeState>>;
  /** 撤销: closes an unpaid order or refunds a paid one in full (for a pay whose outcome was unknown). */
  cancel(outTradeNo: string): Promise<GatewayResult<{ action: 'close' | 'refund' | null }>>;
  /** 关闭 an unpaid order (an abandoned QR). */
  close(outTradeNo: string): Promise<GatewayResult<null>>;
  /** 退款 by the original order; `outRequestNo` makes a repeat the same refund, never a second one. */
  refund(r: { outTradeNo: string; outRequestNo: string; refundFen: number; reason: string }): Promise<GatewayResult<{ refundedTotalFen: number }>>;
  /** Whether that refund took effect (alipay.trade.fastpay.refund.query); `refundedFen` null when it did not. */
  refundQuery(r: { outTradeNo: string; outRequestNo: string }): Promise<GatewayResult<{ refundedFen: number | null }>>;
  /** The day's statement (alipay.data.dataservice.bill.downloadurl.query, then the file). */
  statement(day: string): Promise<GatewayResult<StatementLine[]>>;
  /** A verified asynchronous notification's content, or null when its signature does not verify. */
  verifyNotification(params: Record<string, string>): PaymentNotification | null;
}

export interface PaymentNotification {
  outTradeNo: string;
  tradeNo: string | null;
  status: TradeStatus;
  totalFen: number;
  notifyId: string;
}

/** One line of the gateway's statement: a payment or a refund, by the merchant's own numbers. */
export interface StatementLine {
  kind: 'payment' | 'refund';
  tradeNo: string;
  outTradeNo: string;
  /** For refunds: out_request_no. */
  outRequestNo: string | null;
  amountFen: number;
  operatorId: string | null;
  terminalId: string | null;
  /** China time "yyyy-MM-dd HH:mm:ss". */
  at: string;
}

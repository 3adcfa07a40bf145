import { chinaDateTime, chinaDay } from '../../base/china-time.ts';
import { randomInt } from 'node:crypto';

/**
 * The sandbox gateway's books: one trade per out_trade_no, its refunds by out_request_no, and the 付款码
 * shown by simulated phones. In memory (the sandbox is a separate process, so a killed terminal never takes
 * it down); `journal` is what the day's statement file is written from.
 */
export type TradeStatus = 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED' | 'TRADE_FINISHED';

export interface Trade {
  outTradeNo: string;
  tradeNo: string;
  totalFen: number;
  subject: string;
  status: TradeStatus;
  scene: 'qr' | 'bar_code';
  qrCode: string | null;
  operatorId: string;
  terminalId: string;
  notifyUrl: string | null;
  buyerLogonId: string | null;
  createdAt: Date;
  paidAt: Date | null;
  /** The buyer must pay before this (timeout_express); the trade closes itself after it. */
  expiresAt: Date;
  refunds: Map<string, { fen: number; at: Date }>;
  /** How many times a payment was attempted on it (must stay ≤ 1 charge: the tests read this). */
  charges: number;
}

/** What a simulated phone does with a 付款码 presented at the terminal's scanner. */
export type CodeBehaviour = 'pay' | 'confirm' | 'decline' | 'insufficient';

export interface JournalEntry {
  kind: 'payment' | 'refund';
  trade: Trade;
  outRequestNo: string | null;
  fen: number;
  at: Date;
}

export class TradeBook {
  readonly trades = new Map<string, Trade>();
  readonly journal: JournalEntry[] = [];
  private readonly codes = new Map<string, { behaviour: CodeBehaviour; buyer: string }>();
  private seq = 0;
  /** The merchant account cannot pay refunds now (ACQ.SELLER_BALANCE_NOT_ENOUGH) until it is topped up. */
  sellerBalanceShort = false;

  constructor(private readonly now: () => Date) {}

  get(outTradeNo: string): Trade | undefined {
    const t = this.trades.get(outTradeNo);
    if (t && t.status === 'WAIT_BUYER_PAY' && this.now() > t.expiresAt) t.status = 'TRADE_CLOSED';
    return t;
  }

  create(p: { outTradeNo: string; totalFen: number; subject: string; scene: Trade['scene']; operatorId: string; terminalId: string; notifyUrl: string | null; timeoutMinutes: number; qrBase: string }): Trade {
    const now = this.now();
    const tradeNo = `${chinaCompactDay(now)}2200${String(++this.seq).padStart(6, '0')}${randomInt(1000, 9999)}`;
    const t: Trade = {
      ...p,
      tradeNo,
      status: 'WAIT_BUYER_PAY',
      qrCode: p.scene === 'qr' ? `${p.qrBase}/qr/${tradeNo}` : null,
      buyerLogonId: null,
      createdAt: now,
      paidAt: null,
      expiresAt: new Date(now.getTime() + p.timeoutMinutes * 60_000),
      refunds: new Map(),
      charges: 0,
    };
    this.trades.set(p.outTradeNo, t);
    return t;
  }

  byQr(qrCode: string): Trade | undefined {
    for (const t of this.trades.values()) if (t.qrCode === qrCode) return this.get(t.outTradeNo);
    return undefined;
  }

  /** The buyer's money moves: exactly once per trade. */
  markPaid(t: Trade, buyer: string): void {
    if (t.status !== 'WAIT_BUYER_PAY') throw new Error(`trade ${t.outTradeNo} is ${t.status}`);
    t.status = 'TRADE_SUCCESS';
    t.paidAt = this.now();
    t.buyerLogonId = buyer;
    t.charges++;
    this.journal.push({ kind: 'payment', trade: t, outRequestNo: null, fen: t.totalFen, at: t.paidAt });
  }

  refundedFen(t: Trade): number {
    let n = 0;
    for (const r of t.refunds.values()) n += r.fen;
    return n;
  }

  addRefund(t: Trade, outRequestNo: string, fen: number): void {
    const at = this.now();
    t.refunds.set(outRequestNo, { fen, at });
    this.journal.push({ kind: 'refund', trade: t, outRequestNo, fen, at });
    if (this.refundedFen(t) === t.totalFen) t.status = 'TRADE_CLOSED';
  }

  /** A 付款码 as a phone would show it: 18 digits starting 28 (Alipay's range is 25–30). */
  issueCode(behaviour: CodeBehaviour, buyer: string): string {
    const code = `28${String(randomInt(0, 1e8)).padStart(8, '0')}${String(randomInt(0, 1e8)).padStart(8, '0')}`;
    this.codes.set(code, { behaviour, buyer });
    return code;
  }

  /** Codes are single use, like the phone's (it refreshes every minute). Unknown codes are invalid. */
  takeCode(code: string): { behaviour: CodeBehaviour; buyer: string } | null {
    const c = this.codes.get(code) ?? null;
    this.codes.delete(code);
    return c;
  }
}

function chinaCompactDay(d: Date): string {
  return chinaDay(d).replaceAll('-', '');
}

export { chinaDateTime };

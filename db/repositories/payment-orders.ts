import type { SqliteDatabase } from '../connection.ts';
import type { RowSeals } from '../audit/row-seals.ts';
import { assertInTransaction, type Tx } from '../tx.ts';

export type PaymentOrderState = 'created' | 'awaiting' | 'paid' | 'applied' | 'refunding' | 'refunded' | 'closed' | 'attention';
/** qr = C扫B, bar_code = B扫C (both through the gateway); counter = cash or bank-card POS taken by a cashier. */
export type PaymentScene = 'qr' | 'bar_code' | 'counter';
export type PaymentPurpose = 'deposit' | 'balance-due';
/** alipay goes through the payment gateway; cash and bank-card (POS) only at a staffed counter (balance due). */
export type PaymentChannel = 'alipay' | 'cash' | 'bank-card';

export interface PaymentOrder {
  outTradeNo: string;
  channel: PaymentChannel;
  scene: PaymentScene;
  purpose: PaymentPurpose;
  iptNo: string;
  amountFen: number;
  subject: string;
  state: PaymentOrderState;
  tradeNo: string | null;
  qrCode: string | null;
  buyerLogonId: string | null;
  paidAt: string | null;
  opterNo: string;
  terminalId: string;
  expiresAt: number;
  note: string | null;
  attempts: number;
  createdAt: number;
  updatedAt: number;
  /** balance-due: the settlement whose 应补 this pays (migration 10); null for deposits. */
  settlementId: number | null;
  /** Cash handed over at the counter (change = tenderedFen − amountFen); null otherwise. */
  tenderedFen: number | null;
}

export interface PaymentRefund {
  outRequestNo: string;
  outTradeNo: string;
  iptNo: string;
  amountFen: number;
  reason: 'not-applied' | 'settlement' | 'cancellation';
  state: 'pending' | 'done' | 'attention';
  /** The stay's `refunds` row this gateway refund pays (settlement, cancellation); null for not-applied. */
  refundId: number | null;
  opterNo: string;
  note: string | null;
  attempts: number;
  createdAt: number;
  updatedAt: number;
}

/** States in which an order is not final: the resolver keeps working on them (after a crash too). */
export const OPEN_ORDER_STATES: readonly PaymentOrderState[] = ['created', 'awaiting', 'paid', 'refunding'];

/**
 * payment_orders and payment_refunds (migration 009). Writes take a Tx: an order's state and the deposit it
 * becomes are written together. Reads are plain.
 */
export class PaymentOrderRepository {
  /** `seals`: every order and refund state is sealed in the keyed audit chain (db/audit/row-seals.ts). */
  constructor(
    private readonly db: SqliteDatabase,
    private readonly seals: RowSeals,
  ) {}

  create(
    tx: Tx,
    o: Omit<PaymentOrder, 'state' | 'tradeNo' | 'qrCode' | 'buyerLogonId' | 'paidAt' | 'note' | 'attempts' | 'createdAt' | 'updatedAt' | 'settlementId' | 'tenderedFen'> & { settlementId?: number | null },
  ): PaymentOrder {
    assertInTransaction(tx);
    const now = tx.now.getTime();
    this.db
      .prepare(
        `INSERT INTO payment_orders (out_trade_no, channel, scene, purpose, ipt_no, amount_fen, subject, state, opter_no, terminal_id, expires_at, created_at, updated_at, settlement_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'created', ?, ?, ?, ?, ?, ?)`,
      )
      .run(o.outTradeNo, o.channel, o.scene, o.purpose, o.iptNo, o.amountFen, o.subject, o.opterNo, o.terminalId, o.expiresAt, now, now, o.settlementId ?? null);
    this.seals.seal(tx, 'payment_orders', o.outTradeNo);
    return this.get(o.outTradeNo)!;
  }

  /**
   * Money a cashier took by hand (cash, bank-card POS) for a settlement's balance: written `applied` at once —
   * the caller writes its deposit row in the same transaction. `tradeNo` is the POS reference number.
   */
  createAtCounter(
    tx: Tx,
    o: Pick<PaymentOrder, 'outTradeNo' | 'purpose' | 'iptNo' | 'amountFen' | 'subject' | 'opterNo' | 'terminalId' | 'settlementId' | 'tenderedFen' | 'tradeNo'> & { channel: 'cash' | 'bank-card' },
  ): PaymentOrder {
    assertInTransaction(tx);
    const now = tx.now.getTime();
    this.db
      .prepare(
        `INSERT INTO payment_orders (out_trade_no, channel, scene, purpose, ipt_no, amount_fen, subject, state, trade_no, opter_no, terminal_id, expires_at, created_at, updated_at, settlement_id, tendered_fen)
         VALUES (?, ?, 'counter', ?, ?, ?, ?, 'applied', ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(o.outTradeNo, o.channel, o.purpose, o.iptNo, o.amountFen, o.subject, o.tradeNo, o.opterNo, o.terminalId, now, now, now, o.settlementId, o.tenderedFen);
    this.seals.seal(tx, 'payment_orders', o.outTradeNo);
    return this.get(o.outTradeNo)!;
  }

  /** A settlement's balance-due orders (every channel, every state), oldest first. */
  forSettlement(settlementId: number): PaymentOrder[] {
    return this.db
      .prepare<[number], OrderRow>(`SELECT * FROM payment_orders WHERE settlement_id = ? AND purpose = 'balance-due' ORDER BY created_at`)
      .all(settlementId)
      .map(order);
  }

  /** Moves an order; `from` guards against a concurrent move (returns false when the state was not one of them). */
  move(tx: Tx, outTradeNo: string, from: readonly PaymentOrderState[], to: PaymentOrderState, fields: Partial<Pick<PaymentOrder, 'tradeNo' | 'qrCode' | 'buyerLogonId' | 'paidAt' | 'note'>> = {}): boolean {
    assertInTransaction(tx);
    const r = this.db
      .prepare(
        `UPDATE payment_orders SET state = ?, trade_no = coalesce(?, trade_no), qr_code = coalesce(?, qr_code), buyer_logon_id = coalesce(?, buyer_logon_id),
           paid_at = coalesce(?, paid_at), note = coalesce(?, note), updated_at = ?
         WHERE out_trade_no = ? AND state IN (${from.map(() => '?').join(',')})`,
      )
      .run(to, fields.tradeNo ?? null, fields.qrCode ?? null, fields.buyerLogonId ?? null, fields.paidAt ?? null, fields.note ?? null, tx.now.getTime(), outTradeNo, ...from);
    if (r.changes === 1) this.seals.seal(tx, 'payment_orders', outTradeNo);
    return r.changes === 1;
  }

  countAttempt(tx: Tx, outTradeNo: string, note: string | null): void {
    assertInTransaction(tx);
    this.db.prepare('UPDATE payment_orders SET attempts = attempts + 1, note = coalesce(?, note), updated_at = ? WHERE out_trade_no = ?').run(note, tx.now.getTime(), outTradeNo);
  }

  get(outTradeNo: string): PaymentOrder | null {
    const r = this.db.prepare<[string], OrderRow>('SELECT * FROM payment_orders WHERE out_trade_no = ?').get(outTradeNo);
    return r ? order(r) : null;
  }

  open(): PaymentOrder[] {
    return this.db.prepare<[], OrderRow>(`SELECT * FROM payment_orders WHERE state IN ('created', 'awaiting', 'paid', 'refunding') ORDER BY created_at`).all().map(order);
  }

  byVisit(iptNo: string): PaymentOrder[] {
    return this.db.prepare<[string], OrderRow>('SELECT * FROM payment_orders WHERE ipt_no = ? ORDER BY created_at').all(iptNo).map(order);
  }

  /** Orders created in [from, to) (epoch ms): the day-end's local side. */
  between(from: number, to: number): PaymentOrder[] {
    return this.db.prepare<[number, number], OrderRow>('SELECT * FROM payment_orders WHERE created_at >= ? AND created_at < ? ORDER BY created_at').all(from, to).map(order);
  }

  needingAttention(): PaymentOrder[] {
    return this.db.prepare<[], OrderRow>(`SELECT * FROM payment_orders WHERE state = 'attention' ORDER BY created_at`).all().map(order);
  }

  // ── refunds ──────────────────────────────────────────────────────────────────────────────────────────

  addRefund(tx: Tx, r: Omit<PaymentRefund, 'state' | 'note' | 'attempts' | 'createdAt' | 'updatedAt' | 'refundId'> & { refundId?: number | null }): PaymentRefund {
    assertInTransaction(tx);
    const now = tx.now.getTime();
    this.db
      .prepare(`INSERT INTO payment_refunds (out_request_no, out_trade_no, ipt_no, amount_fen, reason, state, opter_no, created_at, updated_at, refund_id) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`)
      .run(r.outRequestNo, r.outTradeNo, r.iptNo, r.amountFen, r.reason, r.opterNo, now, now, r.refundId ?? null);
    this.seals.seal(tx, 'payment_refunds', r.outRequestNo);
    return this.refund(r.outRequestNo)!;
  }

  moveRefund(tx: Tx, outRequestNo: string, to: PaymentRefund['state'], note: string | null = null): boolean {
    assertInTransaction(tx);
    const moved = this.db.prepare(`UPDATE payment_refunds SET state = ?, note = coalesce(?, note), attempts = attempts + 1, updated_at = ? WHERE out_request_no = ? AND state = 'pending'`).run(to, note, tx.now.getTime(), outRequestNo).changes === 1;
    if (moved) this.seals.seal(tx, 'payment_refunds', outRequestNo);
    return moved;
  }

  /**
   * A refused gateway refund asked again by an operator (attention → pending), with the same out_request_no:
   * the gateway never took the refused request, and one number can only ever be one refund. False when it was
   * not refused (another caller moved it first).
   */
  reopenRefund(tx: Tx, outRequestNo: string, note: string): boolean {
    assertInTransaction(tx);
    const moved = this.db.prepare(`UPDATE payment_refunds SET state = 'pending', note = ?, updated_at = ? WHERE out_request_no = ? AND state = 'attention'`).run(note, tx.now.getTime(), outRequestNo).changes === 1;
    if (moved) this.seals.seal(tx, 'payment_refunds', outRequestNo);
    return moved;
  }

  countRefundAttempt(tx: Tx, outRequestNo: string, note: string | null): void {
    assertInTransaction(tx);
    this.db.prepare('UPDATE payment_refunds SET attempts = attempts + 1, note = coalesce(?, note), updated_at = ? WHERE out_request_no = ?').run(note, tx.now.getTime(), outRequestNo);
  }

  refund(outRequestNo: string): PaymentRefund | null {
    const r = this.db.prepare<[string], RefundRow>('SELECT * FROM payment_refunds WHERE out_request_no = ?').get(outRequestNo);
    return r ? refund(r) : null;
  }

  refundsOf(outTradeNo: string): PaymentRefund[] {
    return this.db.prepare<[string], RefundRow>('SELECT * FROM payment_refunds WHERE out_trade_no = ? ORDER BY created_at').all(outTradeNo).map(refund);
  }

  /** The gateway refunds that pay one `refunds` row (a 多退 spread over several orders). */
  refundsFor(refundId: number): PaymentRefund[] {
    return this.db.prepare<[number], RefundRow>('SELECT * FROM payment_refunds WHERE refund_id = ? ORDER BY created_at').all(refundId).map(refund);
  }

  pendingRefunds(): PaymentRefund[] {
    return this.db.prepare<[], RefundRow>(`SELECT * FROM payment_refunds WHERE state = 'pending' ORDER BY created_at`).all().map(refund);
  }

  refundsBetween(from: number, to: number): PaymentRefund[] {
    return this.db.prepare<[number, number], RefundRow>('SELECT * FROM payment_refunds WHERE created_at >= ? AND created_at < ? ORDER BY created_at').all(from, to).map(refund);
  }
}

interface OrderRow {
  out_trade_no: string;
  channel: PaymentChannel;
  scene: PaymentScene;
  purpose: PaymentPurpose;
  ipt_no: string;
  amount_fen: number;
  subject: string;
  state: PaymentOrderState;
  trade_no: string | null;
  qr_code: string | null;
  buyer_logon_id: string | null;
  paid_at: string | null;
  opter_no: string;
  terminal_id: string;
  expires_at: number;
  note: string | null;
  attempts: number;
  created_at: number;
  updated_at: number;
  settlement_id: number | null;
  tendered_fen: number | null;
}

interface RefundRow {
  out_request_no: string;
  out_trade_no: string;
  ipt_no: string;
  amount_fen: number;
  reason: PaymentRefund['reason'];
  state: PaymentRefund['state'];
  opter_no: string;
  note: string | null;
  attempts: number;
  created_at: number;
  updated_at: number;
  refund_id: number | null;
}

function order(r: OrderRow): PaymentOrder {
  return {
    outTradeNo: r.out_trade_no,
    channel: r.channel,
    scene: r.scene,
    purpose: r.purpose,
    iptNo: r.ipt_no,
    amountFen: r.amount_fen,
    subject: r.subject,
    state: r.state,
    tradeNo: r.trade_no,
    qrCode: r.qr_code,
    buyerLogonId: r.buyer_logon_id,
    paidAt: r.paid_at,
    opterNo: r.opter_no,
    terminalId: r.terminal_id,
    expiresAt: r.expires_at,
    note: r.note,
    attempts: r.attempts,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    settlementId: r.settlement_id,
    tenderedFen: r.tendered_fen,
  };
}

function refund(r: RefundRow): PaymentRefund {
  return {
    outRequestNo: r.out_request_no,
    outTradeNo: r.out_trade_no,
    iptNo: r.ipt_no,
    amountFen: r.amount_fen,
    reason: r.reason,
    state: r.state,
    refundId: r.refund_id,
    opterNo: r.opter_no,
    note: r.note,
    attempts: r.attempts,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

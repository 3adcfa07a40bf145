import type { SqliteDatabase } from '../connection.ts';
import { assertInTransaction, type Tx } from '../tx.ts';
import type { RowSeals } from '../audit/row-seals.ts';

export type PaymentMethod = 'cash' | 'bank-card' | 'wechat' | 'alipay';

export interface Deposit {
  id: number;
  iptNo: string;
  /** deposit = 预交金; balance-due = what the patient paid at settlement (应补). */
  kind: 'deposit' | 'balance-due';
  amountFen: number;
  method: PaymentMethod;
  receiptNo: string;
  opterNo: string | null;
  receivedAt: number;
}

/** 作废 of a mistaken cash / POS deposit by a supervisor: its own row; the deposit row is never changed. */
export interface DepositVoid {
  id: number;
  depositId: number;
  iptNo: string;
  amountFen: number;
  reason: string;
  /** The supervisor who voided it. */
  opterNo: string;
  voidedAt: number;
}

/**
 * How far a refund got (migration 11; docs/payments.md "Refund states"): requested = 退款中 (the gateway has not
 * confirmed it, or the cash is not handed out yet), done = 已退, attention = refused, an operator must look.
 */
export type RefundState = 'requested' | 'done' | 'attention';

export interface Refund {
  id: number;
  iptNo: string;
  settlementId: number | null;
  /** settlement = 应退 of 多退少补; cancellation = deposits of a cancelled admission; reversal = after 2305. */
  reason: 'settlement' | 'cancellation' | 'reversal';
  amountFen: number;
  method: PaymentMethod;
  receiptNo: string;
  /** Who asked for the refund (the cashier of the settlement, the clerk of the cancellation). */
  opterNo: string | null;
  /** When the refund was asked for (epoch ms). Not when the money went back: that is `doneAt`. */
  refundedAt: number;
  /** Rows written before migration 11 (no state) were recorded as handed out at the time: 'done'. */
  state: RefundState;
  /** Gateway: the refund request numbers (out_request_no) the gateway confirmed; counter: the POS reference, if any. */
  refundRef: string | null;
  /** Who completed it: `gateway` (the payment gateway confirmed), or the cashier's opter_no who handed out the cash. */
  doneBy: string | null;
  doneAt: number | null;
  /** Why it needs an operator (the gateway's refusal), or how it was resolved. */
  stateNote: string | null;
}

/** Money received from and paid back to the patient at the counter. Kept for accounting (never purged). */
export class MoneyRepository {
  private readonly s;

  /** `seals`: each deposit and refund is sealed in the keyed audit chain (db/audit/row-seals.ts). */
  constructor(
    db: SqliteDatabase,
    private readonly seals: RowSeals,
  ) {
    this.s = {
      insertDeposit: db.prepare(
        `INSERT INTO deposits (ipt_no, kind, amount_fen, method, receipt_no, opter_no, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertRefund: db.prepare(
        `INSERT INTO refunds (ipt_no, settlement_id, reason, amount_fen, method, receipt_no, opter_no, refunded_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'requested')`,
      ),
      refundById: db.prepare<[number], RefundRow>('SELECT * FROM refunds WHERE id = ?'),
      openRefunds: db.prepare<[], RefundRow>(`SELECT * FROM refunds WHERE state IN ('requested', 'attention') ORDER BY id`),
      moveRefund: db.prepare(
        `UPDATE refunds SET state = ?, refund_ref = coalesce(?, refund_ref), done_by = coalesce(?, done_by), done_at = coalesce(?, done_at), state_note = coalesce(?, state_note), method = ?
         WHERE id = ? AND state = ?`,
      ),
      // A voided deposit (deposit_voids) is not the stay's money any more: every figure reads the live ones.
      deposits: db.prepare<[string], DepositRow>(`SELECT * FROM deposits d WHERE ipt_no = ? AND ${LIVE} ORDER BY id`),
      everyDeposit: db.prepare<[string], DepositRow>('SELECT * FROM deposits WHERE ipt_no = ? ORDER BY id'),
      depositById: db.prepare<[number], DepositRow>('SELECT * FROM deposits WHERE id = ?'),
      insertVoid: db.prepare(`INSERT INTO deposit_voids (deposit_id, ipt_no, amount_fen, reason, opter_no, voided_at) VALUES (?, ?, ?, ?, ?, ?)`),
      voidOf: db.prepare<[number], VoidRow>('SELECT * FROM deposit_voids WHERE deposit_id = ?'),
      voidsOf: db.prepare<[string], VoidRow>('SELECT * FROM deposit_voids WHERE ipt_no = ? ORDER BY id'),
      voidsBetween: db.prepare<[number, number], VoidRow>('SELECT * FROM deposit_voids WHERE voided_at >= ? AND voided_at < ? ORDER BY id'),
      refunds: db.prepare<[string], RefundRow>('SELECT * FROM refunds WHERE ipt_no = ? ORDER BY id'),
      depositSum: db.prepare<[string], { n: number | null }>(`SELECT sum(amount_fen) AS n FROM deposits d WHERE ipt_no = ? AND kind = 'deposit' AND ${LIVE}`),
      depositsBetween: db.prepare<[number, number], DepositRow>('SELECT * FROM deposits WHERE received_at >= ? AND received_at < ? ORDER BY id'),
      refundsBetween: db.prepare<[number, number], RefundRow>('SELECT * FROM refunds WHERE refunded_at >= ? AND refunded_at < ? ORDER BY id'),
    };
  }

  addDeposit(tx: Tx, d: Omit<Deposit, 'id' | 'receivedAt'>): Deposit {
    assertInTransaction(tx);
    positiveFen(d.amountFen);
    const info = this.s.insertDeposit.run(d.iptNo, d.kind, d.amountFen, d.method, d.receiptNo, d.opterNo, tx.now.getTime());
    this.seals.seal(tx, 'deposits', Number(info.lastInsertRowid));
    return { ...d, id: Number(info.lastInsertRowid), receivedAt: tx.now.getTime() };
  }

  /** Voids a deposit (the caller checked who may and when): false when it was voided already. */
  voidDeposit(tx: Tx, v: Omit<DepositVoid, 'id' | 'voidedAt' | 'iptNo' | 'amountFen'>): DepositVoid | false {
    assertInTransaction(tx);
    const d = this.s.depositById.get(v.depositId);
    if (!d) throw new Error(`no deposit ${v.depositId}`);
    if (this.s.voidOf.get(v.depositId)) return false;
    const info = this.s.insertVoid.run(d.id, d.ipt_no, d.amount_fen, v.reason, v.opterNo, tx.now.getTime());
    this.seals.seal(tx, 'deposit_voids', Number(info.lastInsertRowid));
    return this.voidOf(d.id)!;
  }

  deposit(id: number): Deposit | null {
    const r = this.s.depositById.get(id);
    return r ? toDeposit(r) : null;
  }

  /** Every deposit row of the stay, voided ones too (the list a supervisor voids from), oldest first. */
  everyDeposit(iptNo: string): Deposit[] {
    return this.s.everyDeposit.all(iptNo).map(toDeposit);
  }

  voidOf(depositId: number): DepositVoid | null {
    const r = this.s.voidOf.get(depositId);
    return r ? toVoid(r) : null;
  }

  voidsOf(iptNo: string): DepositVoid[] {
    return this.s.voidsOf.all(iptNo).map(toVoid);
  }

  /** Voids made in [from, to) (epoch ms), every visit: the cashier's day-end. */
  voidsBetween(from: number, to: number): DepositVoid[] {
    return this.s.voidsBetween.all(from, to).map(toVoid);
  }

  /** A refund asked for: state requested (退款中) until the gateway confirms it or the cashier hands it out. */
  addRefund(tx: Tx, r: Omit<Refund, 'id' | 'refundedAt' | 'state' | 'refundRef' | 'doneBy' | 'doneAt' | 'stateNote'>): Refund {
    assertInTransaction(tx);
    positiveFen(r.amountFen);
    const info = this.s.insertRefund.run(r.iptNo, r.settlementId, r.reason, r.amountFen, r.method, r.receiptNo, r.opterNo, tx.now.getTime());
    this.seals.seal(tx, 'refunds', Number(info.lastInsertRowid));
    return this.refund(Number(info.lastInsertRowid))!;
  }

  /**
   * Moves a refund from `from` to `to` (false when it was not in `from`: another caller moved it first).
   * `method` changes only when an operator turns a refused gateway refund into cash at the counter.
   */
  moveRefund(tx: Tx, id: number, from: RefundState, to: RefundState, f: { refundRef?: string; doneBy?: string; note?: string; method?: PaymentMethod } = {}): boolean {
    assertInTransaction(tx);
    const now = this.refund(id);
    if (!now) return false;
    const done = to === 'done' ? tx.now.getTime() : null;
    const moved = this.s.moveRefund.run(to, f.refundRef ?? null, f.doneBy ?? null, done, f.note ?? null, f.method ?? now.method, id, from).changes === 1;
    if (moved) this.seals.seal(tx, 'refunds', id);
    return moved;
  }

  refund(id: number): Refund | null {
    const r = this.s.refundById.get(id);
    return r ? toRefund(r) : null;
  }

  /** Refunds not yet done (退款中 and 待人工处理), every stay: the counter's and the operator's queue. */
  openRefunds(): Refund[] {
    return this.s.openRefunds.all().map(toRefund);
  }

  /** The stay's deposits and 补缴 that stand (a voided one is left out), oldest first. */
  deposits(iptNo: string): Deposit[] {
    return this.s.deposits.all(iptNo).map(toDeposit);
  }

  refunds(iptNo: string): Refund[] {
    return this.s.refunds.all(iptNo).map(toRefund);
  }

  /** Deposits and 补缴 received in [from, to) (epoch ms), every visit, voided ones too (their voids count apart): the cashier's day-end. */
  depositsBetween(from: number, to: number): Deposit[] {
    return this.s.depositsBetween.all(from, to).map(toDeposit);
  }

  /** Refunds recorded in [from, to) (epoch ms), every visit: the cashier's day-end. */
  refundsBetween(from: number, to: number): Refund[] {
    return this.s.refundsBetween.all(from, to).map(toRefund);
  }

  /** 预交金 paid for the visit (the P of 多退少补), in fen. */
  depositTotalFen(iptNo: string): number {
    return this.s.depositSum.get(iptNo)?.n ?? 0;
  }
}

function toDeposit(r: DepositRow): Deposit {
  return { id: r.id, iptNo: r.ipt_no, kind: r.kind, amountFen: r.amount_fen, method: r.method, receiptNo: r.receipt_no, opterNo: r.opter_no, receivedAt: r.received_at };
}

const LIVE = 'NOT EXISTS (SELECT 1 FROM deposit_voids v WHERE v.deposit_id = d.id)';

function toVoid(r: VoidRow): DepositVoid {
  return { id: r.id, depositId: r.deposit_id, iptNo: r.ipt_no, amountFen: r.amount_fen, reason: r.reason, opterNo: r.opter_no, voidedAt: r.voided_at };
}

interface VoidRow {
  id: number;
  deposit_id: number;
  ipt_no: string;
  amount_fen: number;
  reason: string;
  opter_no: string;
  voided_at: number;
}

function positiveFen(n: number): void {
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`amount must be a positive integer fen, got ${n}`);
}

interface DepositRow {
  id: number;
  ipt_no: string;
  kind: 'deposit' | 'balance-due';
  amount_fen: number;
  method: PaymentMethod;
  receipt_no: string;
  opter_no: string | null;
  received_at: number;
}

function toRefund(r: RefundRow): Refund {
  return {
    id: r.id,
    iptNo: r.ipt_no,
    settlementId: r.settlement_id,
    reason: r.reason,
    amountFen: r.amount_fen,
    method: r.method,
    receiptNo: r.receipt_no,
    opterNo: r.opter_no,
    refundedAt: r.refunded_at,
    state: r.state ?? 'done',
    refundRef: r.refund_ref,
    doneBy: r.done_by,
    doneAt: r.done_at,
    stateNote: r.state_note,
  };
}

interface RefundRow {
  id: number;
  ipt_no: string;
  settlement_id: number | null;
  reason: 'settlement' | 'cancellation' | 'reversal';
  amount_fen: number;
  method: PaymentMethod;
  receipt_no: string;
  opter_no: string | null;
  refunded_at: number;
  state: RefundState | null;
  refund_ref: string | null;
  done_by: string | null;
  done_at: number | null;
  state_note: string | null;
}

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

export interface Refund {
  id: number;
  iptNo: string;
  settlementId: number | null;
  /** settlement = 应退 of 多退少补; cancellation = deposits of a cancelled admission; reversal = after 2305. */
  reason: 'settlement' | 'cancellation' | 'reversal';
  amountFen: number;
  method: PaymentMethod;
  receiptNo: string;
  opterNo: string | null;
  refundedAt: number;
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
        `INSERT INTO refunds (ipt_no, settlement_id, reason, amount_fen, method, receipt_no, opter_no, refunded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      deposits: db.prepare<[string], DepositRow>('SELECT * FROM deposits WHERE ipt_no = ? ORDER BY id'),
      refunds: db.prepare<[string], RefundRow>('SELECT * FROM refunds WHERE ipt_no = ? ORDER BY id'),
      depositSum: db.prepare<[string], { n: number | null }>(`SELECT sum(amount_fen) AS n FROM deposits WHERE ipt_no = ? AND kind = 'deposit'`),
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

  addRefund(tx: Tx, r: Omit<Refund, 'id' | 'refundedAt'>): Refund {
    assertInTransaction(tx);
    positiveFen(r.amountFen);
    const info = this.s.insertRefund.run(r.iptNo, r.settlementId, r.reason, r.amountFen, r.method, r.receiptNo, r.opterNo, tx.now.getTime());
    this.seals.seal(tx, 'refunds', Number(info.lastInsertRowid));
    return { ...r, id: Number(info.lastInsertRowid), refundedAt: tx.now.getTime() };
  }

  deposits(iptNo: string): Deposit[] {
    return this.s.deposits.all(iptNo).map(toDeposit);
  }

  refunds(iptNo: string): Refund[] {
    return this.s.refunds.all(iptNo).map(toRefund);
  }

  /** Deposits and 补缴 received in [from, to) (epoch ms), every visit: the cashier's day-end. */
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
  };
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
}

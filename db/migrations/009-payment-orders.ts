import type { Migration } from './migration.ts';

/**
 * Orders with the payment gateway (docs/payments.md). An order row is written BEFORE the gateway hears of it
 * (out_trade_no is the idempotence key on both sides); its state moves only on a verified gateway answer or a
 * local fact, in the same transaction as the deposit it becomes (deposits.receipt_no = out_trade_no, UNIQUE:
 * a paid order is applied at most once). Refunds by the original order have their own rows, written before
 * the refund request (out_request_no: a repeat is the same refund, never a second). Money in integer fen.
 */
export const migration009: Migration = {
  version: 9,
  name: 'payment orders and gateway refunds',
  up(db) {
    db.exec(`
      CREATE TABLE payment_orders (
        out_trade_no TEXT PRIMARY KEY,
        channel TEXT NOT NULL CHECK (channel IN ('alipay')),
        scene TEXT NOT NULL CHECK (scene IN ('qr', 'bar_code')),
        purpose TEXT NOT NULL CHECK (purpose IN ('deposit', 'balance-due')),
        ipt_no TEXT NOT NULL REFERENCES admissions(ipt_no),
        amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
        subject TEXT NOT NULL,
        -- created: written, the gateway may not know it yet (or its answer was lost): resolve by query.
        -- awaiting: the buyer has to act (QR shown, password on the phone). paid: TRADE_SUCCESS verified.
        -- applied: the deposit is recorded. refunding/refunded: paid but not applied, money going back.
        -- closed: never paid. attention: an operator must look (docs/payments.md, the operator queue).
        state TEXT NOT NULL CHECK (state IN ('created', 'awaiting', 'paid', 'applied', 'refunding', 'refunded', 'closed', 'attention')),
        trade_no TEXT,
        qr_code TEXT,
        buyer_logon_id TEXT,
        paid_at TEXT,
        opter_no TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        note TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX payment_orders_open ON payment_orders(state) WHERE state IN ('created', 'awaiting', 'paid', 'refunding');
      CREATE INDEX payment_orders_by_visit ON payment_orders(ipt_no);

      CREATE TABLE payment_refunds (
        out_request_no TEXT PRIMARY KEY,
        out_trade_no TEXT NOT NULL REFERENCES payment_orders(out_trade_no),
        ipt_no TEXT NOT NULL REFERENCES admissions(ipt_no),
        amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
        -- not-applied: paid but the hospital step failed; settlement: 多退; cancellation: a cancelled stay.
        reason TEXT NOT NULL CHECK (reason IN ('not-applied', 'settlement', 'cancellation')),
        state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'attention')),
        opter_no TEXT NOT NULL,
        note TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX payment_refunds_pending ON payment_refunds(state) WHERE state = 'pending';
      CREATE INDEX payment_refunds_by_order ON payment_refunds(out_trade_no);
    `);
  },
};

import type { Migration } from './migration.ts';

/**
 * 少补 (the balance due after a settlement) is recorded in payment_orders, whatever the channel, so that every
 * collection of a balance has one row with purpose 'balance-due' (docs/payments.md, "Balance due"):
 * - channel gains 'cash' and 'bank-card' (taken at a staffed counter; never through the gateway), scene gains
 *   'counter' (the cashier took it by hand). Such rows are written already `applied`, with their deposit row.
 * - settlement_id: the settlement whose balance the order pays (a payment for a reversed settlement is refunded,
 *   never counted toward the next one).
 * - tendered_fen: cash handed over (change = tendered_fen − amount_fen), for the receipt and the drawer.
 * SQLite cannot widen a CHECK in place: the table is rebuilt (the 12-step ALTER; the runner has foreign keys off
 * and checks them before committing). payment_refunds keeps its reference by name.
 */
export const migration010: Migration = {
  version: 10,
  name: 'payment orders: balance due at the counter (cash, bank card) and its settlement',
  up(db) {
    db.exec(`
      CREATE TABLE payment_orders_new (
        out_trade_no TEXT PRIMARY KEY,
        channel TEXT NOT NULL CHECK (channel IN ('alipay', 'cash', 'bank-card')),
        scene TEXT NOT NULL CHECK (scene IN ('qr', 'bar_code', 'counter')),
        purpose TEXT NOT NULL CHECK (purpose IN ('deposit', 'balance-due')),
        ipt_no TEXT NOT NULL REFERENCES admissions(ipt_no),
        amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
        subject TEXT NOT NULL,
        -- created: written, the gateway may not know it yet (or its answer was lost): resolve by query.
        -- awaiting: the buyer has to act (QR shown, password on the phone). paid: TRADE_SUCCESS verified.
        -- applied: the deposit is recorded. refunding/refunded: paid but not applied, money going back.
        -- closed: never paid. attention: an operator must look (docs/payments.md, the operator queue).
        -- Counter rows (cash, bank-card) are written applied: the cashier confirmed the money in hand.
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
        updated_at INTEGER NOT NULL,
        settlement_id INTEGER REFERENCES settlements(id),
        tendered_fen INTEGER CHECK (tendered_fen IS NULL OR tendered_fen >= amount_fen),
        CHECK ((channel = 'alipay') = (scene <> 'counter'))
      );
      INSERT INTO payment_orders_new (out_trade_no, channel, scene, purpose, ipt_no, amount_fen, subject, state, trade_no, qr_code, buyer_logon_id, paid_at,
          opter_no, terminal_id, expires_at, note, attempts, created_at, updated_at)
        SELECT out_trade_no, channel, scene, purpose, ipt_no, amount_fen, subject, state, trade_no, qr_code, buyer_logon_id, paid_at,
          opter_no, terminal_id, expires_at, note, attempts, created_at, updated_at FROM payment_orders;
      DROP TABLE payment_orders;
      ALTER TABLE payment_orders_new RENAME TO payment_orders;
      CREATE INDEX payment_orders_open ON payment_orders(state) WHERE state IN ('created', 'awaiting', 'paid', 'refunding');
      CREATE INDEX payment_orders_by_visit ON payment_orders(ipt_no);
      CREATE INDEX payment_orders_balance_due ON payment_orders(settlement_id) WHERE purpose = 'balance-due';
    `);
  },
};

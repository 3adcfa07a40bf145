import type { Migration } from './migration.ts';

/**
 * Refunds say where the money is (docs/payments.md, "Refund states"): a `refunds` row is the hospital's record
 * of what it owes the patient and how; from version 11 it also carries how far the refund got:
 *
 *   requested (退款中)  written with the row: the gateway has not confirmed it / the cash is not handed out yet
 *   done (已退)         every gateway refund of the row confirmed (refund_ref: the out_request_no's), or the
 *                       cashier confirmed handing out the cash (done_by: the cashier, refund_ref: optional POS ref)
 *   attention           the gateway refused: an operator must look (state_note: the gateway's reason)
 *
 * Rows written before version 11 have NULL in these columns: they were recorded as handed out at the time.
 * A gateway refund (payment_refunds) names the refunds row it pays (refund_id), so the row's state is moved in
 * the same transaction as the gateway's answer. The columns are NULL on old rows, so the row seals of rows
 * written before this version still match (db/audit/row-seals.ts: nullAddedLater).
 */
export const migration011: Migration = {
  version: 11,
  name: 'refund states',
  up(db) {
    db.exec(`
      ALTER TABLE refunds ADD COLUMN state TEXT CHECK (state IN ('requested', 'done', 'attention'));
      ALTER TABLE refunds ADD COLUMN refund_ref TEXT;
      ALTER TABLE refunds ADD COLUMN done_by TEXT;
      ALTER TABLE refunds ADD COLUMN done_at INTEGER;
      ALTER TABLE refunds ADD COLUMN state_note TEXT;
      CREATE INDEX refunds_open ON refunds(state) WHERE state IN ('requested', 'attention');
      ALTER TABLE payment_refunds ADD COLUMN refund_id INTEGER REFERENCES refunds(id);
      CREATE INDEX payment_refunds_by_refund ON payment_refunds(refund_id);
    `);
  },
};

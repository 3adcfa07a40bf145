import type { Store } from '../../db/store.ts';
import type { Tx } from '../../db/tx.ts';
import type { Settlement } from '../../db/repositories/settlements.ts';
import { heldFen } from '../money/stay-figures.ts';
import { requestSettlementRefund } from '../money/refund-requests.ts';

/**
 * 多退少补 at the counter (settlement-rules §5): due = psn_cash_pay − P, where P is what the hospital holds for
 * the stay (预交金 and any earlier 补缴, less refunds: after a reversal and a new settlement the patient is
 * neither charged nor refunded twice). due < 0: refund −due, the way it was paid (原路退回, the method of the
 * newest deposit; cash when there is none), recorded with the settlement. due > 0: NOTHING is recorded here —
 * the stay shows 待补缴 until the money is really taken (cash or POS by a cashier, or through the payment
 * gateway: services/payments/balance-due.ts).
 *
 * The refund is recorded once per settlement: its receipt number is derived from the settlement id and
 * receipt numbers are unique in the store, so a resumed discharge cannot record it twice.
 */
export function dueFen(psnCashPayFen: number, held: number): number {
  return psnCashPayFen - held;
}

/** The counter's (cash / bank-card POS) collection of a settlement's balance: its order number and receipt. */
export const collectReceiptNo = (s: Pick<Settlement, 'id' | 'iptNo'>) => `BJ-${s.iptNo}-${s.id}`;
export const refundReceiptNo = (s: Pick<Settlement, 'id' | 'iptNo'>) => `TK-${s.iptNo}-${s.id}`;

export function counterRecorded(store: Store, s: Pick<Settlement, 'id' | 'iptNo'>): boolean {
  return (
    store.money.refunds(s.iptNo).some((r) => r.settlementId === s.id && r.reason === 'settlement') ||
    store.money.deposits(s.iptNo).some((d) => d.receiptNo === collectReceiptNo(s))
  );
}

/** The balance due before the movement is recorded: what the hospital holds now. */
export function balanceBefore(store: Store, iptNo: string, psnCashPayFen: number): { depositFen: number; dueFen: number } {
  const held = heldFen(store, iptNo);
  return { depositFen: held, dueFen: dueFen(psnCashPayFen, held) };
}

export function recordCounterMovement(tx: Tx, store: Store, s: Settlement, opterNo: string | null): void {
  // A balance due is collected later, when the money is really taken (balance-due.ts): never assumed here.
  if (counterRecorded(store, s) || s.dueFen >= 0) return;
  // 退款中 until the gateway confirms it (支付宝, by the original orders) or the cashier hands it out.
  requestSettlementRefund(tx, store, { iptNo: s.iptNo, settlementId: s.id, amountFen: -s.dueFen, receiptNo: refundReceiptNo(s), opterNo });
}

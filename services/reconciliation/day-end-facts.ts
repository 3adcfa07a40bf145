import type { Refund } from '../../db/repositories/money.ts';
import type { Settlement } from '../../db/repositories/settlements.ts';
import type { Store } from '../../db/store.ts';
import { CancelSettlement2305, cancelledSetlId, Settle2304 } from '../../insurance/client/transactions/settlement.ts';
import { operatorOf } from '../sync/write-back.ts';
import type { DayEndFacts, MoneyFact, SettlementFact } from './day-end-figures.ts';

/**
 * The store's side of the cashier's day-end: every money movement and settlement that may fall in
 * [fromMs, toMs), with the operator it belongs to and the moment it counts. day-end-figures.ts adds up.
 */

/**
 * A gateway refund is usually confirmed within minutes; one recorded up to this long before the range and
 * paid inside it still counts on the day it was paid.
 */
const REFUND_LOOKBACK_MS = 31 * 86_400_000;

export function readDayEndFacts(store: Store, fromMs: number, toMs: number): DayEndFacts {
  return store.read(() => {
    const money: MoneyFact[] = [];
    for (const d of store.money.depositsBetween(fromMs, toMs)) {
      money.push({ kind: d.kind, iptNo: d.iptNo, receiptNo: d.receiptNo, channel: d.method, amountFen: d.amountFen, opterNo: d.opterNo ?? '', at: d.receivedAt });
    }
    // A 作废 corrects the drawer of the cashier who took the deposit, on the day it is made.
    for (const v of store.money.voidsBetween(fromMs, toMs)) {
      const d = store.money.deposit(v.depositId)!;
      money.push({ kind: 'void', iptNo: v.iptNo, receiptNo: d.receiptNo, channel: d.method, amountFen: v.amountFen, opterNo: d.opterNo ?? '', at: v.voidedAt, voidedBy: v.opterNo });
    }
    for (const r of store.money.refundsBetween(fromMs - REFUND_LOOKBACK_MS, toMs)) {
      money.push({ kind: 'refund', iptNo: r.iptNo, receiptNo: r.receiptNo, channel: r.method, amountFen: r.amountFen, opterNo: refundOperator(r), at: r.refundedAt, refund: refundState(r) });
    }
    const settlements = store.settlements
      .touchedBetween(fromMs, toMs)
      .filter((s) => s.status === 'settled' || s.status === 'reversed')
      .map((s) => settlementFact(store, s));
    const opterNos = new Set([...money.map((m) => m.opterNo), ...settlements.flatMap((s) => [s.settledBy, s.reversedBy ?? ''])]);
    const names = new Map<string, string>();
    for (const o of opterNos) {
      const op = o ? store.operators.operator(o) : null;
      if (op) names.set(o, op.name);
    }
    return { money, settlements, names };
  });
}

/**
 * Whether a refund has reached the patient: the refund's own state (docs/payments.md "Refund states"). 已退
 * (done) at the moment it was confirmed — by the gateway for 支付宝 (every order's refund confirmed), by the
 * cashier who handed out the cash or made the POS refund; 退款中 (requested) is not paid yet, whatever the
 * channel; refused ones wait in the operator queue. Rows from before refund states were paid when recorded.
 */
function refundState(r: Refund): NonNullable<MoneyFact['refund']> {
  if (r.state === 'done') return { state: 'paid', paidAt: r.doneAt ?? r.refundedAt };
  return { state: r.state === 'attention' ? 'attention' : 'refunding' };
}

/** Cash and POS refunds leave the drawer of the cashier who handed them out; the others count for who asked. */
function refundOperator(r: Refund): string {
  return r.state === 'done' && r.doneBy && r.doneBy !== 'gateway' ? r.doneBy : (r.opterNo ?? '');
}

/** A settlement with the moment and operator of its 2304, and of its 2305 when reversed. */
function settlementFact(store: Store, s: Settlement): SettlementFact {
  const items = store.outbox.listByVisit(s.iptNo).filter((i) => i.state === 'done');
  const settle = items.find((i) => i.infno === Settle2304.infno && i.msgid === s.msgid);
  const reversal = s.status === 'reversed' ? items.filter((i) => i.infno === CancelSettlement2305.infno && cancelledSetlId(i.input) === s.setlId).at(-1) : undefined;
  const settledBy = (settle && operatorOf(settle)) ?? '';
  return {
    settlementId: s.id,
    iptNo: s.iptNo,
    setlId: s.setlId,
    medfeeFen: s.medfeeSumamtFen,
    fundFen: s.fundPaySumamtFen,
    acctFen: s.acctPayFen,
    psnCashFen: s.psnCashPayFen,
    // When the terminal recorded the 2304's answer (to the ms, ordered with the 2305s); else the platform's
    // setl_time (China time, to the second); else when the settlement was opened.
    settledAt: settle?.doneAt ?? ((s.setlTime ? Date.parse(`${s.setlTime.replace(' ', 'T')}+08:00`) : NaN) || s.createdAt),
    settledBy,
    reversedAt: s.status === 'reversed' ? (reversal?.doneAt ?? s.reversedAt ?? s.updatedAt) : null,
    reversedBy: s.status === 'reversed' ? ((reversal && operatorOf(reversal)) ?? settledBy) : null,
  };
}

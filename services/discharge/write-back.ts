import type { Store } from '../../db/store.ts';
import type { Tx } from '../../db/tx.ts';
import type { OutboxItem } from '../../db/outbox/types.ts';
import type { SettlementSplit } from '../../db/repositories/settlements.ts';
import { Discharge2402 } from '../../insurance/client/transactions/admission.ts';
import { CancelSettlement2305, cancelledSetlId, PreSettle2303, Settle2304, type SetlInfo } from '../../insurance/client/transactions/settlement.ts';
import { operatorOf, writeBackOf } from '../sync/write-back.ts';
import { balanceBefore, counterRecorded, recordCounterMovement } from './counter.ts';

/**
 * The discharge counter's write-backs: the relay runs them in the transaction that completes the item, and
 * nobody else does. `discharge.settle` only reads what they wrote (services/discharge/settle.ts).
 */

/** 2402 出院办理 done: the stay is discharged. */
export const discharge2402 = writeBackOf(Discharge2402, {
  apply(tx, store, item) {
    const adm = store.admissions.get(item.visitKey);
    if (adm && adm.status === 'admitted') store.admissions.setStatus(tx, adm.iptNo, 'discharged');
  },
});

/**
 * 2303 住院预结算 changes nothing in the store. The counter asks it live (pre-settle.ts); a deployment that
 * queues it (the sync test worlds do) still gets its answer checked by the codec.
 */
export const preSettle2303 = writeBackOf(PreSettle2303, { apply() {} });

/** The setlinfo of a 2304 answer as the settlement row's fen columns. */
export function splitOf(i: SetlInfo): SettlementSplit {
  return {
    medfeeSumamtFen: i.medfee_sumamt,
    fulamtOwnpayAmtFen: i.fulamt_ownpay_amt,
    overlmtSelfpayFen: i.overlmt_selfpay,
    preselfpayAmtFen: i.preselfpay_amt,
    inscpScpAmtFen: i.inscp_scp_amt,
    actPayDedcFen: i.act_pay_dedc,
    hifpPayFen: i.hifp_pay,
    cvlservPayFen: i.cvlserv_pay,
    hifesPayFen: i.hifes_pay,
    hifmiPayFen: i.hifmi_pay,
    hifobPayFen: i.hifob_pay,
    mafPayFen: i.maf_pay,
    othPayFen: i.oth_pay,
    fundPaySumamtFen: i.fund_pay_sumamt,
    psnPartAmtFen: i.psn_part_amt,
    acctPayFen: i.acct_pay,
    psnCashPayFen: i.psn_cash_pay,
    hospPartAmtFen: i.hosp_part_amt,
    balcFen: i.balc,
  };
}

/** A pending settlement whose 2304 will never take effect (refused, or cancelled from the queue) failed. */
function settlementFailed(tx: Tx, store: Store, item: OutboxItem): void {
  const live = store.settlements.liveFor(item.visitKey);
  if (live && live.status === 'pending') store.settlements.setStatus(tx, live.id, 'failed');
}

/**
 * 2304 住院结算 done: the settlement row gets its setl_id, split, the msgid that took effect and the balance
 * against what the hospital holds; a refund (多退) is recorded under the cashier who queued the 2304 (the item's
 * envelope), while a balance due stays 待补缴 until it is really collected (services/payments/balance-due.ts);
 * the stay is settled. All in the relay's transaction that completes the item.
 */
export const settle2304 = writeBackOf(Settle2304, {
  apply(tx, store, item, out) {
    const s0 = store.settlements.byMsgid(item.msgid) ?? store.settlements.liveFor(item.visitKey);
    if (!s0 || s0.iptNo !== item.visitKey || s0.status !== 'pending' || counterRecorded(store, s0)) return;
    const split = splitOf(out.setlinfo);
    const balance = balanceBefore(store, s0.iptNo, split.psnCashPayFen);
    const s = store.settlements.markSettled(tx, s0.id, {
      setlId: out.setlinfo.setl_id,
      msgid: item.msgid,
      mdtrtId: out.setlinfo.mdtrt_id,
      split,
      depositFen: balance.depositFen,
      dueFen: balance.dueFen,
      setlTime: out.setlinfo.setl_time,
      output: item.output,
    });
    recordCounterMovement(tx, store, s, operatorOf(item));
    store.admissions.setStatus(tx, s.iptNo, 'settled');
    store.audit.append(tx, {
      actor: operatorOf(item) ? `opter:${operatorOf(item)}` : 'relay',
      action: 'discharge.settled',
      subject: `settlement:${s.id}`,
      detail: { visit: s.iptNo, setlId: s.setlId, msgid: item.msgid, medfeeFen: split.medfeeSumamtFen, psnCashPayFen: split.psnCashPayFen, depositFen: balance.depositFen, dueFen: balance.dueFen },
    });
  },
  dead: settlementFailed,
  cancelled: settlementFailed,
});

/** 2305 住院结算撤销 done: the settlement is reversed with the supervisor's reason; the stay can settle again. */
export const cancelSettlement2305 = writeBackOf(CancelSettlement2305, {
  apply(tx, store, item) {
    const setlId = cancelledSetlId(item.input);
    const s = setlId ? store.settlements.bySetlId(setlId) : null;
    if (!s) return;
    const requested = store.audit
      .list({ subject: `settlement:${s.id}` })
      .filter((e) => e.action === 'discharge.reverse-requested' && e.detail.outbox === item.id)
      .at(-1);
    const reason = typeof requested?.detail.reason === 'string' ? requested.detail.reason : '2305 住院结算撤销';
    if (s.status !== 'reversed') store.settlements.markReversed(tx, s.id, reason);
    const adm = store.admissions.get(s.iptNo);
    if (adm && adm.status === 'settled') store.admissions.setStatus(tx, s.iptNo, 'discharged');
  },
});

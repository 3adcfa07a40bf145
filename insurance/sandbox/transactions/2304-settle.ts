import { chinaCompact14 } from '../china-time.ts';
import type { TransactionDef } from '../platform/context.ts';
import { computeSettlement } from '../platform/settle-visit.ts';

/**
 * 2304 住院结算: computes like 2303, then saves the settlement (setl_id), debits the personal account and
 * counts toward the year's totals. The msgid is medins_setl_id, the 2601 key; a repeated msgid gets the stored
 * answer (the dispatcher's ledger), never a second settlement.
 */
export const settle2304: TransactionDef = {
  infno: '2304',
  name: '住院结算',
  mutating: true,
  needsSignIn: true,
  run(ctx) {
    const s = computeSettlement(ctx);
    const seq = ctx.state.counters.next('setl_id');
    const setlId = `${s.insuplcAdmdvs}${chinaCompact14(ctx.now)}${String(seq).padStart(6, '0')}`;
    const setlinfo = { ...s.setlinfo, setl_id: setlId, medins_setl_id: ctx.envelope.msgid };
    const output = { setlinfo, setldetail: s.setldetail };
    ctx.state.settlements.insert({
      setl_id: setlId,
      kind: 'settle',
      init_setl_id: null,
      mdtrt_id: s.admission.mdtrt_id,
      psn_no: s.admission.psn_no,
      insutype: s.admission.insutype,
      insuplc_admdvs: s.insuplcAdmdvs,
      fixmedins_code: ctx.hospital.code,
      msgid: ctx.envelope.msgid,
      setl_time: ctx.nowText,
      year: Number(ctx.today.slice(0, 4)),
      status: 'valid',
      medfee_fen: s.bill.medfeeSumamtFen,
      inscp_fen: s.bill.inscpFen,
      hifp_fen: s.funds.hifpPayFen,
      fund_fen: s.funds.fundPaySumamtFen,
      acct_fen: s.funds.acctPayFen,
      cash_fen: s.funds.psnCashPayFen,
      output: JSON.stringify(output),
    });
    if (s.funds.acctPayFen !== 0) ctx.state.accounts.set(s.admission.psn_no, s.admission.insutype, s.funds.balcAfterFen);
    ctx.tookEffect({ psn_no: s.admission.psn_no, mdtrt_id: s.admission.mdtrt_id, ipt_no: s.admission.ipt_no, setl_id: setlId });
    for (const c of s.decision.conflicts) ctx.warn(c.text);
    return output;
  },
};

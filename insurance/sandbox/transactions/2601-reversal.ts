import { z } from 'zod';
import type { TransactionDef, TxnContext } from '../platform/context.ts';
import { parseNode, requiredText } from '../platform/input.ts';
import { personNow } from '../platform/person-facts.ts';
import { refuse } from '../platform/refusal.ts';
import type { JournalFields } from '../state/journal.ts';

const Data = z.object({ psn_no: requiredText, omsgid: requiredText, oinfno: requiredText }).passthrough();

/** What 2601 can reverse (nhsa-interface.md §5): 2401, 2304, 2305, 2207, 2208. */
export const REVERSIBLE_INFNOS: readonly string[] = ['2401', '2304', '2305', '2207', '2208'];

/** err_msg a msgid gets when it arrives after a 2601 already reversed it. */
export const REVERSED_BEFORE_ARRIVAL = '该报文已被冲正（2601），原交易不予执行';

/**
 * 2601 冲正交易: reverses the transaction omsgid/oinfno if it took effect, and answers success either way
 * (definitively). A msgid never seen is recorded as reversed, so if the original arrives late it is refused
 * instead of applied: after a 2601 success the original has no effect, whatever the order of arrival.
 * Refused (definitively) only when the reversal would break what came after (e.g. a 2401 whose stay has fee
 * lines), or the request contradicts the original (other infno or person).
 */
export const reversal2601: TransactionDef = {
  infno: '2601',
  name: '冲正交易',
  mutating: true,
  needsSignIn: true,
  run(ctx) {
    const d = parseNode(Data, ctx.input.data, 'data');
    if (!REVERSIBLE_INFNOS.includes(d.oinfno)) return refuse(`交易${d.oinfno}不可冲正`);
    if (d.omsgid === ctx.envelope.msgid) return refuse('冲正交易不能冲正自身');
    // A msgid starts with the sender's fixmedins_code: a hospital reverses only its own transactions.
    if (!d.omsgid.startsWith(ctx.hospital.code)) return refuse('只能冲正本定点医药机构发送的交易');
    const stored = ctx.state.messages.get(d.omsgid);
    if (!stored) {
      ctx.state.messages.insert({
        msgid: d.omsgid,
        infno: d.oinfno,
        input_hash: null,
        psn_no: d.psn_no,
        response: REVERSED_BEFORE_ARRIVAL,
        took_effect: 0,
        reversed_by: ctx.envelope.msgid,
        received_at: ctx.nowText,
      });
      return {};
    }
    if (stored.infno !== d.oinfno) return refuse(`原交易编号不符：报文${d.omsgid}为交易${stored.infno}`);
    if (stored.psn_no !== null && stored.psn_no !== d.psn_no) return refuse('人员编号与原交易不符');
    if (stored.input_hash === null || stored.took_effect === 0 || stored.reversed_by !== null) return {};

    const effect = reverse(ctx, d.oinfno, d.omsgid);
    ctx.state.messages.markReversed(d.omsgid, ctx.envelope.msgid);
    ctx.tookEffect({ ...effect, psn_no: d.psn_no, omsgid: d.omsgid, oinfno: d.oinfno });
    return {};
  },
};

function reverse(ctx: TxnContext, oinfno: string, omsgid: string): JournalFields {
  const st = ctx.state;
  if (oinfno === '2401') {
    const a = st.admissions.byMsgid(omsgid);
    if (!a) return {};
    if (st.settlements.validForVisit(a.mdtrt_id)) return refuse('该住院已结算，不能冲正入院办理，请先撤销结算');
    const n = st.feeLines.countActive(a.mdtrt_id);
    if (n > 0) return refuse(`该住院已上传${n}条费用明细，不能冲正入院办理，请先撤销费用明细`);
    if (a.status !== 'cancelled') st.admissions.update(a.mdtrt_id, { status: 'cancelled' });
    return { mdtrt_id: a.mdtrt_id, ipt_no: a.ipt_no };
  }
  if (oinfno === '2304') {
    const s = st.settlements.byMsgid(omsgid);
    if (!s) return {};
    if (s.status === 'refunded') return refuse('该结算已撤销（2305），请先冲正结算撤销交易');
    if (s.status === 'valid') {
      st.settlements.setStatus(s.setl_id, 'reversed');
      if (s.acct_fen !== 0) adjustAccount(ctx, s.psn_no, s.insutype, s.acct_fen);
    }
    return { mdtrt_id: s.mdtrt_id, setl_id: s.setl_id, ipt_no: st.admissions.get(s.mdtrt_id)?.ipt_no ?? null };
  }
  if (oinfno === '2305') {
    const r = st.settlements.byMsgid(omsgid);
    if (!r || r.kind !== 'refund') return {};
    if (r.status === 'valid') {
      const other = st.settlements.validForVisit(r.mdtrt_id);
      if (other) return refuse(`该就诊已重新结算（结算ID ${other.setl_id}），不能冲正结算撤销`);
      // r.acct_fen is the negative of the original payment: the account pays it again.
      adjustAccount(ctx, r.psn_no, r.insutype, r.acct_fen);
      st.settlements.setStatus(r.setl_id, 'reversed');
      if (r.init_setl_id) st.settlements.setStatus(r.init_setl_id, 'valid');
    }
    return { mdtrt_id: r.mdtrt_id, setl_id: r.init_setl_id, ipt_no: st.admissions.get(r.mdtrt_id)?.ipt_no ?? null };
  }
  // 2207 / 2208 (outpatient) are not implemented by the sandbox, so none of them ever took effect here.
  return {};
}

/** Gives back `fen` to the account (negative: takes it again; refused when the balance no longer has it). */
function adjustAccount(ctx: TxnContext, psnNo: string, insutype: string, fen: number): void {
  const pn = personNow(ctx.world, ctx.state, psnNo)!;
  const balc = pn.insurances.find((r) => r.insutype === insutype)?.balcFen ?? 0;
  if (balc + fen < 0) refuse('个人账户余额不足，不能冲正');
  ctx.state.accounts.set(psnNo, insutype, balc + fen);
}

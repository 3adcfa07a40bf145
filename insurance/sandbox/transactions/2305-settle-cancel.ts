import { z } from 'zod';
import { chinaCompact14 } from '../china-time.ts';
import { fenToYuanNumber } from '../policy/decimal.ts';
import { admissionOf } from '../platform/admission-of.ts';
import type { TransactionDef } from '../platform/context.ts';
import { parseNode, requiredText } from '../platform/input.ts';
import { negateSetldetail, negateSetlinfo } from '../platform/negate-settlement.ts';
import { personNow } from '../platform/person-facts.ts';
import { refuse } from '../platform/refusal.ts';

const Data = z.object({ mdtrt_id: requiredText, setl_id: requiredText, psn_no: requiredText }).passthrough();

/**
 * 2305 住院结算撤销: the settlement no longer counts (year totals, the visit can be settled again), a refund
 * record with negative amounts is made, and the account gets its payment back. The answer is the original
 * setlinfo with negative amounts; setl_id is the refund's, init_setl_id the settlement's.
 */
export const settleCancel2305: TransactionDef = {
  infno: '2305',
  name: '住院结算撤销',
  mutating: true,
  needsSignIn: true,
  run(ctx) {
    const d = parseNode(Data, ctx.input.data, 'data');
    const a = admissionOf(ctx, d.mdtrt_id, d.psn_no);
    const s = ctx.state.settlements.get(d.setl_id);
    if (!s || s.kind !== 'settle' || s.mdtrt_id !== a.mdtrt_id) return refuse(`结算ID不存在：${d.setl_id}`);
    if (s.status !== 'valid') return refuse('该结算已撤销');

    const seq = ctx.state.counters.next('setl_id');
    const refundId = `${s.insuplc_admdvs}${chinaCompact14(ctx.now)}${String(seq).padStart(6, '0')}`;
    const pn = personNow(ctx.world, ctx.state, a.psn_no)!;
    const balcBefore = pn.insurances.find((r) => r.insutype === s.insutype)?.balcFen ?? 0;
    const balcAfter = balcBefore + s.acct_fen;
    const original = JSON.parse(s.output) as { setlinfo: Record<string, unknown>; setldetail: Record<string, unknown>[] };
    const output = {
      setlinfo: {
        ...negateSetlinfo(original.setlinfo),
        setl_id: refundId,
        init_setl_id: s.setl_id,
        setl_time: ctx.nowText,
        balc: fenToYuanNumber(balcAfter),
        medins_setl_id: ctx.envelope.msgid,
        refd_setl_flag: '1',
      },
      setldetail: negateSetldetail(original.setldetail),
    };
    ctx.state.settlements.setStatus(s.setl_id, 'refunded');
    ctx.state.settlements.insert({
      ...s,
      setl_id: refundId,
      kind: 'refund',
      init_setl_id: s.setl_id,
      msgid: ctx.envelope.msgid,
      setl_time: ctx.nowText,
      year: Number(ctx.today.slice(0, 4)),
      status: 'valid',
      medfee_fen: 0 - s.medfee_fen,
      inscp_fen: 0 - s.inscp_fen,
      hifp_fen: 0 - s.hifp_fen,
      fund_fen: 0 - s.fund_fen,
      acct_fen: 0 - s.acct_fen,
      cash_fen: 0 - s.cash_fen,
      output: JSON.stringify(output),
    });
    if (s.acct_fen !== 0) ctx.state.accounts.set(s.psn_no, s.insutype, balcAfter);
    ctx.tookEffect({ psn_no: a.psn_no, mdtrt_id: a.mdtrt_id, ipt_no: a.ipt_no, setl_id: s.setl_id });
    return output;
  },
};

import { z } from 'zod';
import type { TransactionDef } from '../platform/context.ts';
import { optionalText, parseNode, requiredText } from '../platform/input.ts';
import { refuse } from '../platform/refusal.ts';

const Data = z.object({ psn_no: requiredText, setl_id: requiredText, mdtrt_id: optionalText }).passthrough();

/**
 * 5203 结算信息查询: the settlement (or refund) as answered, with its state: refd_setl_flag 1 for a refund
 * record, setl_stas (sandbox extension) "valid" / "refunded" / "reversed". A settlement erased by 2601 is
 * not found, like one that never happened.
 */
export const settlementQuery5203: TransactionDef = {
  infno: '5203',
  name: '结算信息查询',
  mutating: false,
  needsSignIn: true,
  run(ctx) {
    const d = parseNode(Data, ctx.input.data, 'data');
    const s = ctx.state.settlements.get(d.setl_id);
    if (!s || s.psn_no !== d.psn_no || (d.mdtrt_id && s.mdtrt_id !== d.mdtrt_id) || s.status === 'reversed') {
      return refuse(`未查询到结算信息：${d.setl_id}`);
    }
    const out = JSON.parse(s.output) as { setlinfo: Record<string, unknown>; setldetail: unknown[] };
    const a = ctx.state.admissions.get(s.mdtrt_id);
    const hospital = ctx.world.hospitals.get(s.fixmedins_code);
    return {
      setlinfo: {
        ...out.setlinfo,
        refd_setl_flag: s.kind === 'refund' ? '1' : '0',
        setl_stas: s.status,
        fixmedins_code: s.fixmedins_code,
        fixmedins_name: hospital?.name ?? '',
        hosp_lv: hospital ? String(hospital.level) : '',
        begndate: a?.begntime.slice(0, 10) ?? null,
        enddate: a?.endtime?.slice(0, 10) ?? null,
        year: String(s.year),
        insu_optins: s.insuplc_admdvs,
      },
      setldetail: out.setldetail,
    };
  },
};

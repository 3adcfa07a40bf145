import { z } from 'zod';
import type { TransactionDef } from '../platform/context.ts';
import { parseNode, requiredText } from '../platform/input.ts';
import { knownPerson } from '../platform/person-facts.ts';

const Data = z.object({ psn_no: requiredText });

/**
 * 5311 异地就医备案查询 — SANDBOX EXTENSION, not a national transaction (the national interface has no
 * hospital-side filing query, nhsa-interface.md §2 "Filing"). A person's 异地就医 filings and 大市一卡通
 * registrations, cancelled ones included (vali_flag 0).
 */
export const filings5311: TransactionDef = {
  infno: '5311',
  name: '异地就医备案查询（沙箱扩展）',
  mutating: false,
  needsSignIn: true,
  run(ctx) {
    const d = parseNode(Data, ctx.input.data, 'data');
    const pn = knownPerson(ctx.world, ctx.state, d.psn_no);
    return {
      filings: pn.filings.map((f) => ({
        trt_dcla_detl_sn: f.trt_dcla_detl_sn,
        psn_no: f.psn_no,
        dcla_type: f.dcla_type,
        mdtrtarea_admdvs: f.mdtrtarea_admdvs,
        begndate: f.begndate,
        enddate: f.enddate,
        crte_time: f.crte_time,
        vali_flag: f.vali_flag,
      })),
      dsyk_regs: pn.registrations.map((r) => ({
        reg_id: r.reg_id,
        psn_no: r.psn_no,
        insu_admdvs: r.insu_admdvs,
        trt_admdvs: r.trt_admdvs,
        card_sn: r.card_sn,
        begndate: r.begndate,
        vali_flag: r.vali_flag,
      })),
    };
  },
};

import { z } from 'zod';
import type { TransactionDef } from '../platform/context.ts';
import type { StoredLineResult } from '../platform/fee-line-result.ts';
import { optionalText, parseNode, requiredText } from '../platform/input.ts';
import { refuse } from '../platform/refusal.ts';

const Data = z.object({ psn_no: requiredText, setl_id: optionalText, mdtrt_id: requiredText }).passthrough();

/** 5204 费用明细查询: the active lines the platform holds for a stay, each as uploaded plus its split. */
export const feeQuery5204: TransactionDef = {
  infno: '5204',
  name: '费用明细查询',
  mutating: false,
  needsSignIn: true,
  run(ctx) {
    const d = parseNode(Data, ctx.input.data, 'data');
    const a = ctx.state.admissions.get(d.mdtrt_id);
    if (!a || a.psn_no !== d.psn_no || a.fixmedins_code !== ctx.hospital.code) return refuse(`就诊ID不存在：${d.mdtrt_id}`);
    if (d.setl_id) {
      const s = ctx.state.settlements.get(d.setl_id);
      if (!s || s.mdtrt_id !== a.mdtrt_id) return refuse(`结算ID不存在：${d.setl_id}`);
    }
    const feedetail = ctx.state.feeLines.active(a.mdtrt_id).map((l) => {
      const line = JSON.parse(l.line) as Record<string, unknown>;
      const { row } = JSON.parse(l.result) as StoredLineResult;
      const entry = ctx.world.catalogue.get(l.med_list_codg);
      return {
        ...line,
        ...row,
        setl_id: d.setl_id || null,
        hilist_code: entry?.medListCodg ?? l.med_list_codg,
        hilist_name: entry?.name ?? '',
        list_type: entry ? '101' : '',
        spec: entry?.spec ?? '',
        prodname: entry?.name ?? '',
      };
    });
    return { feedetail };
  },
};

import { z } from 'zod';
import { admissionOf, refuseIfSettled } from '../platform/admission-of.ts';
import type { TransactionDef } from '../platform/context.ts';
import { objectOrList, parseNode, requiredText } from '../platform/input.ts';
import { refuse } from '../platform/refusal.ts';

const Item = z.object({ feedetl_sn: requiredText, mdtrt_id: requiredText, psn_no: requiredText }).passthrough();

/** feedetl_sn "0000" deletes every line of the visit. */
const ALL_LINES = '0000';

/** 2302 住院费用明细撤销: lines of an unsettled visit are deleted (data as an object or a list). */
export const feeCancel2302: TransactionDef = {
  infno: '2302',
  name: '住院费用明细撤销',
  mutating: true,
  needsSignIn: true,
  run(ctx) {
    const items = parseNode(objectOrList(Item), ctx.input.data, 'data');
    let deleted = 0;
    for (const it of items) {
      const a = admissionOf(ctx, it.mdtrt_id, it.psn_no);
      refuseIfSettled(ctx, a.mdtrt_id, '撤销费用明细');
      if (it.feedetl_sn === ALL_LINES) {
        deleted += ctx.state.feeLines.markAllDeleted(a.mdtrt_id);
        continue;
      }
      const line = ctx.state.feeLines.get(a.mdtrt_id, it.feedetl_sn);
      if (!line || line.status !== 'active') return refuse(`费用明细不存在或已撤销：${it.feedetl_sn}`);
      if (ctx.state.feeLines.refundsOf(a.mdtrt_id, it.feedetl_sn).length > 0) return refuse(`费用明细${it.feedetl_sn}已有退费明细，请先撤销退费明细`);
      ctx.state.feeLines.markDeleted(a.mdtrt_id, it.feedetl_sn);
      deleted++;
    }
    if (deleted > 0) {
      const first = items[0]!;
      const a = ctx.state.admissions.get(first.mdtrt_id)!;
      ctx.tookEffect({ psn_no: a.psn_no, mdtrt_id: a.mdtrt_id, ipt_no: a.ipt_no });
    }
    return {};
  },
};

import { z } from 'zod';
import { admissionOf, refuseIfSettled } from '../platform/admission-of.ts';
import type { TransactionDef } from '../platform/context.ts';
import { objectOrList, parseNode, requiredText } from '../platform/input.ts';
import { refuse } from '../platform/refusal.ts';

const Data = objectOrList(z.object({ mdtrt_id: requiredText, psn_no: requiredText }).passthrough());

/** 2404 入院撤销: only a stay still in hospital, unsettled and without active fee lines. */
export const admissionCancel2404: TransactionDef = {
  infno: '2404',
  name: '入院撤销',
  mutating: true,
  needsSignIn: true,
  run(ctx) {
    const [d] = parseNode(Data, ctx.input.data, 'data');
    const a = admissionOf(ctx, d!.mdtrt_id, d!.psn_no);
    refuseIfSettled(ctx, a.mdtrt_id, '撤销入院');
    if (a.status === 'out') return refuse('已办理出院，请先撤销出院（2405）');
    const n = ctx.state.feeLines.countActive(a.mdtrt_id);
    if (n > 0) return refuse(`已上传${n}条费用明细，请先撤销费用明细（2302）`);
    ctx.state.admissions.update(a.mdtrt_id, { status: 'cancelled' });
    ctx.tookEffect({ psn_no: a.psn_no, mdtrt_id: a.mdtrt_id, ipt_no: a.ipt_no });
    return {};
  },
};

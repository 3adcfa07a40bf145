import { z } from 'zod';
import { admissionOf, refuseIfSettled } from '../platform/admission-of.ts';
import type { TransactionDef } from '../platform/context.ts';
import { objectOrList, parseNode, requiredText } from '../platform/input.ts';
import { refuse } from '../platform/refusal.ts';

const Data = objectOrList(z.object({ mdtrt_id: requiredText, psn_no: requiredText }).passthrough());

/** 2405 出院撤销: an unsettled stay goes back in hospital. */
export const dischargeCancel2405: TransactionDef = {
  infno: '2405',
  name: '出院撤销',
  mutating: true,
  needsSignIn: true,
  run(ctx) {
    const [d] = parseNode(Data, ctx.input.data, 'data');
    const a = admissionOf(ctx, d!.mdtrt_id, d!.psn_no);
    if (a.status !== 'out') return refuse('该住院未办理出院');
    refuseIfSettled(ctx, a.mdtrt_id, '撤销出院');
    ctx.state.admissions.update(a.mdtrt_id, { status: 'in', endtime: null });
    ctx.tookEffect({ psn_no: a.psn_no, mdtrt_id: a.mdtrt_id, ipt_no: a.ipt_no });
    return {};
  },
};

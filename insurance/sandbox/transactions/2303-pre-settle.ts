import type { TransactionDef } from '../platform/context.ts';
import { computeSettlement } from '../platform/settle-visit.ts';

/** 2303 住院预结算: the split of the visit's bill, computed and answered, nothing saved. */
export const preSettle2303: TransactionDef = {
  infno: '2303',
  name: '住院预结算',
  mutating: false,
  needsSignIn: true,
  run(ctx) {
    const s = computeSettlement(ctx);
    for (const c of s.decision.conflicts) ctx.warn(c.text);
    return { setlinfo: s.setlinfo, setldetail: s.setldetail };
  },
};

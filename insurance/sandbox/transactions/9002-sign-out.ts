import { z } from 'zod';
import type { TransactionDef } from '../platform/context.ts';
import { parseNode, requiredText } from '../platform/input.ts';
import { refuse } from '../platform/refusal.ts';

const SignOut = z.object({ sign_no: requiredText, opter_no: requiredText });

/** 9002 签退: the sign_no stops being valid. */
export const signOut9002: TransactionDef = {
  infno: '9002',
  name: '签退',
  mutating: true,
  needsSignIn: true,
  run(ctx) {
    const input = parseNode(SignOut, ctx.input.signOut, 'signOut');
    const s = ctx.state.signIns.get(input.sign_no);
    if (!s || s.fixmedins_code !== ctx.hospital.code) return refuse('签到流水号不存在');
    if (s.signed_out_at !== null) return refuse('该签到流水号已签退');
    if (s.opter_no !== input.opter_no) return refuse('签退操作员与签到操作员不一致');
    ctx.state.signIns.signOut(input.sign_no, ctx.nowText);
    ctx.tookEffect({});
    return { signoutoutb: { sign_time: ctx.nowText } };
  },
};

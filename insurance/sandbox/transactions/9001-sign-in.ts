import { z } from 'zod';
import type { TransactionDef } from '../platform/context.ts';
import { optionalText, parseNode, requiredText } from '../platform/input.ts';

const SignIn = z.object({ opter_no: requiredText, mac: optionalText, ip: requiredText });

/** 9001 签到: once per operator per day; every other transaction carries the sign_no it returns. */
export const signIn9001: TransactionDef = {
  infno: '9001',
  name: '签到',
  mutating: true,
  needsSignIn: false,
  run(ctx) {
    const input = parseNode(SignIn, ctx.input.signIn, 'signIn');
    const seq = ctx.state.counters.next('sign_no');
    const signNo = `${ctx.today.replaceAll('-', '')}${ctx.hospital.code.slice(1)}${String(seq).padStart(8, '0')}`;
    ctx.state.signIns.create({ sign_no: signNo, opter_no: input.opter_no, fixmedins_code: ctx.hospital.code, sign_time: ctx.nowText });
    ctx.tookEffect({});
    return { signinoutb: { sign_time: ctx.nowText, sign_no: signNo } };
  },
};

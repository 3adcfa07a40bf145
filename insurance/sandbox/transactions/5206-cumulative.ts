import { z } from 'zod';
import { fenToYuanNumber } from '../policy/decimal.ts';
import type { TransactionDef } from '../platform/context.ts';
import { optionalText, parseNode, requiredText } from '../platform/input.ts';
import { knownPerson } from '../platform/person-facts.ts';
import { refuse } from '../platform/refusal.ts';
import { yearToDate } from '../platform/year-to-date.ts';

const Data = z.object({ psn_no: requiredText, cum_ym: optionalText });

/**
 * 5206 人员累计信息查询: the year-to-date totals the settlement uses (settlement-rules §6), per insutype:
 * S001 统筹基金累计支付 (yuan), S002 政策范围内个人负担累计 (yuan), S003 住院结算次数.
 */
export const cumulative5206: TransactionDef = {
  infno: '5206',
  name: '人员累计信息查询',
  mutating: false,
  needsSignIn: true,
  run(ctx) {
    const d = parseNode(Data, ctx.input.data, 'data');
    const pn = knownPerson(ctx.world, ctx.state, d.psn_no);
    if (d.cum_ym && !/^\d{6}$/.test(d.cum_ym)) return refuse('交易输入错误：data.cum_ym 应为yyyyMM');
    const year = d.cum_ym ? Number(d.cum_ym.slice(0, 4)) : Number(ctx.today.slice(0, 4));
    const cumYm = d.cum_ym || ctx.today.slice(0, 7).replace('-', '');
    const cuminfo = pn.insurances.flatMap((r) => {
      const t = yearToDate(ctx, pn, r.insutype, year, null);
      return [
        { cum_type_code: 'S001', year: String(year), cum: fenToYuanNumber(t.hifpFen), cum_ym: cumYm, insutype: r.insutype },
        { cum_type_code: 'S002', year: String(year), cum: fenToYuanNumber(t.inscpBurdenFen), cum_ym: cumYm, insutype: r.insutype },
        { cum_type_code: 'S003', year: String(year), cum: t.admissions, cum_ym: cumYm, insutype: r.insutype },
      ];
    });
    return { cuminfo };
  },
};

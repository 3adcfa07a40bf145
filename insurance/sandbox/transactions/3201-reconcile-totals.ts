import { z } from 'zod';
import { fenToYuanNumber } from '../policy/decimal.ts';
import type { TransactionDef } from '../platform/context.ts';
import { fenOf, optionalText, parseNode, requiredText, wireDecimal } from '../platform/input.ts';
import { refuse } from '../platform/refusal.ts';
import { reconciliationRecords } from '../platform/reconciliation-records.ts';

const Data = z
  .object({
    insutype: requiredText,
    clr_type: requiredText,
    setl_optins: optionalText,
    stmt_begndate: requiredText,
    stmt_enddate: requiredText,
    medfee_sumamt: wireDecimal,
    fund_pay_sumamt: wireDecimal,
    acct_pay: wireDecimal,
    fixmedins_setl_cnt: z.union([z.string(), z.number()]).transform((v) => Number(v)),
  })
  .passthrough();

/**
 * 3201 医药机构费用结算对总账: the hospital's totals for days [stmt_begndate, stmt_enddate] against the
 * platform's (settlements and refunds of that insutype and 清算类别, of one 结算经办机构 = insured place when
 * setl_optins is given; reversed ones do not exist). stmt_rslt 0 平 / 1 不平.
 */
export const reconcileTotals3201: TransactionDef = {
  infno: '3201',
  name: '医药机构费用结算对总账',
  mutating: false,
  needsSignIn: true,
  run(ctx) {
    const d = parseNode(Data, ctx.input.data, 'data');
    if (!Number.isInteger(d.fixmedins_setl_cnt)) return refuse('交易输入错误：data.fixmedins_setl_cnt 应为整数');
    const recs = reconciliationRecords(ctx, { from: d.stmt_begndate.slice(0, 10), to: d.stmt_enddate.slice(0, 10), insutype: d.insutype, clrType: d.clr_type, setlOptins: d.setl_optins });
    const platform = {
      medfee: recs.reduce((s, r) => s + r.medfee_fen, 0),
      fund: recs.reduce((s, r) => s + r.fund_fen, 0),
      acct: recs.reduce((s, r) => s + r.acct_fen, 0),
      cnt: recs.length,
    };
    const mine = {
      medfee: fenOf(d.medfee_sumamt, 'data.medfee_sumamt'),
      fund: fenOf(d.fund_pay_sumamt, 'data.fund_pay_sumamt'),
      acct: fenOf(d.acct_pay, 'data.acct_pay'),
      cnt: d.fixmedins_setl_cnt,
    };
    const diffs: string[] = [];
    const y = (f: number) => fenToYuanNumber(f).toFixed(2);
    if (mine.medfee !== platform.medfee) diffs.push(`医疗费总额：医药机构${y(mine.medfee)}元，中心${y(platform.medfee)}元`);
    if (mine.fund !== platform.fund) diffs.push(`基金支付总额：医药机构${y(mine.fund)}元，中心${y(platform.fund)}元`);
    if (mine.acct !== platform.acct) diffs.push(`个人账户支付：医药机构${y(mine.acct)}元，中心${y(platform.acct)}元`);
    if (mine.cnt !== platform.cnt) diffs.push(`结算笔数：医药机构${mine.cnt}笔，中心${platform.cnt}笔`);
    return {
      stmtinfo: {
        setl_optins: d.setl_optins,
        stmt_rslt: diffs.length === 0 ? '0' : '1',
        stmt_rslt_dscr: diffs.length === 0 ? '对账平' : `对账不平：${diffs.join('；')}`,
      },
    };
  },
};

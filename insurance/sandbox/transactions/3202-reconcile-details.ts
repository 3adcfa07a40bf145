import { z } from 'zod';
import { fenToYuanNumber } from '../policy/decimal.ts';
import type { TransactionDef } from '../platform/context.ts';
import { fenOf, optionalText, parseNode, requiredText, wireDecimal } from '../platform/input.ts';
import { reconciliationRecords } from '../platform/reconciliation-records.ts';

const DetailRow = z
  .object({
    setl_id: requiredText,
    mdtrt_id: optionalText,
    psn_no: optionalText,
    medfee_sumamt: wireDecimal,
    fund_pay_sumamt: wireDecimal,
    acct_pay: wireDecimal,
    refd_setl_flag: optionalText,
  })
  .passthrough();

const Data = z
  .object({
    setl_optins: optionalText,
    file_qury_no: optionalText,
    stmt_begndate: requiredText,
    stmt_enddate: requiredText,
    medfee_sumamt: wireDecimal.optional(),
    fund_pay_sumamt: wireDecimal.optional(),
    cash_payamt: wireDecimal.optional(),
    fixmedins_setl_cnt: z.union([z.string(), z.number()]).optional(),
    /** SANDBOX EXTENSION: the hospital's rows inline, instead of a file uploaded with 9101. */
    detail: z.array(DetailRow).optional(),
  })
  .passthrough();

/**
 * 3202 医药机构费用结算对明细账. Nationally the hospital uploads its rows with 9101 and fetches the result
 * file with 9102; the sandbox answers fileinfo as usual and, as an EXTENSION, the result rows inline in
 * `stmt_detail`: every platform record of the period (with the msgid that made it: the safety net for a
 * settlement whose answer was lost) and every hospital row the platform does not have. With `detail` rows the
 * sandbox compares (stmt_rslt 0 一致, 1 医药机构无此结算, 2 金额不一致, 3 中心无此结算); without them it only lists
 * its own records (stmt_rslt "").
 */
export const reconcileDetails3202: TransactionDef = {
  infno: '3202',
  name: '医药机构费用结算对明细账',
  mutating: false,
  needsSignIn: true,
  run(ctx) {
    const d = parseNode(Data, ctx.input.data, 'data');
    const recs = reconciliationRecords(ctx, { from: d.stmt_begndate.slice(0, 10), to: d.stmt_enddate.slice(0, 10), setlOptins: d.setl_optins });
    const compare = d.detail !== undefined;
    const mine = new Map((d.detail ?? []).map((r, i) => [r.setl_id, { r, i }]));
    const y = fenToYuanNumber;
    const rows: Record<string, unknown>[] = recs.map((p) => {
      const h = mine.get(p.setl_id);
      mine.delete(p.setl_id);
      let rslt = '';
      let memo = '';
      if (compare) {
        if (!h) {
          rslt = '1';
          memo = '医药机构无此结算记录';
        } else {
          const same =
            fenOf(h.r.medfee_sumamt, `data.detail.${h.i}.medfee_sumamt`) === p.medfee_fen &&
            fenOf(h.r.fund_pay_sumamt, `data.detail.${h.i}.fund_pay_sumamt`) === p.fund_fen &&
            fenOf(h.r.acct_pay, `data.detail.${h.i}.acct_pay`) === p.acct_fen;
          rslt = same ? '0' : '2';
          memo = same ? '' : '金额不一致';
        }
      }
      return {
        psn_no: p.psn_no,
        mdtrt_id: p.mdtrt_id,
        setl_id: p.setl_id,
        msgid: p.msgid,
        stmt_rslt: rslt,
        refd_setl_flag: p.kind === 'refund' ? '1' : '0',
        memo,
        medfee_sumamt: y(p.medfee_fen),
        fund_pay_sumamt: y(p.fund_fen),
        acct_pay: y(p.acct_fen),
      };
    });
    for (const { r, i } of mine.values()) {
      rows.push({
        psn_no: r.psn_no,
        mdtrt_id: r.mdtrt_id,
        setl_id: r.setl_id,
        msgid: null,
        stmt_rslt: '3',
        refd_setl_flag: r.refd_setl_flag,
        memo: '中心无此结算记录',
        medfee_sumamt: y(fenOf(r.medfee_sumamt, `data.detail.${i}.medfee_sumamt`)),
        fund_pay_sumamt: y(fenOf(r.fund_pay_sumamt, `data.detail.${i}.fund_pay_sumamt`)),
        acct_pay: y(fenOf(r.acct_pay, `data.detail.${i}.acct_pay`)),
      });
    }
    const queryNo = d.file_qury_no || `SBX${ctx.today.replaceAll('-', '')}${ctx.hospital.code}`;
    return {
      fileinfo: { file_qury_no: queryNo, filename: `${queryNo}.zip`, dld_endtime: `${ctx.today} 23:59:59` },
      stmt_detail: rows,
    };
  },
};

import { z } from 'zod';
import { fenToYuan, type Fen } from '../../../base/fen.ts';
import type { CallOptions, PlatformClient, PlatformReply } from '../platform-client.ts';
import { code, list, optText, orEmpty, yuan } from '../wire.ts';

/**
 * Day-end reconciliation: 3201 医药机构费用结算对总账 and 3202 对明细账 (nhsa-interface.md §2 Reconciliation).
 */

export interface TotalsReconciliationInput {
  insutype: string;
  /** 清算类别: 21 住院 … */
  clr_type: string;
  /** 结算经办机构. */
  setl_optins: string;
  /** yyyy-MM-dd */
  stmt_begndate: string;
  stmt_enddate: string;
  medfee_sumamt: Fen;
  fund_pay_sumamt: Fen;
  acct_pay: Fen;
  fixmedins_setl_cnt: number;
  refd_setl_flag?: string;
}

export const TotalsReconciliationOutput = z.object({
  stmtinfo: z.object({
    setl_optins: optText,
    /** 对账结果: 0 平, 1 不平 (code table stmt_rslt). */
    stmt_rslt: code,
    stmt_rslt_dscr: optText,
  }),
});
export type TotalsReconciliation = z.output<typeof TotalsReconciliationOutput>;

/** 3201: our totals for a period against the platform's; the answer says whether they agree. */
export function reconcileTotals(client: PlatformClient, input: TotalsReconciliationInput, options: CallOptions = {}): Promise<PlatformReply<TotalsReconciliation>> {
  return client.call(
    {
      ...options,
      infno: '3201',
      input: {
        data: {
          insutype: input.insutype,
          clr_type: input.clr_type,
          setl_optins: input.setl_optins,
          stmt_begndate: input.stmt_begndate,
          stmt_enddate: input.stmt_enddate,
          medfee_sumamt: fenToYuan(input.medfee_sumamt),
          fund_pay_sumamt: fenToYuan(input.fund_pay_sumamt),
          acct_pay: fenToYuan(input.acct_pay),
          fixmedins_setl_cnt: String(input.fixmedins_setl_cnt),
          refd_setl_flag: orEmpty(input.refd_setl_flag),
        },
      },
    },
    TotalsReconciliationOutput,
  );
}

export interface DetailReconciliationInput {
  setl_optins: string;
  /** 文件查询号 of the detail file uploaded with 9101 (the sandbox accepts "" and uses its own records). */
  file_qury_no?: string;
  stmt_begndate: string;
  stmt_enddate: string;
  medfee_sumamt: Fen;
  fund_pay_sumamt: Fen;
  cash_payamt: Fen;
  fixmedins_setl_cnt: number;
  /**
   * SANDBOX EXTENSION: the hospital's settlement rows inline instead of a 9101 file; the answer then compares
   * them row by row. Absent: the platform only lists its own records.
   */
  detail?: readonly HospitalSettlementRow[];
}

export interface HospitalSettlementRow {
  setl_id: string;
  mdtrt_id?: string;
  psn_no?: string;
  medfee_sumamt: Fen;
  fund_pay_sumamt: Fen;
  acct_pay: Fen;
  /** 退费结算标志: 1 for a 2305 refund record. */
  refd_setl_flag?: string;
}

/** A result row (nationally in the 9102 file; the sandbox answers them inline in `stmt_detail`). */
const DetailResultRow = z.object({
  psn_no: optText,
  mdtrt_id: optText,
  setl_id: code,
  /** The msgid that made the settlement: how a settlement whose answer was lost is found. */
  msgid: optText,
  /** 0 一致, 1 医药机构无此结算, 2 金额不一致, 3 中心无此结算; "" when nothing was compared. */
  stmt_rslt: optText,
  refd_setl_flag: optText,
  memo: optText,
  medfee_sumamt: yuan,
  fund_pay_sumamt: yuan,
  acct_pay: yuan,
});
export type DetailResultRow = z.output<typeof DetailResultRow>;

export const DetailReconciliationOutput = z.object({
  fileinfo: z.object({ file_qury_no: optText, filename: optText, dld_endtime: optText }),
  stmt_detail: list(DetailResultRow),
});
export type DetailReconciliation = z.output<typeof DetailReconciliationOutput>;

/** 3202: detail reconciliation; nationally a result file to fetch with 9102, in the sandbox also `stmt_detail`. */
export function reconcileDetails(client: PlatformClient, input: DetailReconciliationInput, options: CallOptions = {}): Promise<PlatformReply<DetailReconciliation>> {
  return client.call(
    {
      ...options,
      infno: '3202',
      input: {
        data: {
          setl_optins: input.setl_optins,
          file_qury_no: orEmpty(input.file_qury_no),
          stmt_begndate: input.stmt_begndate,
          stmt_enddate: input.stmt_enddate,
          medfee_sumamt: fenToYuan(input.medfee_sumamt),
          fund_pay_sumamt: fenToYuan(input.fund_pay_sumamt),
          cash_payamt: fenToYuan(input.cash_payamt),
          fixmedins_setl_cnt: String(input.fixmedins_setl_cnt),
          ...(input.detail !== undefined
            ? {
                detail: input.detail.map((r) => ({
                  setl_id: r.setl_id,
                  mdtrt_id: orEmpty(r.mdtrt_id),
                  psn_no: orEmpty(r.psn_no),
                  medfee_sumamt: fenToYuan(r.medfee_sumamt),
                  fund_pay_sumamt: fenToYuan(r.fund_pay_sumamt),
                  acct_pay: fenToYuan(r.acct_pay),
                  refd_setl_flag: orEmpty(r.refd_setl_flag),
                })),
              }
            : {}),
        },
      },
    },
    DetailReconciliationOutput,
  );
}

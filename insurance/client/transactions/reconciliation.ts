import { z } from 'zod';
import { fenToYuan, type Fen } from '../money.ts';
import type { CallOptions, PlatformClient, PlatformReply } from '../platform-client.ts';
import { code, optText, orEmpty } from '../wire.ts';

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
}

export const DetailReconciliationOutput = z.object({
  fileinfo: z.object({ file_qury_no: optText, filename: optText, dld_endtime: optText }),
});
export type DetailReconciliation = z.output<typeof DetailReconciliationOutput>;

/** 3202: detail reconciliation; the platform answers with a result file to fetch with 9102. */
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
        },
      },
    },
    DetailReconciliationOutput,
  );
}

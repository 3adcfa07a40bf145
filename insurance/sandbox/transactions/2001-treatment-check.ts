import { z } from 'zod';
import { labelOf } from '../../codes/code-table.ts';
import { FUND_PAY_TYPE } from '../../codes/fund-pay-type.ts';
import { INSUTYPE } from '../../codes/insutype.ts';
import { PSN_INSU_STAS, PSN_INSU_STAS_ACTIVE } from '../../codes/psn-insu-stas.ts';
import { inWaitingPeriod } from '../policy/direct-settlement.ts';
import type { TransactionDef } from '../platform/context.ts';
import { optionalText, parseNode, requiredText } from '../platform/input.ts';
import { knownPerson } from '../platform/person-facts.ts';

const Data = z.object({
  psn_no: requiredText,
  insutype: requiredText,
  fixmedins_code: optionalText,
  med_type: requiredText,
  begntime: optionalText,
  endtime: optionalText,
});

/**
 * 2001 人员待遇享受检查: one trtinfo row for the pooled fund of the insutype; trt_enjymnt_flag 0 with the
 * reason when the row is not 正常参保 or the day (begntime's, else today) falls in a waiting period.
 */
export const treatmentCheck2001: TransactionDef = {
  infno: '2001',
  name: '人员待遇享受检查',
  mutating: false,
  needsSignIn: true,
  run(ctx) {
    const d = parseNode(Data, ctx.input.data, 'data');
    const pn = knownPerson(ctx.world, ctx.state, d.psn_no);
    const day = d.begntime ? d.begntime.slice(0, 10) : ctx.today;
    const row = pn.insurances.find((r) => r.insutype === d.insutype);
    const fundPayType = d.insutype === '390' ? '390100' : `${d.insutype}100`;
    let reason = '';
    if (!row) reason = `无${labelOf(INSUTYPE, d.insutype)}参保记录`;
    else if (row.psnInsuStas !== PSN_INSU_STAS_ACTIVE) reason = `${PSN_INSU_STAS[row.psnInsuStas] ?? '非正常参保'}，不享受待遇`;
    else if (inWaitingPeriod(row.waitingPeriod, day)) reason = `待遇等待期（${row.waitingPeriod!.begndate}至${row.waitingPeriod!.enddate}），不享受待遇`;
    return {
      trtinfo: [
        {
          fund_pay_type: fundPayType,
          fund_pay_type_name: FUND_PAY_TYPE[fundPayType] ?? '',
          trt_enjymnt_flag: reason ? '0' : '1',
          begndate: row?.waitingPeriod && reason ? row.waitingPeriod.begndate : (row?.psnInsuDate ?? null),
          enddate: row?.waitingPeriod && reason ? row.waitingPeriod.enddate : null,
          trt_chk_rslt: reason,
        },
      ],
    };
  },
};

import type { SettlementRow } from '../state/settlements.ts';
import type { TxnContext } from './context.ts';
import { refuse } from './refusal.ts';

/** 清算类别 of every settlement the sandbox makes: 21 住院. */
export const CLR_TYPE_INPATIENT = '21';

/**
 * The platform's settlement and refund records of the requesting hospital for a period (settlement days in
 * China time), filtered like 3201/3202 ask. Records erased by 2601 are not there.
 */
export function reconciliationRecords(
  ctx: TxnContext,
  q: { from: string; to: string; insutype?: string; clrType?: string; setlOptins?: string },
): SettlementRow[] {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(q.from) || !/^\d{4}-\d{2}-\d{2}$/.test(q.to)) return refuse('对账起止日期应为yyyy-MM-dd');
  if (q.from > q.to) return refuse('对账开始日期晚于结束日期');
  if (q.clrType && q.clrType !== CLR_TYPE_INPATIENT) return [];
  return ctx.state.settlements
    .forReconciliation(ctx.hospital.code, q.from, q.to)
    .filter((r) => (!q.insutype || r.insutype === q.insutype) && (!q.setlOptins || r.insuplc_admdvs === q.setlOptins));
}

import { chinaDateTime } from '../../base/china-time.ts';
import type { Clock } from '../../base/clock.ts';
import type { DayEndQuery, DayEndReport } from '../../contract/dto/day-end.ts';
import { KioskError } from '../../contract/errors.ts';
import type { Store } from '../../db/store.ts';
import type { TerminalConfig } from '../config/schema.ts';
import type { Logger } from '../logging/logger.ts';
import { checkAuditChain } from '../security/audit-head.ts';
import { aggregateDayEnd, chinaDayRange } from './day-end-figures.ts';
import { readDayEndFacts } from './day-end-facts.ts';

export interface DayEndDeps {
  store: Store;
  config: Pick<TerminalConfig, 'audit' | 'terminal' | 'hospital'>;
  clock: Clock;
  log: Logger;
}

/** A day-end covers at most a month: longer ranges are statements for the finance office, not a cashier's close. */
export const MAX_DAY_END_DAYS = 31;

/**
 * 收款员日结: THE function behind the counter's 日终 screen, the printed day-end report and `kiosk day-end`.
 * Each of them shows exactly what this returns, so screen, paper and CLI agree to the fen. The audit chain is
 * verified as for the 3201/3202 report and its head goes on the report (and to the hospital's syslog).
 */
export async function dayEndReport(deps: DayEndDeps, q: DayEndQuery): Promise<DayEndReport> {
  const to = q.to ?? q.from;
  if (to < q.from) throw new KioskError('INVALID_ARGUMENT', `结束日期 ${to} 早于开始日期 ${q.from}。`, ['请重新选择日期范围。']);
  const { fromMs, toMs } = chinaDayRange(q.from, to);
  if (toMs - fromMs > MAX_DAY_END_DAYS * 86_400_000) {
    throw new KioskError('INVALID_ARGUMENT', `日结范围最长 ${MAX_DAY_END_DAYS} 天。`, ['更长期间的汇总请由财务科在 HIS 中统计。']);
  }
  const opterNo = q.opterNo ?? null;
  const facts = readDayEndFacts(deps.store, fromMs, toMs);
  const figures = aggregateDayEnd(facts, { fromMs, toMs, opterNo });
  const auditChain = await checkAuditChain({ store: deps.store, config: deps.config, log: deps.log.child('day-end'), now: deps.clock.now() }, 'day-end');
  return { from: q.from, to, opterNo, generatedAt: chinaDateTime(deps.clock.now()), ...figures, auditChain };
}

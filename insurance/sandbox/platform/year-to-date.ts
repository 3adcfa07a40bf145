import type { TxnContext } from './context.ts';
import type { PersonNow } from './person-facts.ts';

export interface YearToDateTotals {
  hifpFen: number;
  inscpBurdenFen: number;
  admissions: number;
}

/**
 * A person's totals for a calendar year (settlement-rules §6): the fixtures' figures for that year plus every
 * valid settlement of that year made here; refunded (2305) and reversed (2601) settlements do not count.
 * `exceptMdtrtId` leaves out the visit being settled.
 */
export function yearToDate(ctx: TxnContext, pn: PersonNow, insutype: string, year: number, exceptMdtrtId: string | null): YearToDateTotals {
  const f = pn.person.yearToDate.find((y) => y.year === year && y.insutype === insutype);
  const s = ctx.state.settlements.yearTotals(pn.person.psnNo, insutype, year, exceptMdtrtId ?? '');
  return {
    hifpFen: (f?.hifpPaidFen ?? 0) + s.hifpFen,
    inscpBurdenFen: (f?.inscpBurdenFen ?? 0) + s.inscpBurdenFen,
    admissions: (f?.settledAdmissions ?? 0) + s.admissions,
  };
}

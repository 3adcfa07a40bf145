import type { Fen } from './money.ts';
import type { LineSplit } from './fee-line.ts';

/** The totals of a bill (2303/2304 input side of settlement-rules §4). */
export interface BillTotals {
  medfeeSumamtFen: Fen;
  fulamtOwnpayFen: Fen;
  overlmtSelfpayFen: Fen;
  preselfpayFen: Fen;
  inscpFen: Fen;
}

/** Sums the accepted lines of a visit. medfee is the sum of line amounts, so the §4 line invariant holds. */
export function sumBill(
  lines: readonly { amountFen: Fen; split: Pick<LineSplit, 'fulamtOwnpayFen' | 'overlmtSelfpayFen' | 'preselfpayFen' | 'inscpFen'> }[],
): BillTotals {
  const t: BillTotals = { medfeeSumamtFen: 0, fulamtOwnpayFen: 0, overlmtSelfpayFen: 0, preselfpayFen: 0, inscpFen: 0 };
  for (const l of lines) {
    t.medfeeSumamtFen += l.amountFen;
    t.fulamtOwnpayFen += l.split.fulamtOwnpayFen;
    t.overlmtSelfpayFen += l.split.overlmtSelfpayFen;
    t.preselfpayFen += l.split.preselfpayFen;
    t.inscpFen += l.split.inscpFen;
  }
  return t;
}

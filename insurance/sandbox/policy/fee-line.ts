import { CHRGITM_LV_A, CHRGITM_LV_C } from '../../codes/chrgitm-lv.ts';
import { applyRate, priceTimesCountFen, type Fen } from './money.ts';

/** A catalogue entry of the treatment place (settlement-rules §4). */
export interface CatalogueEntry {
  medListCodg: string;
  name: string;
  medChrgitmType: string;
  /** 01 甲类, 02 乙类, 03 丙类. */
  chrgitmLv: string;
  /** 定价上限 per unit in yuan scaled by 10^6; null = no ceiling. */
  pricUplmtE6: bigint | null;
  /** The entry's own 自付比例 (10^4-scaled); null = the default proportion of its level. */
  selfpayPropE4: number | null;
}

export interface FeeLineAmounts {
  /** det_item_fee_sumamt in fen. */
  amountFen: Fen;
  /** pric in yuan scaled by 10^6. */
  pricE6: bigint;
  /** cnt scaled by 10^4 (negative for a refund line). */
  cntE4: bigint;
}

/** round(pric × cnt) of a line, in fen. */
export function expectedLineFen(l: FeeLineAmounts): Fen {
  return priceTimesCountFen(l.pricE6, l.cntE4);
}

/** settlement-rules §4: a line more than 1 fen off round(pric × cnt) is rejected. */
export function lineAmountAcceptable(l: FeeLineAmounts): boolean {
  return Math.abs(expectedLineFen(l) - l.amountFen) <= 1;
}

export interface LineSplit {
  fulamtOwnpayFen: Fen;
  overlmtSelfpayFen: Fen;
  preselfpayFen: Fen;
  inscpFen: Fen;
  /** The proportion applied (0 for 甲类, 10^4 for wholly self-paid lines). */
  selfpayPropE4: number;
  /** round(pric_uplmt × cnt) when the entry has a ceiling, else null. */
  ceilingFen: Fen | null;
  /** null = not in the catalogue. */
  chrgitmLv: string | null;
}

/**
 * Splits one accepted line (settlement-rules §4). Not in the catalogue or 丙类 → wholly self-paid; else the
 * part over the ceiling is 超限价自费, then 先行自付 = round(base × proportion) (乙类: the entry's or the default
 * of its level; 甲类: 0), and the rest is 符合政策范围. A refund line (negative cnt) is the exact negative of
 * the split of its magnitude. Pure.
 */
export function splitFeeLine(l: FeeLineAmounts, entry: CatalogueEntry | undefined, defaultSelfpayPropE4: Record<string, number>): LineSplit {
  if (l.amountFen < 0 || l.cntE4 < 0n) {
    const s = splitFeeLine({ amountFen: -l.amountFen, pricE6: l.pricE6, cntE4: -l.cntE4 }, entry, defaultSelfpayPropE4);
    return {
      ...s,
      // 0 − x, not −x: no negative zeros in sums and JSON
      fulamtOwnpayFen: 0 - s.fulamtOwnpayFen,
      overlmtSelfpayFen: 0 - s.overlmtSelfpayFen,
      preselfpayFen: 0 - s.preselfpayFen,
      inscpFen: 0 - s.inscpFen,
      ceilingFen: s.ceilingFen === null ? null : 0 - s.ceilingFen,
    };
  }
  const a = l.amountFen;
  if (!entry || entry.chrgitmLv === CHRGITM_LV_C) {
    return {
      fulamtOwnpayFen: a,
      overlmtSelfpayFen: 0,
      preselfpayFen: 0,
      inscpFen: 0,
      selfpayPropE4: 10_000,
      ceilingFen: null,
      chrgitmLv: entry ? entry.chrgitmLv : null,
    };
  }
  const ceilingFen = entry.pricUplmtE6 === null ? null : priceTimesCountFen(entry.pricUplmtE6, l.cntE4);
  const over = ceilingFen === null ? 0 : Math.max(0, a - ceilingFen);
  const base = a - over;
  const prop = entry.chrgitmLv === CHRGITM_LV_A ? 0 : (entry.selfpayPropE4 ?? defaultSelfpayPropE4[entry.chrgitmLv] ?? 0);
  const pre = applyRate(base, prop);
  return {
    fulamtOwnpayFen: 0,
    overlmtSelfpayFen: over,
    preselfpayFen: pre,
    inscpFen: base - pre,
    selfpayPropE4: prop,
    ceilingFen,
    chrgitmLv: entry.chrgitmLv,
  };
}

import { labelOf } from '../../insurance/codes/code-table.ts';
import { MED_CHRGITM_TYPE } from '../../insurance/codes/med-chrgitm-type.ts';
import type { FeeLineRecord } from '../../db/repositories/fee-lines.ts';
import type { ChargesSummary, FeeLine } from '../../contract/dto/charges.ts';

/** Lines that are part of the bill: waiting to be uploaded, or accepted by the platform. */
export function countsInBill(state: FeeLineRecord['state']): boolean {
  return state === 'local' || state === 'uploaded';
}

/**
 * Running totals by 医疗收费项目类别 (01 床位费 … 14 其他费), in the code order the 费用清单 prints them.
 * Refused and cancelled lines are listed but not counted. A 退单 line (negative cnt) counts negative.
 */
export function totalsByCategory(lines: readonly FeeLineRecord[]): { byCategory: ChargesSummary['byCategory']; totalFen: number } {
  const sums = new Map<string, number>();
  let total = 0;
  for (const l of lines) {
    if (!countsInBill(l.state)) continue;
    sums.set(l.chrgitmType, (sums.get(l.chrgitmType) ?? 0) + l.detItemFeeSumamtFen);
    total += l.detItemFeeSumamtFen;
  }
  const byCategory = [...sums.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([chrgitmType, amountFen]) => ({ chrgitmType, label: labelOf(MED_CHRGITM_TYPE, chrgitmType), amountFen }));
  return { byCategory, totalFen: total };
}

export function toFeeLineView(l: FeeLineRecord): FeeLine {
  return {
    feedetlSn: l.feedetlSn,
    medListCodg: l.medListCodg,
    name: l.name,
    chrgitmType: l.chrgitmType,
    chrgitmLabel: labelOf(MED_CHRGITM_TYPE, l.chrgitmType),
    level: l.chrgitmLv,
    cnt: Number(l.cnt),
    pricFen: l.pricFen,
    amountFen: l.detItemFeeSumamtFen,
    feeOcurTime: l.feeOcurTime,
    state: l.state,
    refusal: l.refusal,
  };
}

export function summarise(admissionId: string, lines: readonly FeeLineRecord[]): ChargesSummary {
  const { byCategory, totalFen } = totalsByCategory(lines);
  return { admissionId, lines: lines.map(toFeeLineView), byCategory, totalFen };
}

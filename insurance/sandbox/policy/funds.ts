import { INSUTYPE_EMPLOYEE, INSUTYPE_RESIDENT } from '../../codes/insutype.ts';
import { applyRate, RATE_SCALE, type Fen } from './money.ts';
import type { BillTotals } from './bill.ts';
import type { InsutypeRules } from './parameters.ts';
import type { HospitalLevel } from './types.ts';

export interface FundsInput {
  bill: BillTotals;
  /** Parameters of the insured place for the chosen insutype. */
  rules: InsutypeRules;
  insutype: string;
  level: HospitalLevel;
  retired: boolean;
  /** ratio reduction of the visit's case (10^4-scaled). */
  reductionE4: number;
  /** Settled admissions of the settlement year before this one (0 = this is the year's 1st). */
  earlierAdmissions: number;
  /** hifp paid earlier this year. */
  hifpEarlierFen: Fen;
  /** In-scope personal burden (inscp − hifp_pay) earlier this year: C of §4.4. */
  inscpBurdenEarlierFen: Fen;
  /** assistance.ratio when the person has an identity of assistance.identities, else null. */
  assistanceRatioE4: number | null;
  /** acct_used_flag = "1" on the request. */
  acctUsed: boolean;
  /** Personal account balance (balc) before this settlement. */
  balcFen: Fen;
}

export interface FundsSplit {
  /** D of §4.1. */
  deductibleFen: Fen;
  /** m of §4.1, 10^4-scaled. */
  repeatFactorE4: number;
  actPayDedcFen: Fen;
  /** r of §4.2 after clamping, 10^4-scaled. */
  ratioE4: number;
  hifpPayFen: Fen;
  hifmiPayFen: Fen;
  mafPayFen: Fen;
  fundPaySumamtFen: Fen;
  psnPartAmtFen: Fen;
  acctPayFen: Fen;
  psnCashPayFen: Fen;
  balcAfterFen: Fen;
}

/** m of §4.1: the element of repeatAdmission for this admission, the last one beyond the array, 1 without. */
export function repeatFactorE4(rules: InsutypeRules, earlierAdmissions: number): number {
  const arr = rules.repeatAdmissionE4;
  if (!arr || arr.length === 0) return RATE_SCALE;
  return arr[Math.min(earlierAdmissions, arr.length - 1)] ?? RATE_SCALE;
}

/** The funds of settlement-rules §4 steps 1–8. Pure. */
export function computeFunds(i: FundsInput): FundsSplit {
  const { bill, rules, level } = i;
  const inscp = bill.inscpFen;

  // 1. deductible
  const m = repeatFactorE4(rules, i.earlierAdmissions);
  const deductibleBase = i.retired && rules.deductibleRetiredFen ? rules.deductibleRetiredFen[level] : rules.deductibleFen[level];
  const deductibleFen = applyRate(deductibleBase, m);
  const actPayDedcFen = Math.min(inscp, deductibleFen);

  // 2. ratio, clamped to [0, 1]
  const rawRatio = rules.ratioE4[level] + (i.retired ? rules.retiredBonusE4 : 0) - i.reductionE4;
  const ratioE4 = Math.min(RATE_SCALE, Math.max(0, rawRatio));

  // 3. pooled fund, within what the annual cap leaves (never below 0 when earlier payments reached the cap)
  const capLeft = Math.max(0, rules.annualCapFen - i.hifpEarlierFen);
  const hifpPayFen = Math.min(applyRate(inscp - actPayDedcFen, ratioE4), capLeft);

  // 4. residents' serious-illness insurance
  let hifmiPayFen = 0;
  if (i.insutype === INSUTYPE_RESIDENT && rules.seriousIllness) {
    const B = inscp - hifpPayFen;
    const C = i.inscpBurdenEarlierFen;
    const T = rules.seriousIllness.thresholdFen;
    hifmiPayFen = applyRate(Math.max(0, C + B - Math.max(T, C)), rules.seriousIllness.ratioE4);
  }

  // 5. medical assistance
  const mafPayFen = i.assistanceRatioE4 === null ? 0 : applyRate(inscp - hifpPayFen - hifmiPayFen, i.assistanceRatioE4);

  // 6.
  const fundPaySumamtFen = hifpPayFen + hifmiPayFen + mafPayFen;
  const psnPartAmtFen = bill.medfeeSumamtFen - fundPaySumamtFen;

  // 7. personal account: employees, flag set, usable at the insured place
  const accountApplies = i.insutype === INSUTYPE_EMPLOYEE && i.acctUsed && rules.accountUsable;
  const acctPayFen = accountApplies ? Math.max(0, Math.min(i.balcFen, psnPartAmtFen)) : 0;
  const psnCashPayFen = psnPartAmtFen - acctPayFen;

  return {
    deductibleFen,
    repeatFactorE4: m,
    actPayDedcFen,
    ratioE4,
    hifpPayFen,
    hifmiPayFen,
    mafPayFen,
    fundPaySumamtFen,
    psnPartAmtFen,
    acctPayFen,
    psnCashPayFen,
    balcAfterFen: i.balcFen - acctPayFen,
  };
}

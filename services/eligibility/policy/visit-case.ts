import { FILING_KIND_OF_DCLA_TYPE } from '../../../insurance/codes/dcla-type.ts';
import { INSUTYPE_EMPLOYEE } from '../../../insurance/codes/insutype.ts';
import type { Day, EligibilityFacts, FilingFact, RegistrationFact } from './facts.ts';
import type { EligibilityParameters, VisitCase, VisitScope } from './parameters.ts';
import { filingCovers, groupOf, samePoolingArea, scopeBetween } from './places.ts';

/** settlement-rules §1.2: the order of the non-local candidates; a tie of reductions goes to the earlier. */
export const CANDIDATE_ORDER: readonly VisitCase[] = ['emergency', 'filed-long-term', 'filed-referral', 'filed-temporary'];

export interface CaseOutcome {
  scope: VisitScope;
  visitCase: VisitCase;
  /** reductions[scope][case], or null when the parameters give none (cross-province unfiled). */
  reduction: number | null;
  /** The registration that made the visit local. */
  registration: RegistrationFact | null;
  /** The filing behind a filed-* case. */
  filing: FilingFact | null;
  /** An active 大市一卡通 registration and an active filing at once (§3, §6): reported, never a refusal. */
  conflict: { registrations: RegistrationFact[]; filings: FilingFact[] } | null;
}

const within = (day: Day, begn: Day, end: Day | null) => begn <= day && (end === null || day <= end);

/**
 * A filing counts for this visit (§1, §6): valid, and either the admission date lies inside it (an admission
 * begun inside keeps it to discharge), or it was made after admission but on or before the decision day
 * (补办备案), whatever its begndate. One made after the decision day never counts.
 */
export function filingCounts(f: FilingFact, admissionDay: Day, decisionDay: Day): boolean {
  if (!f.valid) return false;
  if (f.createdDay > decisionDay) return false;
  if (within(admissionDay, f.begndate, f.enddate)) return true;
  return f.createdDay > admissionDay;
}

/** Active on a day: for the conflict report, a filing in force that day. */
export function filingActiveOn(f: FilingFact, day: Day): boolean {
  return f.valid && f.createdDay <= day && within(day, f.begndate, f.enddate);
}

/**
 * A registration is alive while valid and made with the person's current 省卡 (a reissued card voids it).
 * A card not known to be a 省卡 (typed, not read) does not make it alive: the platform would settle a
 * registration made with a 市民卡 in-province, with a reduction (settlement-rules §3).
 */
export function registrationAlive(r: RegistrationFact, facts: Pick<EligibilityFacts, 'currentCard'>, day: Day): boolean {
  const card = facts.currentCard;
  return r.valid && card !== null && card.provincial === true && card.cardSn === r.cardSn && within(day, r.begndate, r.enddate);
}

/**
 * A registration makes this visit local (§3, §6): alive, for employees (310) only, naming the person's
 * 参保地 and this hospital's area as its treatment area, both in one pooling group.
 */
export function registrationCovers(r: RegistrationFact, facts: EligibilityFacts, insuplc: string): boolean {
  if (facts.insutype !== INSUTYPE_EMPLOYEE) return false;
  if (!registrationAlive(r, facts, facts.decisionDay)) return false;
  if (r.insuAdmdvs !== insuplc || r.trtAdmdvs !== facts.hospital.admdvs) return false;
  return true;
}

/** The case and scope of a visit (settlement-rules §1, §3, §6). Pure; `insuplc` is the 1101 insuplc_admdvs. */
export function decideCase(p: EligibilityParameters, facts: EligibilityFacts, insuplc: string): CaseOutcome {
  const hospital = facts.hospital.admdvs;
  const conflict = conflictOf(facts);

  // 1. local: same pooling area, or a valid registration covering both areas. Nothing else is considered.
  if (samePoolingArea(insuplc, hospital, p.poolingGroups)) {
    return { scope: 'local', visitCase: 'local', reduction: p.reductions.local.local ?? null, registration: null, filing: null, conflict };
  }
  if (groupOf(insuplc, hospital, p.poolingGroups)) {
    const registration = facts.registrations.find((r) => registrationCovers(r, facts, insuplc)) ?? null;
    if (registration) {
      return { scope: 'local', visitCase: 'local', reduction: p.reductions.local.local ?? null, registration, filing: null, conflict };
    }
  }

  // 2. Candidates; the smallest reduction for the scope wins, ties to the earlier in CANDIDATE_ORDER.
  const scope = scopeBetween(insuplc, hospital);
  const table = p.reductions[scope];
  const candidates: { visitCase: VisitCase; filing: FilingFact | null }[] = [];
  if (facts.emergency) candidates.push({ visitCase: 'emergency', filing: null });
  for (const f of facts.filings) {
    const kind = FILING_KIND_OF_DCLA_TYPE[f.dclaType];
    if (!kind || !filingCovers(f.targetAdmdvs, hospital) || !filingCounts(f, facts.admissionDay, facts.decisionDay)) continue;
    candidates.push({ visitCase: kind, filing: f });
  }
  let best: { visitCase: VisitCase; filing: FilingFact | null; reduction: number } | null = null;
  for (const c of candidates) {
    const reduction = table[c.visitCase];
    if (reduction === undefined) continue; // the parameters give this case no way to settle in this scope
    const rank = CANDIDATE_ORDER.indexOf(c.visitCase);
    if (best === null || reduction < best.reduction || (reduction === best.reduction && rank < CANDIDATE_ORDER.indexOf(best.visitCase))) {
      best = { ...c, reduction };
    }
  }
  if (best) return { scope, visitCase: best.visitCase, reduction: best.reduction, registration: null, filing: best.filing, conflict };

  // 3. No candidate.
  return { scope, visitCase: 'unfiled', reduction: table.unfiled ?? null, registration: null, filing: null, conflict };
}

function conflictOf(facts: EligibilityFacts): CaseOutcome['conflict'] {
  const regs = facts.registrations.filter((r) => registrationAlive(r, facts, facts.decisionDay));
  const filings = facts.filings.filter((f) => filingActiveOn(f, facts.decisionDay));
  return regs.length > 0 && filings.length > 0 ? { registrations: regs, filings } : null;
}

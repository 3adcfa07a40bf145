import { FILING_KIND_OF_DCLA_TYPE } from '../../codes/dcla-type.ts';
import { filingActiveOn, filingCountsForSettlement, filingCoversHospital } from './filing.ts';
import { samePoolingAreaWithoutRegistration, scopeOf } from './pooling.ts';
import { registrationActive, registrationCoversVisit } from './registration.ts';
import type { PoolingGroup } from './parameters.ts';
import {
  CANDIDATE_ORDER,
  type CurrentCardFacts,
  type Day,
  type FilingFacts,
  type RegistrationFacts,
  type VisitCase,
  type VisitScope,
} from './types.ts';

export interface CaseInput {
  poolingGroups: readonly PoolingGroup[];
  reductionsE4: Record<VisitScope, Partial<Record<VisitCase, number>>>;
  insuplcAdmdvs: string;
  insutype: string;
  hospitalAdmdvs: string;
  currentCard: CurrentCardFacts | null;
  registrations: readonly RegistrationFacts[];
  filings: readonly FilingFacts[];
  /** med_type 24 急诊转住院 or the emergency flag of 2401. */
  emergency: boolean;
  admissionDay: Day;
  /** The day of the decision (the settlement day at 2303/2304). */
  settlementDay: Day;
}

export interface Conflict {
  code: 'dsyk-and-filing';
  text: string;
  registrationIds: string[];
  filingSns: string[];
}

export interface CaseDecision {
  scope: VisitScope;
  visitCase: VisitCase;
  /** The reduction of reductions[scope][case]; null when parameters give none (e.g. cross-province unfiled). */
  reductionE4: number | null;
  /** The registration that made the visit local, if any. */
  registrationId: string | null;
  /** The filing behind a filed-* case, if any. */
  filingSn: string | null;
  conflicts: Conflict[];
}

/** The case and scope of a visit (settlement-rules §1, §3, §6). Pure. */
export function decideCase(i: CaseInput): CaseDecision {
  const conflicts = dsykFilingConflicts(i);

  // 1. local: same pooling area, or a valid registration covering both areas. Nothing else is considered.
  const sameArea = samePoolingAreaWithoutRegistration(i.insuplcAdmdvs, i.hospitalAdmdvs, i.poolingGroups);
  const registration = sameArea
    ? undefined
    : i.registrations.find((r) =>
        registrationCoversVisit(r, {
          insuplcAdmdvs: i.insuplcAdmdvs,
          hospitalAdmdvs: i.hospitalAdmdvs,
          insutype: i.insutype,
          currentCard: i.currentCard,
          day: i.settlementDay,
          groups: i.poolingGroups,
        }),
      );
  if (sameArea || registration) {
    return {
      scope: 'local',
      visitCase: 'local',
      reductionE4: i.reductionsE4.local.local ?? null,
      registrationId: registration?.id ?? null,
      filingSn: null,
      conflicts,
    };
  }

  // 2. candidates; the smallest reduction wins, ties to the earlier in CANDIDATE_ORDER.
  const scope = scopeOf(i.insuplcAdmdvs, i.hospitalAdmdvs, false);
  const reductions = i.reductionsE4[scope];
  const candidates: { visitCase: VisitCase; filingSn: string | null }[] = [];
  if (i.emergency) candidates.push({ visitCase: 'emergency', filingSn: null });
  for (const f of i.filings) {
    const kind = FILING_KIND_OF_DCLA_TYPE[f.dclaType];
    if (!kind) continue;
    if (!filingCoversHospital(f.targetAdmdvs, i.hospitalAdmdvs)) continue;
    if (!filingCountsForSettlement(f, i.admissionDay, i.settlementDay)) continue;
    candidates.push({ visitCase: kind, filingSn: f.sn });
  }
  let best: { visitCase: VisitCase; filingSn: string | null; reductionE4: number } | null = null;
  for (const c of candidates) {
    const r = reductions[c.visitCase];
    // A case the parameters give no reduction for is not a way to settle in this scope.
    if (r === undefined) continue;
    const better =
      best === null ||
      r < best.reductionE4 ||
      (r === best.reductionE4 && CANDIDATE_ORDER.indexOf(c.visitCase) < CANDIDATE_ORDER.indexOf(best.visitCase));
    if (better) best = { ...c, reductionE4: r };
  }
  if (best) {
    return { scope, visitCase: best.visitCase, reductionE4: best.reductionE4, registrationId: null, filingSn: best.filingSn, conflicts };
  }

  // 3. no candidate.
  return { scope, visitCase: 'unfiled', reductionE4: reductions.unfiled ?? null, registrationId: null, filingSn: null, conflicts };
}

/** An active registration and an active filing at once: reported, never a refusal (settlement-rules §6). */
function dsykFilingConflicts(i: CaseInput): Conflict[] {
  const regs = i.registrations.filter((r) => registrationActive(r, i.currentCard));
  const filings = i.filings.filter((f) => filingActiveOn(f, i.settlementDay));
  if (regs.length === 0 || filings.length === 0) return [];
  return [
    {
      code: 'dsyk-and-filing',
      text: '参保人同时存在有效的大市一卡通登记和异地就医备案，请核实并撤销其一',
      registrationIds: regs.map((r) => r.id),
      filingSns: filings.map((f) => f.sn),
    },
  ];
}

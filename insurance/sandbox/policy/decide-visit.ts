import type { DirectSettlementRefusal } from '../../codes/direct-settlement-refusal.ts';
import { directSettlementRefusals, type CardFacts } from './direct-settlement.ts';
import { decideCase, type CaseDecision, type CaseInput } from './visit-case.ts';
import type { Day, HospitalFacts } from './types.ts';

export interface VisitInput extends Omit<CaseInput, 'hospitalAdmdvs'> {
  hospital: HospitalFacts;
  card: CardFacts | null;
  insurance: { psnInsuStas: string; waitingPeriod: { begndate: Day; enddate: Day } | null } | null;
  inProvinceUnfiledDirect: boolean;
  openAdmissionElsewhere: boolean;
}

export interface VisitDecision extends CaseDecision {
  /** Empty = direct settlement possible. */
  refusals: DirectSettlementRefusal[];
}

/**
 * The whole decision of settlement-rules §1–3 for one visit: case, scope, and whether it can be settled
 * directly. A refused visit has no reduction (§6). Pure.
 */
export function decideVisit(i: VisitInput): VisitDecision {
  const c = decideCase({ ...i, hospitalAdmdvs: i.hospital.admdvs });
  const refusals = directSettlementRefusals({
    card: i.card,
    day: i.settlementDay,
    insurance: i.insurance,
    benefitDay: i.admissionDay,
    scope: c.scope,
    visitCase: c.visitCase,
    hospital: i.hospital,
    inProvinceUnfiledDirect: i.inProvinceUnfiledDirect,
    openAdmissionElsewhere: i.openAdmissionElsewhere,
  });
  // A case without a reduction in the parameters cannot be settled directly either; §2 names it already
  // for cross-province unfiled, the only such case of parameters.json.
  return { ...c, reductionE4: refusals.length > 0 ? null : c.reductionE4, refusals };
}

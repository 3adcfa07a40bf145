import { DIRECT_SETTLEMENT_REFUSAL, DIRECT_SETTLEMENT_REFUSED_PREFIX, type DirectSettlementRefusal } from '../../codes/direct-settlement-refusal.ts';
import { INSUTYPE } from '../../codes/insutype.ts';
import { labelOf } from '../../codes/code-table.ts';
import { decideVisit, type VisitDecision } from '../policy/decide-visit.ts';
import type { RegionRules } from '../policy/parameters.ts';
import type { Card, InsuranceRow } from '../world/world.ts';
import type { TxnContext } from './context.ts';
import { filingFacts, openAdmissions, registrationFacts, type PersonNow } from './person-facts.ts';
import { refuse } from './refusal.ts';

export interface VisitFacts {
  decision: VisitDecision;
  region: RegionRules;
  insurance: InsuranceRow | undefined;
  insuplcAdmdvs: string;
}

/**
 * Gathers what the policy needs about one visit at the hospital of the request and decides it
 * (settlement-rules §1–3). Impure glue: reads state; the decision itself is policy/decide-visit.ts.
 */
export function decideForVisit(
  ctx: TxnContext,
  v: { pn: PersonNow; insutype: string; card: Card | null; admissionDay: string; emergency: boolean; mdtrtId?: string },
): VisitFacts {
  const insurance = v.pn.insurances.find((r) => r.insutype === v.insutype);
  const insuplcAdmdvs = insurance?.insuplcAdmdvs ?? v.pn.person.insuredArea;
  const region = ctx.world.parameters.regions[insuplcAdmdvs];
  if (!region) return refuse(`参保地${insuplcAdmdvs}的待遇参数未配置`);
  const elsewhere = openAdmissions(ctx.world, ctx.state, v.pn.person.psnNo).some(
    (a) => a.fixmedinsCode !== ctx.hospital.code && a.mdtrtId !== v.mdtrtId,
  );
  const decision = decideVisit({
    poolingGroups: ctx.world.parameters.poolingGroups,
    reductionsE4: ctx.world.parameters.reductionsE4,
    insuplcAdmdvs,
    insutype: v.insutype,
    hospital: ctx.hospital,
    currentCard: v.pn.currentCard ? { cardSn: v.pn.currentCard.cardSn, provincial: v.pn.currentCard.provincial } : null,
    registrations: v.pn.registrations.map(registrationFacts),
    filings: v.pn.filings.map(filingFacts),
    emergency: v.emergency,
    admissionDay: v.admissionDay,
    settlementDay: ctx.today,
    card: v.card ? { status: v.card.status, current: v.card.current, expiryDate: v.card.expiryDate } : null,
    insurance: insurance ? { psnInsuStas: insurance.psnInsuStas, waitingPeriod: insurance.waitingPeriod } : null,
    inProvinceUnfiledDirect: region.inProvinceUnfiledDirect,
    openAdmissionElsewhere: elsewhere,
  });
  return { decision, region, insurance, insuplcAdmdvs };
}

/** The err_msg of a refused direct settlement: the prefix, then every reason of §2 in Chinese. */
export function refusalMessage(refusals: readonly DirectSettlementRefusal[]): string {
  return `${DIRECT_SETTLEMENT_REFUSED_PREFIX}${refusals.map((r) => DIRECT_SETTLEMENT_REFUSAL[r]).join('；')}。请按自费结算，出院后持票据等材料到参保地医保经办机构申请零星报销`;
}

/** Refuses when the person has no insurance row of that insutype. */
export function insuranceRowOf(pn: PersonNow, insutype: string): InsuranceRow {
  const row = pn.insurances.find((r) => r.insutype === insutype);
  if (!row) return refuse(`参保人无${labelOf(INSUTYPE, insutype)}（${insutype}）参保记录`);
  return row;
}

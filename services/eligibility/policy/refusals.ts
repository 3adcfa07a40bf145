import { CARD_STAS_EXPIRED, CARD_STAS_NORMAL } from '../../../insurance/codes/card-status.ts';
import type { DirectSettlementRefusal } from '../../../insurance/codes/direct-settlement-refusal.ts';
import { MDTRT_CERT_TYPE_SSCARD } from '../../../insurance/codes/mdtrt-cert-type.ts';
import { PSN_INSU_STAS_ACTIVE } from '../../../insurance/codes/psn-insu-stas.ts';
import type { EligibilityFacts } from './facts.ts';
import type { EligibilityParameters } from './parameters.ts';
import type { CaseOutcome } from './visit-case.ts';

/**
 * A reason direct settlement is refused: the shared codes of insurance/codes, plus one of the terminal's own
 * for a card_stas code it does not know (still not normal, so still refused, but not misnamed).
 */
export type RefusalCode = DirectSettlementRefusal | 'card-status-abnormal';

/** card_stas → the refusal it gives (settlement-rules §2: a card whose status is not normal). */
const REFUSAL_OF_CARD_STAS: Readonly<Record<string, DirectSettlementRefusal>> = {
  '2': 'card-not-activated',
  '3': 'card-temp-lost',
  '4': 'card-lost',
  '5': 'card-cancelled',
  '6': 'card-replaced',
  '7': 'card-expired',
};

/**
 * Every reason of settlement-rules §2 that applies, in the rulebook's order. Empty = direct settlement.
 * All are collected, not just the first, so the screen can say everything the patient must sort out.
 */
export function refusalsOf(p: EligibilityParameters, facts: EligibilityFacts, insuplc: string, c: CaseOutcome): RefusalCode[] {
  const out: RefusalCode[] = [];
  const add = (r: RefusalCode) => {
    if (!out.includes(r)) out.push(r);
  };

  // A card whose status is not normal, or past its 有效期 (the 有效期 day itself is valid). Cards only (§6).
  if (facts.certType === MDTRT_CERT_TYPE_SSCARD && facts.card) {
    const stas = facts.card.stas;
    if (stas !== null && stas !== CARD_STAS_NORMAL) {
      add(REFUSAL_OF_CARD_STAS[stas] ?? 'card-status-abnormal');
    }
    if (facts.card.expiryDate !== null && facts.card.expiryDate < facts.decisionDay && stas !== CARD_STAS_EXPIRED) add('card-expired');
  }

  // No active insurance row for the chosen insutype, or a waiting period.
  if (facts.insurance === null || facts.insurance.psnInsuStas !== PSN_INSU_STAS_ACTIVE) add('no-active-insurance');
  if (facts.waitingPeriod) add('waiting-period');

  // The hospital's networking for the scope.
  if (c.scope === 'cross-province' && !facts.hospital.networkedCrossProvince) add('not-networked-cross-province');
  if (c.scope === 'in-province' && !facts.hospital.networkedInProvince) add('not-networked-in-province');

  // Unfiled.
  if (c.scope === 'cross-province' && c.visitCase === 'unfiled') add('cross-province-unfiled');
  if (c.scope === 'in-province' && c.visitCase === 'unfiled' && !(p.regions[insuplc]?.inProvinceUnfiledDirect ?? false)) {
    add('in-province-unfiled-not-direct');
  }

  // An open admission at another hospital (5303).
  if (facts.openAdmissionsElsewhere.length > 0) add('open-admission-elsewhere');
  return out;
}

import type { CardStatus } from '../../codes/card-status.ts';
import type { DirectSettlementRefusal } from '../../codes/direct-settlement-refusal.ts';
import { PSN_INSU_STAS_ACTIVE } from '../../codes/psn-insu-stas.ts';
import type { Day, HospitalFacts, VisitCase, VisitScope } from './types.ts';

export interface CardFacts {
  status: CardStatus;
  /** The person's current card; false = replaced by a newer card. */
  current: boolean;
  /** 有效期: the last valid day. */
  expiryDate: Day;
}

export interface DirectSettlementInput {
  /** The credential's card; null when the credential is not a card (card checks then do not apply). */
  card: CardFacts | null;
  /** The day of the check. */
  day: Day;
  /** The insurance row of the chosen insutype; null when the person has none. */
  insurance: { psnInsuStas: string; waitingPeriod: { begndate: Day; enddate: Day } | null } | null;
  /** The day benefits are judged on for the waiting period (the admission day of a visit). */
  benefitDay: Day;
  scope: VisitScope;
  visitCase: VisitCase;
  hospital: HospitalFacts;
  /** parameters.json → regions[参保地].inProvinceUnfiledDirect (absent = false). */
  inProvinceUnfiledDirect: boolean;
  /** 5303: an open admission at another hospital. */
  openAdmissionElsewhere: boolean;
}

const CARD_STATUS_REFUSAL: Record<Exclude<CardStatus, 'normal'>, DirectSettlementRefusal> = {
  'not-activated': 'card-not-activated',
  'temp-lost': 'card-temp-lost',
  lost: 'card-lost',
  cancelled: 'card-cancelled',
  replaced: 'card-replaced',
};

/**
 * Every reason of settlement-rules §2 that refuses direct settlement of this visit, in the order of §2.
 * Empty = the visit can be settled directly. Pure.
 */
export function directSettlementRefusals(i: DirectSettlementInput): DirectSettlementRefusal[] {
  const out: DirectSettlementRefusal[] = [];
  if (i.card) {
    if (i.card.status !== 'normal') out.push(CARD_STATUS_REFUSAL[i.card.status]);
    else if (!i.card.current) out.push('card-replaced');
    // The 有效期 day itself is valid (settlement-rules §6).
    if (i.card.expiryDate < i.day) out.push('card-expired');
  }
  if (!i.insurance || i.insurance.psnInsuStas !== PSN_INSU_STAS_ACTIVE) out.push('no-active-insurance');
  else if (inWaitingPeriod(i.insurance.waitingPeriod, i.benefitDay)) out.push('waiting-period');
  if (i.scope === 'cross-province' && !i.hospital.networkedCrossProvince) out.push('not-networked-cross-province');
  if (i.scope === 'in-province' && !i.hospital.networkedInProvince) out.push('not-networked-in-province');
  if (i.scope === 'cross-province' && i.visitCase === 'unfiled') out.push('cross-province-unfiled');
  if (i.scope === 'in-province' && i.visitCase === 'unfiled' && !i.inProvinceUnfiledDirect) out.push('in-province-unfiled-not-direct');
  if (i.openAdmissionElsewhere) out.push('open-admission-elsewhere');
  return out;
}

export function inWaitingPeriod(w: { begndate: Day; enddate: Day } | null, day: Day): boolean {
  return w !== null && w.begndate <= day && day <= w.enddate;
}

/** Refusals that a filing made before discharge settlement can still cure (补办备案); 2401 lets them pass. */
export const CURABLE_BY_FILING: readonly DirectSettlementRefusal[] = ['cross-province-unfiled', 'in-province-unfiled-not-direct'];

import { INSUTYPE_EMPLOYEE } from '../../codes/insutype.ts';
import { groupContainingBoth } from './pooling.ts';
import type { PoolingGroup } from './parameters.ts';
import type { CurrentCardFacts, Day, RegistrationFacts } from './types.ts';

/**
 * 大市一卡通 registrations (settlement-rules §3, §6). A registration lives only while the card it was made
 * with is the person's current card and that card is a 省卡; a reissued or cancelled card voids it.
 */
export function registrationActive(r: RegistrationFacts, currentCard: CurrentCardFacts | null): boolean {
  return r.valid && currentCard !== null && currentCard.provincial && r.cardSn === currentCard.cardSn;
}

export interface RegistrationVisit {
  insuplcAdmdvs: string;
  hospitalAdmdvs: string;
  insutype: string;
  currentCard: CurrentCardFacts | null;
  /** The day of the decision; a registration counts from its begndate. */
  day: Day;
  groups: readonly PoolingGroup[];
}

/**
 * Whether a registration makes this visit `local`: active, for employees (310) only, begun, naming this
 * insured area and this hospital's area as its one chosen treatment area, both in one pooling group.
 */
export function registrationCoversVisit(r: RegistrationFacts, v: RegistrationVisit): boolean {
  return (
    registrationActive(r, v.currentCard) &&
    v.insutype === INSUTYPE_EMPLOYEE &&
    r.begndate <= v.day &&
    r.insuAdmdvs === v.insuplcAdmdvs &&
    r.trtAdmdvs === v.hospitalAdmdvs &&
    groupContainingBoth(r.insuAdmdvs, r.trtAdmdvs, v.groups) !== undefined
  );
}

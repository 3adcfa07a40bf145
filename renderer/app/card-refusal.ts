import type { EligibilityDecision } from '../../contract/dto/eligibility.ts';

/** Refusal reasons that are about the card itself (services/eligibility/policy/refusals.ts). */
const CARD_REFUSALS = new Set(['card-not-activated', 'card-temp-lost', 'card-lost', 'card-cancelled', 'card-replaced', 'card-expired', 'card-status-abnormal']);

/**
 * The card's own refusal, when the card is why direct settlement is refused: the same person may well be
 * covered, so the next move is another credential (ID card, 医保电子凭证, ID number), not self-pay.
 */
export function cardRefusal(d: EligibilityDecision): { code: string; text: string } | null {
  if (d.direct || d.needsInsutypeChoice) return null;
  return d.reasons.find((r) => CARD_REFUSALS.has(r.code)) ?? null;
}

/**
 * What a patient gives up by being admitted or settled as 自费, said before anyone confirms it: to the staff
 * at a desk about 患者, to the patient at the kiosk as 您 (the kiosk speaks to the patient, never about them).
 */
export type SelfPayReader = 'staff' | 'patient';

export const SELF_PAY_INTRO: Record<SelfPayReader, string> = {
  staff: '按自费办理，患者将失去：',
  patient: '按自费办理，您将失去：',
};

export function selfPayLosses(reader: SelfPayReader): string[] {
  return [`本次住院费用不能使用医保直接结算，需由${reader === 'patient' ? '您' : '患者'}全额垫付；`, ...SELF_PAY_LOSSES_REST];
}

const SELF_PAY_LOSSES_REST = [
  '出院后须带发票、费用清单、出院小结等材料回参保地医保经办机构申请零星报销（手工报销），审核周期较长；',
  '未办理异地就医备案或不符合规定的费用，报销比例可能降低或不予报销。',
];

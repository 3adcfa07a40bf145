import type { Reason } from '../../../contract/dto/common.ts';
import type { EligibilityFacts } from './facts.ts';
import { filingLabel, percentPoints, placeName, REFUSAL_GUIDANCE, REFUSAL_TEXT, selfPayGuidance, withChannels } from './guidance.ts';
import { channelsFor, orList } from './channels.ts';
import { groupOf } from './places.ts';
import type { EligibilityParameters, VisitCase, VisitScope } from './parameters.ts';
import { refusalsOf, type RefusalCode } from './refusals.ts';
import { decideCase, type CaseOutcome } from './visit-case.ts';

/** The rule part of an EligibilityDecision (the service adds the person, the insurances, ids and time). */
export interface RuleDecision {
  direct: boolean;
  scope: VisitScope;
  visitCase: VisitCase;
  /** 0 when refused (settlement-rules §6: a refused visit has no reduction). */
  reduction: number;
  refusals: RefusalCode[];
  reasons: Reason[];
  guidance: Reason[];
  conflicts: Reason[];
  caseOutcome: CaseOutcome;
}

/** settlement-rules §1–3 applied to the facts. Pure. `insuplc` is the 参保地 of the chosen insurance row. */
export function decideEligibility(p: EligibilityParameters, facts: EligibilityFacts, insuplc: string): RuleDecision {
  const c = decideCase(p, facts, insuplc);
  const refusals = refusalsOf(p, facts, insuplc, c);
  const direct = refusals.length === 0;
  const reduction = direct ? (c.reduction ?? 0) : 0;

  const reasons: Reason[] = [placeReason(p, facts, insuplc, c, direct)];
  const caseText = caseReason(c, reduction, direct);
  // An unfiled cross-province visit is refused for that very reason: the refusal says it, once.
  if (caseText && !(caseText.code === 'case-unfiled' && refusals.includes('cross-province-unfiled'))) reasons.push(caseText);
  for (const r of refusals) reasons.push({ code: r, text: REFUSAL_TEXT[r] });
  if (direct) reasons.push({ code: 'direct', text: '可以医保直接结算。' });

  const guidance: Reason[] = [];
  if (direct) {
    guidance.push({ code: 'pay-own-share', text: '出院时在本院直接结算，只需支付个人负担部分。' });
    const better = betterByFiling(p, c);
    if (better !== null) {
      guidance.push({
        code: 'file-for-better-ratio',
        text: `出院结算前办理异地就医备案（${orList(channelsFor(insuplc, 'filing'))}），报销比例可少降低${percentPoints(reduction - better)}个百分点。`,
      });
    }
  } else {
    for (const r of refusals) for (const g of REFUSAL_GUIDANCE[r]) guidance.push({ code: g.code, text: withChannels(g.text, insuplc) });
    guidance.push(...selfPayGuidance(facts.emergency, insuplc));
  }
  const dsyk = dsykGuidance(p, facts, insuplc, c);
  if (dsyk) guidance.unshift(dsyk);
  if (facts.hospital.help) {
    guidance.push({ code: 'ask-hospital', text: `如有疑问，请到${facts.hospital.help.insuranceWindow}咨询，或致电 ${facts.hospital.help.phone}。` });
  }

  const conflicts: Reason[] = c.conflict
    ? [
        {
          code: 'dsyk-and-filing',
          text: `参保人同时有有效的大市一卡通登记和异地就医备案（${c.conflict.filings.map((f) => filingLabel(f.dclaType)).join('、')}），两者不能同时存在。本次按大市一卡通本地待遇处理，请参保人到参保地医保经办机构撤销其中一项。`,
        },
      ]
    : [];
  return { direct, scope: c.scope, visitCase: c.visitCase, reduction, refusals, reasons: once(reasons), guidance: once(guidance), conflicts, caseOutcome: c };
}

/** Each reason once: the first of a code (or of a text) stays, later repeats go. */
function once(list: Reason[]): Reason[] {
  const seen = new Set<string>();
  return list.filter((r) => {
    const dup = seen.has(r.code) || seen.has(r.text);
    seen.add(r.code);
    seen.add(r.text);
    return !dup;
  });
}

/**
 * An employee insured in the hospital's 大市 (a pooling group that needs a registration) without a live
 * registration: registering makes the next visit local (settlement-rules §3), at the insured city's channels.
 */
function dsykGuidance(p: EligibilityParameters, facts: EligibilityFacts, insuplc: string, c: CaseOutcome): Reason | null {
  if (c.scope === 'local' || facts.insutype !== '310') return null;
  const group = groupOf(insuplc, facts.hospital.admdvs, p.poolingGroups);
  if (!group?.requiresRegistration) return null;
  const where = channelsFor(insuplc, 'dsyk');
  if (where.length === 0) return null;
  // A registration made with a card since replaced is void (§3): said as such, once, with how to register again.
  const voided = facts.registrations.some((r) => r.valid && facts.currentCard !== null && r.cardSn.toUpperCase() !== facts.currentCard.cardSn);
  const lead = voided ? '原大市一卡通登记是用旧卡办理的，换卡后已失效，需重新登记：' : `参保地与本院同属${group.name}范围：职工医保`;
  return { code: 'dsyk-register', text: `${lead}可到${orList(where)}办理大市一卡通登记，登记后在本院按本地待遇结算。` };
}

function placeReason(p: EligibilityParameters, facts: EligibilityFacts, insuplc: string, c: CaseOutcome, direct: boolean): Reason {
  const from = placeName(insuplc, p.regions[insuplc]?.name);
  const here = placeName(facts.hospital.admdvs);
  // Refused (a lost or replaced card…): the place is stated, but no 待遇 is promised beside the refusal.
  const settles = direct ? '，按本地就医待遇结算' : '';
  if (c.scope === 'local' && c.registration) {
    return { code: 'scope-local-dsyk', text: `参保地${from}，就医地${here}：已办理大市一卡通${settles}。` };
  }
  if (c.scope === 'local') return { code: 'scope-local', text: `参保地${from}，就医地${here}：同一统筹区${settles}。` };
  if (c.scope === 'in-province') return { code: 'scope-in-province', text: `参保地${from}，就医地${here}：省内异地就医。` };
  return { code: 'scope-cross-province', text: `参保地${from}，就医地${here}：跨省异地就医。` };
}

function caseReason(c: CaseOutcome, reduction: number, direct: boolean): Reason | null {
  const less = direct && reduction > 0 ? `，报销比例降低${percentPoints(reduction)}个百分点` : direct ? '，报销比例不降低' : '';
  const until = c.filing?.enddate ? `，有效期至${c.filing.enddate}` : c.filing ? '，长期有效' : '';
  switch (c.visitCase) {
    case 'local':
      return null;
    case 'emergency':
      return { code: 'case-emergency', text: `急诊入院，视同已办理异地就医备案${less}。` };
    case 'filed-long-term':
    case 'filed-referral':
    case 'filed-temporary':
      return {
        code: `case-${c.visitCase}`,
        text: `已办理异地就医备案（${filingLabel(c.filing?.dclaType ?? '')}，备案地${placeName(c.filing?.targetAdmdvs ?? '')}${until}）${less}。`,
      };
    case 'unfiled':
      return { code: 'case-unfiled', text: `未办理异地就医备案${less}。` };
  }
}

/**
 * What a 其他临时外出就医 filing would bring, when smaller than the current reduction: the filing anyone can
 * make online with just an ID credential (long-term and referral filings need proof the patient may not have).
 */
function betterByFiling(p: EligibilityParameters, c: CaseOutcome): number | null {
  if (c.scope === 'local' || c.reduction === null || c.visitCase === 'emergency') return null;
  const temporary = p.reductions[c.scope]['filed-temporary'];
  return temporary !== undefined && temporary < c.reduction ? temporary : null;
}

import type { Reason } from '../../contract/dto/common.ts';
import type { EligibilityDecision, PersonView } from '../../contract/dto/eligibility.ts';
import { maskCertNo, maskName } from '../../contract/mask.ts';
import { CARD_STAS_NORMAL } from '../../insurance/codes/card-status.ts';
import { labelOf } from '../../insurance/codes/code-table.ts';
import { INSUTYPE } from '../../insurance/codes/insutype.ts';
import { MDTRT_CERT_TYPE } from '../../insurance/codes/mdtrt-cert-type.ts';
import { PSN_INSU_STAS, PSN_INSU_STAS_ACTIVE } from '../../insurance/codes/psn-insu-stas.ts';
import { PSN_TYPE } from '../../insurance/codes/psn-type.ts';
import type { ResolvedCredential } from './credential.ts';
import type { VisitFacts } from './gather.ts';
import type { PersonFacts } from './person-facts.ts';
import type { RuleDecision } from './policy/decide.ts';
import { placeName } from './policy/guidance.ts';
import type { EligibilityParameters } from './policy/parameters.ts';
import { samePoolingArea, scopeBetween } from './policy/places.ts';
import type { DecisionBasis, SnapshotBody } from './snapshot.ts';

/**
 * The pure half of an eligibility check after the rules: the decision the screen shows (Chinese reasons,
 * masked person on the kiosk) and the basis an admission is later sent from. Ids and time come in as values.
 */
export interface PresentationContext {
  checkId: string;
  /** yyyy-MM-dd HH:mm:ss China time. */
  checkedAt: string;
  /** Staff screens show the full name; the self-service kiosk masks it. */
  staffScreen: boolean;
  hospitalAdmdvs: string;
  parameters: EligibilityParameters;
  admissionType: 'normal' | 'emergency';
}

/** Several active insurances and none chosen: the screen asks; the place alone gives a provisional scope. */
export function presentChoice(person: PersonFacts, cred: ResolvedCredential, ctx: PresentationContext): SnapshotBody {
  const insurances = insuranceViews(person);
  const active = insurances.filter((i) => i.active);
  const decision: EligibilityDecision = {
    ...common(person, ctx, insurances),
    chosenInsutype: null,
    needsInsutypeChoice: true,
    direct: false,
    // Provisional until the insutype is chosen: the place alone (a registration may still make it local).
    scope: samePoolingArea(person.insuplc, ctx.hospitalAdmdvs, ctx.parameters.poolingGroups) ? 'local' : scopeBetween(person.insuplc, ctx.hospitalAdmdvs),
    visitCase: null,
    reduction: 0,
    reasons: [{ code: 'several-insurances', text: `您有${active.length}个正常参保的险种：${active.map((i) => i.label).join('、')}。` }],
    guidance: [{ code: 'choose-insutype', text: '请选择本次住院使用的险种。一次住院只能按一个险种结算；职工医保和城乡居民医保不能同时享受。' }],
    conflicts: [],
  };
  return { decision, basis: basisOf(person, cred, ctx, null, false, []) };
}

/** The rules have decided for one insutype: their reasons, plus what only the service knows of the visit. */
export function presentDecision(
  person: PersonFacts,
  cred: ResolvedCredential,
  decided: { insutype: string; rule: RuleDecision; visit: VisitFacts },
  ctx: PresentationContext,
): SnapshotBody {
  const { insutype, rule } = decided;
  const decision: EligibilityDecision = {
    ...common(person, ctx, insuranceViews(person)),
    chosenInsutype: insutype,
    needsInsutypeChoice: false,
    direct: rule.direct,
    scope: rule.scope,
    visitCase: rule.visitCase,
    reduction: rule.reduction,
    reasons: decisionReasons(person, cred, decided),
    guidance: rule.guidance,
    conflicts: rule.conflicts,
  };
  return { decision, basis: basisOf(person, cred, ctx, insutype, rule.direct, rule.refusals) };
}

/** A snapshot answering while the platform is unreachable: said so first, with its age. */
export function presentCached(decision: EligibilityDecision, ageMinutes: number): EligibilityDecision {
  return {
    ...decision,
    cached: true,
    reasons: [
      { code: 'cached', text: `医保平台暂时无法连接，以下为${ageMinutes}分钟前（${decision.checkedAt}）的核验结果，仅供离线办理参考。` },
      ...decision.reasons,
    ],
    guidance: [...decision.guidance, { code: 'recheck-online', text: '医保平台连接恢复后，入院登记会自动上传；如平台核验结果不同，将提示处理。' }],
  };
}

function decisionReasons(person: PersonFacts, cred: ResolvedCredential, decided: { rule: RuleDecision; visit: VisitFacts }): Reason[] {
  const { rule, visit } = decided;
  const reasons: Reason[] = [...rule.reasons];
  const row = person.choice.row;
  if (person.choice.autoChosen && row) {
    reasons.unshift({ code: 'insutype-auto', text: `已按唯一正常参保的险种办理：${INSUTYPE[row.insutype] ?? row.insutype}。` });
  }
  if (visit.notEnjoyed) reasons.push({ code: 'treatment-check', text: `医保待遇检查（2001）：${visit.notEnjoyed}` });
  if (visit.registrations.some((r) => r.valid) && rule.caseOutcome.registration === null) {
    if (!person.currentCardSn) {
      reasons.push({ code: 'dsyk-needs-card', text: '参保人有大市一卡通登记，需插入办理登记时使用的社保卡才能按本地待遇核验。' });
    } else if (cred.certType === '03' && cred.card === null) {
      reasons.push({
        code: 'dsyk-needs-card',
        text: '参保人有大市一卡通登记，但手工输入的卡号无法确认是江苏省社会保障卡（省卡）；市民卡办理的登记不享受本地待遇。本次先按异地就医核验，请将社保卡插入读卡器重新核验。',
      });
    }
  }
  if (cred.certType === '03' && (person.cardStas ?? CARD_STAS_NORMAL) === CARD_STAS_NORMAL && rule.direct) {
    reasons.push({ code: 'card-ok', text: `${MDTRT_CERT_TYPE['03']}状态正常。` });
  }
  return reasons;
}

type InsuranceView = EligibilityDecision['insurances'][number];

function common(person: PersonFacts, ctx: PresentationContext, insurances: InsuranceView[]) {
  return { checkId: ctx.checkId, person: personView(person, ctx), insurances, cached: false, checkedAt: ctx.checkedAt };
}

export function personView(person: PersonFacts, ctx: Pick<PresentationContext, 'staffScreen' | 'parameters'>): PersonView {
  return {
    psnNo: person.psnNo,
    displayName: ctx.staffScreen ? person.name : maskName(person.name),
    displayCertNo: maskCertNo(person.certno),
    gender: person.gender,
    age: person.age,
    insuplcAdmdvs: person.insuplc,
    insuplcName: placeName(person.insuplc, ctx.parameters.regions[person.insuplc]?.name),
  };
}

function insuranceViews(person: PersonFacts): InsuranceView[] {
  return person.rows.map((r) => ({
    insutype: r.insutype,
    label: `${INSUTYPE[r.insutype] ?? `险种${r.insutype}`}（${PSN_INSU_STAS[r.psnInsuStas] ?? r.psnInsuStas}）`,
    psnType: r.psnType,
    psnTypeLabel: r.psnType ? labelOf(PSN_TYPE, r.psnType) : '',
    active: r.psnInsuStas === PSN_INSU_STAS_ACTIVE,
    accountBalanceFen: r.balcFen,
  }));
}

function basisOf(
  person: PersonFacts,
  cred: ResolvedCredential,
  ctx: PresentationContext,
  insutype: string | null,
  direct: boolean,
  refusals: DecisionBasis['refusals'],
): DecisionBasis {
  return {
    psnNo: person.psnNo,
    insuplcAdmdvs: person.insuplc,
    insutype,
    admissionType: ctx.admissionType,
    direct,
    refusals,
    credential: { certType: cred.certType, certNo: cred.certNo, cardSn: cred.cardSn },
    person: {
      name: person.name,
      certno: person.certno,
      psnCertType: person.psnCertType,
      gender: person.gender,
      birthDate: person.birthDate,
      age: person.age,
    },
  };
}

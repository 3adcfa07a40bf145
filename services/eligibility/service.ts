import { randomUUID } from 'node:crypto';
import type { KioskServices } from '../../contract/api.ts';
import type { Reason } from '../../contract/dto/common.ts';
import type { Credential, EligibilityDecision, PersonView } from '../../contract/dto/eligibility.ts';
import { KioskError } from '../../contract/errors.ts';
import { maskCertNo, maskName } from '../../contract/mask.ts';
import type { SocialSecurityCard } from '../../drivers/sscard/social-security-card.ts';
import { CARD_STAS_NORMAL } from '../../insurance/codes/card-status.ts';
import { INSUTYPE, INSUTYPE_EMPLOYEE } from '../../insurance/codes/insutype.ts';
import { MDTRT_CERT_TYPE } from '../../insurance/codes/mdtrt-cert-type.ts';
import { PSN_INSU_STAS, PSN_INSU_STAS_ACTIVE } from '../../insurance/codes/psn-insu-stas.ts';
import { PSN_TYPE } from '../../insurance/codes/psn-type.ts';
import { labelOf } from '../../insurance/codes/code-table.ts';
import type { Operator } from '../../insurance/client/envelope.ts';
import { toKioskError } from '../../insurance/client/kiosk-errors.ts';
import { isPlatformError, PlatformRefusedError } from '../../insurance/client/errors.ts';
import type { PersonInfo } from '../../insurance/client/transactions/person.ts';
import { chinaTime } from '../../base/china-time.ts';
import type { ServiceContext } from '../context.ts';
import { resolveCredential, type ResolvedCredential } from './credential.ts';
import { fetchPerson, fetchVisitFacts } from './gather.ts';
import { decideEligibility } from './policy/decide.ts';
import type { EligibilityFacts, InsuranceFact } from './policy/facts.ts';
import { placeName } from './policy/guidance.ts';
import { bundledParameters, type EligibilityParameters } from './policy/parameters.ts';
import { samePoolingArea, scopeBetween } from './policy/places.ts';
import { isSnapshotBody, type DecisionBasis, type SnapshotBody } from './snapshot.ts';

type EligibilityContext = Pick<ServiceContext, 'config' | 'clock' | 'log' | 'store' | 'platform' | 'filings' | 'operators'>;

export interface EligibilityRequestArgs {
  credential: Credential;
  insutype?: string | undefined;
  admissionType: 'normal' | 'emergency';
}

/**
 * 人员信息与异地就医资格核验: credential → 1101 → choice of insutype → 2001 + filings + 5303 → the rules of
 * settlement-rules §1–3 (policy/). Every decision made online is kept as a snapshot; offline, a snapshot of the
 * same credential younger than config store.eligibilityCacheMaxAgeMinutes answers instead, marked cached.
 */
export class EligibilityService {
  /** Checks made in this session: only these can be the basis of an admission (reset forgets them). */
  private readonly sessionChecks = new Set<string>();

  constructor(
    private readonly ctx: EligibilityContext,
    private readonly cardInReader: () => SocialSecurityCard,
    private readonly parameters: EligibilityParameters = bundledParameters,
  ) {}

  group(): KioskServices['eligibility'] {
    return { check: (args) => this.check(args) };
  }

  /** Session reset: the decisions of the previous patient can no longer be used. */
  forgetSession(): void {
    this.sessionChecks.clear();
  }

  /** The basis of a decision of this session, for an admission; null when unknown or from another session. */
  basisOf(checkId: string): { basis: DecisionBasis; decision: EligibilityDecision; checkedAt: number } | null {
    if (!this.sessionChecks.has(checkId)) return null;
    const snap = this.ctx.store.eligibility.get(checkId);
    if (!snap || !isSnapshotBody(snap.decision)) return null;
    return { basis: snap.decision.basis, decision: snap.decision.decision, checkedAt: snap.checkedAt };
  }

  async check(args: EligibilityRequestArgs): Promise<EligibilityDecision> {
    const operator = this.ctx.operators.current();
    const cred = resolveCredential(args.credential, this.cardInReader);
    try {
      return await this.checkOnline(args, cred, operator);
    } catch (err) {
      const error = err instanceof KioskError ? err : this.platformError(err);
      if (error.code !== 'PLATFORM_OFFLINE') throw error;
      const cached = this.fromCache(args, cred);
      if (cached) return cached;
      throw new KioskError('PLATFORM_OFFLINE', '医保平台暂时无法连接，且本机没有该患者近期的核验记录', [
        '请检查网络后重试；网络恢复后即可核验',
        '急需入院的，可先按自费办理入院，网络恢复后再核验医保资格',
      ], { cause: err });
    }
  }

  private platformError(err: unknown): KioskError {
    // 1101 refused: the platform does not know this credential.
    if (isPlatformError(err) && err instanceof PlatformRefusedError && err.infno === '1101') {
      return new KioskError('PERSON_NOT_FOUND', `未查询到参保人员信息：${err.errMsg || '平台未说明原因'}`, [
        '请核对证件号码或重新读卡',
        '未在医保参保的，按自费办理',
      ], { cause: err });
    }
    return toKioskError(err);
  }

  private async checkOnline(args: EligibilityRequestArgs, cred: ResolvedCredential, operator: Operator): Promise<EligibilityDecision> {
    const now = this.ctx.clock.now();
    const t = chinaTime(now);
    const person = await fetchPerson(this.ctx, cred, operator);
    const base = person.baseinfo;
    const exp = base.exp_content;
    const rows: InsuranceFact[] = person.insuinfo.map((r) => ({
      insutype: r.insutype,
      psnType: r.psn_type ?? '',
      psnInsuStas: r.psn_insu_stas ?? '',
      insuplcAdmdvs: r.insuplc_admdvs,
      balcFen: r.balc,
    }));
    const staffScreen = this.ctx.config.mode !== 'self-service';
    const name = base.psn_name ?? cred.card?.name ?? '';
    const certno = base.certno ?? cred.card?.ssn ?? (cred.certType === '02' ? cred.certNo : '');
    const chosen = chooseInsurance(rows, args.insutype);
    const placeRow = chosen.row ?? rows.find((r) => r.psnInsuStas === PSN_INSU_STAS_ACTIVE) ?? rows[0] ?? null;
    const insuplc = placeRow?.insuplcAdmdvs ?? this.ctx.config.hospital.admdvs;
    const personView: PersonView = {
      psnNo: base.psn_no,
      displayName: staffScreen ? name : maskName(name),
      displayCertNo: maskCertNo(certno),
      gender: base.gend === '1' || base.gend === '2' ? base.gend : '9',
      age: ageOf(base.age, base.brdy, t.day),
      insuplcAdmdvs: insuplc,
      insuplcName: placeName(insuplc, this.parameters.regions[insuplc]?.name),
    };
    const insurances = rows.map((r) => ({
      insutype: r.insutype,
      label: `${INSUTYPE[r.insutype] ?? `险种${r.insutype}`}（${PSN_INSU_STAS[r.psnInsuStas] ?? r.psnInsuStas}）`,
      psnType: r.psnType,
      psnTypeLabel: r.psnType ? labelOf(PSN_TYPE, r.psnType) : '',
      active: r.psnInsuStas === PSN_INSU_STAS_ACTIVE,
      accountBalanceFen: r.balcFen,
    }));
    const basisPerson = {
      name,
      certno,
      psnCertType: base.psn_cert_type ?? '01',
      gender: personView.gender,
      birthDate: base.brdy ? base.brdy.slice(0, 10) : null,
      age: personView.age,
    };

    let decision: EligibilityDecision;
    let basis: DecisionBasis;
    if (chosen.needsChoice) {
      decision = {
        checkId: randomUUID(),
        person: personView,
        insurances,
        chosenInsutype: null,
        needsInsutypeChoice: true,
        direct: false,
        // Provisional until the insutype is chosen: the place alone (a registration may still make it local).
        scope: samePoolingArea(insuplc, this.ctx.config.hospital.admdvs, this.parameters.poolingGroups) ? 'local' : scopeBetween(insuplc, this.ctx.config.hospital.admdvs),
        visitCase: null,
        reduction: 0,
        reasons: [{ code: 'several-insurances', text: `您有${rows.filter((r) => r.psnInsuStas === PSN_INSU_STAS_ACTIVE).length}个正常参保的险种：${insurances.filter((i) => i.active).map((i) => i.label).join('、')}。` }],
        guidance: [
          { code: 'choose-insutype', text: '请选择本次住院使用的险种。一次住院只能按一个险种结算；职工医保和城乡居民医保不能同时享受。' },
        ],
        conflicts: [],
        cached: false,
        checkedAt: t.dateTime,
      };
      basis = {
        psnNo: base.psn_no,
        insuplcAdmdvs: insuplc,
        insutype: null,
        admissionType: args.admissionType,
        direct: false,
        refusals: [],
        credential: { certType: cred.certType, certNo: cred.certNo, cardSn: cred.cardSn },
        person: basisPerson,
      };
    } else {
      const insutype = chosen.row?.insutype ?? args.insutype ?? rows[0]?.insutype ?? INSUTYPE_EMPLOYEE;
      const yearAgo = chinaTime(new Date(now.getTime() - 365 * 86_400_000)).day + ' 00:00:00';
      const visit = await fetchVisitFacts(
        this.ctx,
        { psnNo: base.psn_no, insutype, insuplc, emergency: args.admissionType === 'emergency', now: { dateTime: t.dateTime, yearAgo } },
        operator,
      );
      const ours = new Set(this.ctx.store.admissions.list({ limit: 5000 }).map((a) => a.mdtrtId).filter((m): m is string => !!m));
      const elsewhere = visit.openAdmissions.filter((a) => a.fixmedinsCode !== this.ctx.config.hospital.code && !ours.has(a.mdtrtId));
      // 2001 refusing an active row is, among the reasons of settlement-rules §2, the waiting period (an inactive
      // row is refused as such already); the platform's own words go into the reasons either way.
      const waiting = visit.notEnjoyed !== null && (visit.notEnjoyed.includes('等待期') || chosen.row?.psnInsuStas === PSN_INSU_STAS_ACTIVE);
      const currentCardSn = cred.certType === '03' ? cred.cardSn : (exp.cur_card_sn ?? exp.card_sn ?? null);
      const facts: EligibilityFacts = {
        hospital: {
          admdvs: this.ctx.config.hospital.admdvs,
          networkedInProvince: this.ctx.config.hospital.networkedInProvince,
          networkedCrossProvince: this.ctx.config.hospital.networkedCrossProvince,
        },
        certType: cred.certType,
        card: cred.certType === '03' ? { stas: exp.card_stas ?? null, expiryDate: cred.card?.expiryDate ?? null } : null,
        // A card read here is a 省卡: an old 市民卡 has no SSSE application and never gets this far.
        currentCard: currentCardSn ? { cardSn: currentCardSn.toUpperCase(), provincial: true } : null,
        insutype,
        insurance: chosen.row,
        waitingPeriod: waiting,
        filings: visit.filings,
        registrations: visit.registrations,
        openAdmissionsElsewhere: elsewhere,
        emergency: args.admissionType === 'emergency',
        admissionDay: t.day,
        decisionDay: t.day,
      };
      const rule = decideEligibility(this.parameters, facts, insuplc);
      const reasons: Reason[] = [...rule.reasons];
      if (chosen.autoChosen && chosen.row) {
        reasons.unshift({ code: 'insutype-auto', text: `已按唯一正常参保的险种办理：${INSUTYPE[chosen.row.insutype] ?? chosen.row.insutype}。` });
      }
      if (visit.notEnjoyed) reasons.push({ code: 'treatment-check', text: `医保待遇检查（2001）：${visit.notEnjoyed}` });
      if (!currentCardSn && visit.registrations.some((r) => r.valid) && rule.caseOutcome.registration === null) {
        reasons.push({ code: 'dsyk-needs-card', text: '参保人有大市一卡通登记，需插入办理登记时使用的社保卡才能按本地待遇核验。' });
      }
      if (cred.certType === '03' && (exp.card_stas ?? CARD_STAS_NORMAL) === CARD_STAS_NORMAL && rule.direct) {
        reasons.push({ code: 'card-ok', text: `${MDTRT_CERT_TYPE['03']}状态正常。` });
      }
      decision = {
        checkId: randomUUID(),
        person: personView,
        insurances,
        chosenInsutype: insutype,
        needsInsutypeChoice: false,
        direct: rule.direct,
        scope: rule.scope,
        visitCase: rule.visitCase,
        reduction: rule.reduction,
        reasons,
        guidance: rule.guidance,
        conflicts: rule.conflicts,
        cached: false,
        checkedAt: t.dateTime,
      };
      basis = {
        psnNo: base.psn_no,
        insuplcAdmdvs: insuplc,
        insutype,
        admissionType: args.admissionType,
        direct: rule.direct,
        refusals: rule.refusals,
        credential: { certType: cred.certType, certNo: cred.certNo, cardSn: cred.cardSn },
        person: basisPerson,
      };
    }
    this.save(person, cred, decision, basis);
    this.ctx.log.info('eligibility decided', {
      checkId: decision.checkId,
      psnNo: basis.psnNo,
      direct: decision.direct,
      visitScope: decision.scope,
      visitCase: decision.visitCase,
      reasons: decision.reasons.map((r) => r.code),
    });
    return decision;
  }

  private save(person: PersonInfo, cred: ResolvedCredential, decision: EligibilityDecision, basis: DecisionBasis): void {
    const body: SnapshotBody = { decision, basis };
    this.ctx.store.write((tx) => {
      this.ctx.store.persons.save(tx, person);
      if (cred.certType === '03') this.ctx.store.cards.linkPerson(tx, cred.certNo, basis.psnNo);
      this.ctx.store.eligibility.save(tx, {
        checkId: decision.checkId,
        psnNo: basis.psnNo,
        mdtrtCertType: cred.certType,
        mdtrtCertNo: cred.certNo,
        insutype: basis.insutype,
        admissionType: basis.admissionType,
        decision: body,
      });
    });
    this.sessionChecks.add(decision.checkId);
  }

  /** Offline: the newest snapshot of this credential (or of the person it belongs to) younger than the limit. */
  private fromCache(args: EligibilityRequestArgs, cred: ResolvedCredential): EligibilityDecision | null {
    const { store, config, clock } = this.ctx;
    const options = {
      now: clock.now(),
      maxAgeMs: config.store.eligibilityCacheMaxAgeMinutes * 60_000,
      insutype: args.insutype ?? null,
      admissionType: args.admissionType,
    };
    let snap = store.eligibility.freshFor({ mdtrtCertType: cred.certType, mdtrtCertNo: cred.certNo }, options);
    if (!snap) {
      const psnNo =
        cred.certType === '03' ? store.cards.latest(cred.certNo)?.psnNo : cred.certType === '02' ? store.persons.byCertno(cred.certNo)?.psnNo : null;
      if (psnNo) snap = store.eligibility.freshFor({ psnNo }, options);
    }
    if (!snap || !isSnapshotBody(snap.decision)) return null;
    const { decision } = snap.decision;
    this.sessionChecks.add(decision.checkId);
    const minutes = Math.max(1, Math.round((clock.now().getTime() - snap.checkedAt) / 60_000));
    this.ctx.log.info('eligibility from cache', { checkId: decision.checkId, ageMinutes: minutes });
    return {
      ...decision,
      cached: true,
      reasons: [
        { code: 'cached', text: `医保平台暂时无法连接，以下为${minutes}分钟前（${decision.checkedAt}）的核验结果，仅供离线办理参考。` },
        ...decision.reasons,
      ],
      guidance: [...decision.guidance, { code: 'recheck-online', text: '网络恢复后，入院登记会自动上传医保平台；如平台核验结果不同，将提示处理。' }],
    };
  }
}

/**
 * Which insurance row this admission uses. Asked for: that one (or none, when the person has no such row).
 * Not asked: the only row; else the only active row (said so in the reasons); else the screen must ask.
 */
function chooseInsurance(rows: InsuranceFact[], asked: string | undefined): { row: InsuranceFact | null; needsChoice: boolean; autoChosen: boolean } {
  if (asked !== undefined) return { row: rows.find((r) => r.insutype === asked) ?? null, needsChoice: false, autoChosen: false };
  if (rows.length <= 1) return { row: rows[0] ?? null, needsChoice: false, autoChosen: false };
  const active = rows.filter((r) => r.psnInsuStas === PSN_INSU_STAS_ACTIVE);
  if (active.length === 1) return { row: active[0]!, needsChoice: false, autoChosen: true };
  if (active.length === 0) return { row: rows[0]!, needsChoice: false, autoChosen: false };
  return { row: null, needsChoice: true, autoChosen: false };
}

function ageOf(age: string | null, brdy: string | null, today: string): number | null {
  if (age !== null && Number.isFinite(Number(age))) return Math.floor(Number(age));
  if (!brdy || !/^\d{4}-\d{2}-\d{2}/.test(brdy)) return null;
  const years = Number(today.slice(0, 4)) - Number(brdy.slice(0, 4));
  return today.slice(5, 10) < brdy.slice(5, 10) ? years - 1 : years;
}

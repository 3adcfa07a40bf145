import { randomUUID } from 'node:crypto';
import { chinaTime } from '../../base/china-time.ts';
import type { KioskServices } from '../../contract/api.ts';
import type { Credential, EligibilityDecision } from '../../contract/dto/eligibility.ts';
import { KioskError } from '../../contract/errors.ts';
import type { Operator } from '../../insurance/client/envelope.ts';
import { isPlatformError, PlatformRefusedError } from '../../insurance/client/errors.ts';
import { toKioskError } from '../../insurance/client/kiosk-errors.ts';
import type { PersonInfo } from '../../insurance/client/transactions/person.ts';
import type { ServiceContext } from '../context.ts';
import { checkQrCode, resolveCredential, type ResolvedCredential, type SessionCards } from './credential.ts';
import { fetchPerson, fetchVisitFacts } from './gather.ts';
import { decidedInsutype, eligibilityFacts, personFacts } from './person-facts.ts';
import { decideEligibility } from './policy/decide.ts';
import { bundledParameters, type EligibilityParameters } from './policy/parameters.ts';
import { presentCached, presentChoice, presentDecision, type PresentationContext } from './presentation.ts';
import { isSnapshotBody, type DecisionBasis, type SnapshotBody } from './snapshot.ts';

type EligibilityContext = Pick<ServiceContext, 'config' | 'clock' | 'log' | 'store' | 'platform' | 'filings' | 'operators'>;

export interface EligibilityRequestArgs {
  credential: Credential;
  insutype?: string | undefined;
  admissionType: 'normal' | 'emergency';
}

/**
 * 人员信息与异地就医资格核验: credential → 1101 → choice of insutype → 2001 + filings + 5303 → the rules of
 * settlement-rules §1–3 (policy/). The replies become facts in person-facts.ts and the decision becomes
 * screen text in presentation.ts, both pure; this service only fetches, saves and logs. Every decision made online is kept as a snapshot; offline, a snapshot of the
 * same credential younger than config store.eligibilityCacheMaxAgeMinutes answers instead, marked cached.
 */
export class EligibilityService {
  /** Checks made in this session: only these can be the basis of an admission (reset forgets them). */
  private readonly sessionChecks = new Set<string>();

  constructor(
    private readonly ctx: EligibilityContext,
    private readonly sessionCards: SessionCards,
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
    // A QR is decoded first (ec.query, 入院登记): the platform gets its ecToken, never the QR text.
    const voucher = args.credential.kind === 'qr' ? await this.sessionCards.decodeQr(checkQrCode(args.credential.code)) : undefined;
    const cred = resolveCredential(args.credential, this.sessionCards, voucher);
    try {
      return await this.checkOnline(args, cred, operator);
    } catch (err) {
      const error = err instanceof KioskError ? err : this.platformError(err);
      if (error.code !== 'PLATFORM_OFFLINE') throw error;
      const cached = this.fromCache(args, cred);
      if (cached) return cached;
      // No self-pay way is offered: a registration needs a decision, and this terminal has no offline 自费
      // admission (docs/services.md, "Platform fully offline"). What the desk can do is wait, or admit by the
      // hospital's own emergency procedure and register here once the platform answers.
      throw new KioskError('PLATFORM_OFFLINE', '医保平台暂时无法连接，且本机没有该患者近期的核验记录', [
        '请检查网络后重试；医保平台恢复连接后即可核验',
        '急需入院的患者请按本院应急流程先收治，不要因等待核验延误救治；医保平台恢复连接后再在此核验并办理入院登记',
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

  /** 1101 → the person's facts; with one insutype decided, 2001 + filings + 5303 → the rules → the decision. */
  private async checkOnline(args: EligibilityRequestArgs, cred: ResolvedCredential, operator: Operator): Promise<EligibilityDecision> {
    const { config, clock, store } = this.ctx;
    const now = clock.now();
    const t = chinaTime(now);
    const info = await fetchPerson(this.ctx, cred, operator);
    const person = personFacts(info, cred, args.insutype, config.hospital.admdvs, t.day);
    const view: PresentationContext = {
      checkId: randomUUID(),
      checkedAt: t.dateTime,
      staffScreen: config.mode !== 'self-service',
      hospitalAdmdvs: config.hospital.admdvs,
      parameters: this.parameters,
      admissionType: args.admissionType,
    };
    let body: SnapshotBody;
    if (person.choice.needsChoice) {
      body = presentChoice(person, cred, view);
    } else {
      const insutype = decidedInsutype(person, args.insutype);
      const emergency = args.admissionType === 'emergency';
      const yearAgo = chinaTime(new Date(now.getTime() - 365 * 86_400_000)).day + ' 00:00:00';
      const visit = await fetchVisitFacts(this.ctx, { psnNo: person.psnNo, insutype, insuplc: person.insuplc, emergency, now: { dateTime: t.dateTime, yearAgo } }, operator);
      const ourMdtrtIds = new Set(store.admissions.list({ limit: 5000 }).map((a) => a.mdtrtId).filter((m): m is string => !!m));
      const facts = eligibilityFacts(person, cred, visit, { hospital: config.hospital, ourMdtrtIds, insutype, emergency, today: t.day });
      const rule = decideEligibility(this.parameters, facts, person.insuplc);
      body = presentDecision(person, cred, { insutype, rule, visit }, view);
    }
    this.save(info, cred, body);
    const { decision, basis } = body;
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

  private save(person: PersonInfo, cred: ResolvedCredential, body: SnapshotBody): void {
    const { decision, basis } = body;
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
    return presentCached(decision, minutes);
  }
}

import { INSUTYPE_EMPLOYEE } from '../../insurance/codes/insutype.ts';
import { PSN_INSU_STAS_ACTIVE } from '../../insurance/codes/psn-insu-stas.ts';
import type { PersonInfo } from '../../insurance/client/transactions/person.ts';
import type { ResolvedCredential } from './credential.ts';
import type { VisitFacts } from './gather.ts';
import type { Day, EligibilityFacts, HospitalFacts, InsuranceFact } from './policy/facts.ts';

/**
 * The pure half of an eligibility check before the rules: what the platform's replies (1101, then 2001,
 * filings and 5303) and the credential say about the person, as domain facts. No I/O, no clock, no ids.
 */

/** Which insurance row this admission uses (chooseInsurance). */
export interface InsuranceChoice {
  row: InsuranceFact | null;
  /** Several active rows and none asked for: the screen must ask. */
  needsChoice: boolean;
  /** Not asked, but only one row is active: said so in the reasons. */
  autoChosen: boolean;
}

/** The person as 1101 and the credential describe them. */
export interface PersonFacts {
  psnNo: string;
  name: string;
  certno: string;
  psnCertType: string;
  gender: '1' | '2' | '9';
  birthDate: Day | null;
  age: number | null;
  rows: InsuranceFact[];
  choice: InsuranceChoice;
  /** 参保地 of the chosen row (else of the active row, else the first, else the hospital's own place). */
  insuplc: string;
  /** card_stas of the presented card, when the platform reports it. */
  cardStas: string | null;
  /** 卡识别码 of the person's current card: the one read here, else the platform's. */
  currentCardSn: string | null;
}

export function personFacts(info: PersonInfo, cred: ResolvedCredential, askedInsutype: string | undefined, hospitalAdmdvs: string, today: Day): PersonFacts {
  const base = info.baseinfo;
  const exp = base.exp_content;
  const rows: InsuranceFact[] = info.insuinfo.map((r) => ({
    insutype: r.insutype,
    psnType: r.psn_type ?? '',
    psnInsuStas: r.psn_insu_stas ?? '',
    insuplcAdmdvs: r.insuplc_admdvs,
    balcFen: r.balc,
  }));
  const choice = chooseInsurance(rows, askedInsutype);
  const placeRow = choice.row ?? rows.find((r) => r.psnInsuStas === PSN_INSU_STAS_ACTIVE) ?? rows[0] ?? null;
  return {
    psnNo: base.psn_no,
    name: base.psn_name ?? cred.card?.name ?? '',
    certno: base.certno ?? cred.card?.ssn ?? (cred.certType === '02' ? cred.certNo : ''),
    psnCertType: base.psn_cert_type ?? '01',
    gender: base.gend === '1' || base.gend === '2' ? base.gend : '9',
    birthDate: base.brdy ? base.brdy.slice(0, 10) : null,
    age: ageOf(base.age, base.brdy, today),
    rows,
    choice,
    insuplc: placeRow?.insuplcAdmdvs ?? hospitalAdmdvs,
    cardStas: exp.card_stas ?? null,
    currentCardSn: cred.certType === '03' ? cred.cardSn : (exp.cur_card_sn ?? exp.card_sn ?? null),
  };
}

/**
 * Which insurance row this admission uses. Asked for: that one (or none, when the person has no such row).
 * Not asked: the only row; else the only active row (said so in the reasons); else the screen must ask.
 */
export function chooseInsurance(rows: InsuranceFact[], asked: string | undefined): InsuranceChoice {
  if (asked !== undefined) return { row: rows.find((r) => r.insutype === asked) ?? null, needsChoice: false, autoChosen: false };
  if (rows.length <= 1) return { row: rows[0] ?? null, needsChoice: false, autoChosen: false };
  const active = rows.filter((r) => r.psnInsuStas === PSN_INSU_STAS_ACTIVE);
  if (active.length === 1) return { row: active[0]!, needsChoice: false, autoChosen: true };
  if (active.length === 0) return { row: rows[0]!, needsChoice: false, autoChosen: false };
  return { row: null, needsChoice: true, autoChosen: false };
}

/** The insutype a decided check is for: the chosen row's, else the asked one, else the first row's. */
export function decidedInsutype(person: PersonFacts, askedInsutype: string | undefined): string {
  return person.choice.row?.insutype ?? askedInsutype ?? person.rows[0]?.insutype ?? INSUTYPE_EMPLOYEE;
}

export interface VisitContext {
  hospital: HospitalFacts & { code: string };
  /** mdtrt_ids of this hospital's own admissions: 5303 lists them too, and they are no conflict. */
  ourMdtrtIds: ReadonlySet<string>;
  insutype: string;
  emergency: boolean;
  today: Day;
}

/** Everything the rules of settlement-rules §1–3 look at (policy/facts.ts), from the person and the visit replies. */
export function eligibilityFacts(person: PersonFacts, cred: ResolvedCredential, visit: VisitFacts, ctx: VisitContext): EligibilityFacts {
  const { code, admdvs, networkedInProvince, networkedCrossProvince, help } = ctx.hospital;
  const elsewhere = visit.openAdmissions.filter((a) => a.fixmedinsCode !== code && !ctx.ourMdtrtIds.has(a.mdtrtId));
  // 2001 refusing an active row is, among the reasons of settlement-rules §2, the waiting period (an inactive
  // row is refused as such already); the platform's own words go into the reasons either way.
  const waiting = visit.notEnjoyed !== null && (visit.notEnjoyed.includes('等待期') || person.choice.row?.psnInsuStas === PSN_INSU_STAS_ACTIVE);
  return {
    hospital: { admdvs, networkedInProvince, networkedCrossProvince, ...(help ? { help } : {}) },
    certType: cred.certType,
    card: cred.certType === '03' ? { stas: person.cardStas, expiryDate: cred.card?.expiryDate ?? null } : null,
    // A card read here is a 省卡: an old 市民卡 has no SSSE application and never gets this far. A typed
    // 卡号 + 卡识别码 may be a 市民卡's: nothing here can tell (issue 17), so it is not taken for a 省卡.
    currentCard: person.currentCardSn ? { cardSn: person.currentCardSn.toUpperCase(), provincial: cred.card !== null ? true : null } : null,
    insutype: ctx.insutype,
    insurance: person.choice.row,
    waitingPeriod: waiting,
    filings: visit.filings,
    registrations: visit.registrations,
    openAdmissionsElsewhere: elsewhere,
    emergency: ctx.emergency,
    admissionDay: ctx.today,
    decisionDay: ctx.today,
  };
}

/** Age in whole years: 1101's age when it gives one, else from the birth day. */
export function ageOf(age: string | null, brdy: string | null, today: Day): number | null {
  if (age !== null && Number.isFinite(Number(age))) return Math.floor(Number(age));
  if (!brdy || !/^\d{4}-\d{2}-\d{2}/.test(brdy)) return null;
  const years = Number(today.slice(0, 4)) - Number(brdy.slice(0, 4));
  return today.slice(5, 10) < brdy.slice(5, 10) ? years - 1 : years;
}

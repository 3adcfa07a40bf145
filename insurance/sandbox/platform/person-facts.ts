import type { FilingFacts, RegistrationFacts } from '../policy/types.ts';
import { refuse } from './refusal.ts';
import type { SandboxState } from '../state/state.ts';
import type { Card, FilingRecord, InsuranceRow, Person, RegistrationRecord, World } from '../world/world.ts';

/**
 * A person as the platform knows them now: the fixtures, with what happened since applied (admin changes to
 * cards and insurance status, balances after settlements, filings and registrations added or cancelled).
 */
export interface PersonNow {
  person: Person;
  cards: Card[];
  currentCard: Card | null;
  insurances: InsuranceRow[];
  filings: FilingRecord[];
  registrations: RegistrationRecord[];
}

export function personNow(world: World, state: SandboxState, psnNo: string): PersonNow | undefined {
  const person = world.persons.get(psnNo);
  if (!person) return undefined;
  const cards = person.cards.map((c) => ({ ...c, status: state.overrides.cardStatus(c.cardSn) ?? c.status }));
  const insurances = person.insurances.map((r) => ({
    ...r,
    psnInsuStas: state.overrides.insuranceStatus(psnNo, r.insutype) ?? r.psnInsuStas,
    balcFen: state.accounts.get(psnNo, r.insutype) ?? r.balcFen,
  }));
  const filingFlags = state.filings.valiFlagOverrides('filing');
  const regFlags = state.filings.valiFlagOverrides('registration');
  const filings = [...person.filings, ...state.filings.filings(psnNo)].map((f) => ({ ...f, vali_flag: filingFlags.get(f.trt_dcla_detl_sn) ?? f.vali_flag }));
  const registrations = [...person.registrations, ...state.filings.registrations(psnNo)].map((r) => ({
    ...r,
    vali_flag: regFlags.get(r.reg_id) ?? r.vali_flag,
  }));
  return { person, cards, currentCard: cards.find((c) => c.current) ?? null, insurances, filings, registrations };
}

/** The person a transaction names, or a refusal (人员编号不存在). */
export function knownPerson(world: World, state: SandboxState, psnNo: string): PersonNow {
  return personNow(world, state, psnNo) ?? refuse('人员编号不存在');
}

export function filingFacts(f: FilingRecord): FilingFacts {
  return {
    sn: f.trt_dcla_detl_sn,
    dclaType: f.dcla_type,
    targetAdmdvs: f.mdtrtarea_admdvs,
    begndate: f.begndate,
    enddate: f.enddate,
    createdDay: f.crte_time.slice(0, 10),
    valid: f.vali_flag === '1',
  };
}

export function registrationFacts(r: RegistrationRecord): RegistrationFacts {
  return { id: r.reg_id, insuAdmdvs: r.insu_admdvs, trtAdmdvs: r.trt_admdvs, cardSn: r.card_sn, begndate: r.begndate, valid: r.vali_flag === '1' };
}

export interface OpenAdmission {
  mdtrtId: string;
  psnNo: string;
  fixmedinsCode: string;
  insutype: string;
  medType: string;
  begntime: string;
  iptOtpNo: string;
}

/**
 * Open admissions of a person anywhere: those made through this sandbox that are neither discharged,
 * cancelled nor settled, and the fixtures' admissions at other hospitals.
 */
export function openAdmissions(world: World, state: SandboxState, psnNo: string): OpenAdmission[] {
  const out: OpenAdmission[] = [];
  for (const a of world.persons.get(psnNo)?.openAdmissions ?? []) out.push({ ...a, psnNo });
  for (const a of state.admissions.byPerson(psnNo)) {
    if (a.status !== 'in' || state.settlements.validForVisit(a.mdtrt_id)) continue;
    out.push({
      mdtrtId: a.mdtrt_id,
      psnNo,
      fixmedinsCode: a.fixmedins_code,
      insutype: a.insutype,
      medType: a.med_type,
      begntime: a.begntime,
      iptOtpNo: a.ipt_no,
    });
  }
  return out;
}

import { describe, expect, it } from 'vitest';
import { PersonInfoOutput } from '../../../../insurance/client/transactions/person.ts';
import type { ResolvedCredential } from '../../../../services/eligibility/credential.ts';
import type { VisitFacts } from '../../../../services/eligibility/gather.ts';
import { ageOf, chooseInsurance, decidedInsutype, eligibilityFacts, personFacts } from '../../../../services/eligibility/person-facts.ts';
import { decideEligibility } from '../../../../services/eligibility/policy/decide.ts';
import { bundledParameters } from '../../../../services/eligibility/policy/parameters.ts';
import { presentCached, presentChoice, presentDecision, type PresentationContext } from '../../../../services/eligibility/presentation.ts';

// The pure halves of an eligibility check, without a platform: 1101 reply → facts → rules → screen text.
const HOSPITAL = { code: 'H32020100001', admdvs: '320200', networkedInProvince: true, networkedCrossProvince: true };
const idCard: ResolvedCredential = { certType: '02', certNo: '320211197001011234', cardSn: null, card: null, idCard: null };

function info(insuinfo: { insutype: string; psn_insu_stas: string; insuplc_admdvs: string }[]) {
  return PersonInfoOutput.parse({
    baseinfo: { psn_no: 'P001', psn_name: '张小三', certno: '320211197001011234', gend: '1', brdy: '1970-01-01', exp_content: '{"card_stas":"1"}' },
    insuinfo: insuinfo.map((r) => ({ balc: '12.34', psn_type: '11', ...r })),
    idetinfo: [],
  });
}

const noVisit: VisitFacts = { notEnjoyed: null, filings: [], registrations: [], openAdmissions: [] };
const view = (staffScreen: boolean): PresentationContext => ({
  checkId: 'c1',
  checkedAt: '2026-11-20 08:30:00',
  staffScreen,
  hospitalAdmdvs: HOSPITAL.admdvs,
  parameters: bundledParameters,
  admissionType: 'normal',
});

describe('eligibility facts mapping', () => {
  it('maps 1101 to the person, fen balances and the place of the chosen row', () => {
    const p = personFacts(info([{ insutype: '310', psn_insu_stas: '1', insuplc_admdvs: '320500' }]), idCard, undefined, HOSPITAL.admdvs, '2026-11-20');
    expect(p).toMatchObject({ psnNo: 'P001', name: '张小三', gender: '1', age: 56, birthDate: '1970-01-01', insuplc: '320500', cardStas: '1' });
    expect(p.rows[0]).toEqual({ insutype: '310', psnType: '11', psnInsuStas: '1', insuplcAdmdvs: '320500', balcFen: 1234 });
    expect(p.choice).toEqual({ row: p.rows[0], needsChoice: false, autoChosen: false });
  });

  it('asks when several rows are active, picks the only active one otherwise', () => {
    const a = { insutype: '310', psnType: '', psnInsuStas: '1', insuplcAdmdvs: '320200', balcFen: 0 };
    const b = { ...a, insutype: '390' };
    expect(chooseInsurance([a, b], undefined).needsChoice).toBe(true);
    expect(chooseInsurance([a, { ...b, psnInsuStas: '2' }], undefined)).toEqual({ row: a, needsChoice: false, autoChosen: true });
    expect(chooseInsurance([a, b], '390').row).toBe(b);
    expect(chooseInsurance([a], '999').row).toBeNull();
  });

  it('leaves this hospital’s own open admissions out of the conflicts', () => {
    const p = personFacts(info([{ insutype: '310', psn_insu_stas: '1', insuplc_admdvs: '320200' }]), idCard, undefined, HOSPITAL.admdvs, '2026-11-20');
    const visit: VisitFacts = {
      ...noVisit,
      openAdmissions: [
        { mdtrtId: 'M-ours-by-code', begndate: '2026-11-01', fixmedinsCode: HOSPITAL.code },
        { mdtrtId: 'M-ours-by-store', begndate: '2026-11-01', fixmedinsCode: null },
        { mdtrtId: 'M-elsewhere', begndate: '2026-11-01', fixmedinsCode: 'H999' },
      ],
    };
    const facts = eligibilityFacts(p, idCard, visit, { hospital: HOSPITAL, ourMdtrtIds: new Set(['M-ours-by-store']), insutype: '310', emergency: false, today: '2026-11-20' });
    expect(facts.openAdmissionsElsewhere.map((a) => a.mdtrtId)).toEqual(['M-elsewhere']);
    expect(facts.hospital).toEqual({ admdvs: '320200', networkedInProvince: true, networkedCrossProvince: true });
    expect(facts.card).toBeNull(); // card checks only for a 社会保障卡
  });

  it('computes the age from the birth day when 1101 gives none', () => {
    expect(ageOf(null, '1970-11-21', '2026-11-20')).toBe(55);
    expect(ageOf(null, '1970-11-20', '2026-11-20')).toBe(56);
    expect(ageOf('42', null, '2026-11-20')).toBe(42);
    expect(ageOf(null, 'garbage', '2026-11-20')).toBeNull();
  });
});

describe('eligibility presentation', () => {
  it('masks the name on the kiosk only, and asks for the insutype when needed', () => {
    const p = personFacts(
      info([
        { insutype: '310', psn_insu_stas: '1', insuplc_admdvs: '320200' },
        { insutype: '390', psn_insu_stas: '1', insuplc_admdvs: '320200' },
      ]),
      idCard,
      undefined,
      HOSPITAL.admdvs,
      '2026-11-20',
    );
    const kiosk = presentChoice(p, idCard, view(false));
    expect(kiosk.decision.person.displayName).toBe('张*三');
    expect(kiosk.decision.person.displayCertNo).not.toContain('19700101');
    expect(kiosk.decision).toMatchObject({ needsInsutypeChoice: true, chosenInsutype: null, direct: false, scope: 'local', checkId: 'c1' });
    expect(kiosk.decision.reasons[0]?.text).toContain('2个正常参保的险种');
    expect(kiosk.basis).toMatchObject({ insutype: null, direct: false, person: { name: '张小三' } });
    expect(presentChoice(p, idCard, view(true)).decision.person.displayName).toBe('张小三');
  });

  it('adds the service’s reasons to the rules’ and keeps the basis of the admission', () => {
    const p = personFacts(
      info([
        { insutype: '310', psn_insu_stas: '1', insuplc_admdvs: '320200' },
        { insutype: '390', psn_insu_stas: '2', insuplc_admdvs: '320200' },
      ]),
      idCard,
      undefined,
      HOSPITAL.admdvs,
      '2026-11-20',
    );
    const insutype = decidedInsutype(p, undefined);
    const visit = { ...noVisit, notEnjoyed: '待遇等待期' };
    const facts = eligibilityFacts(p, idCard, visit, { hospital: HOSPITAL, ourMdtrtIds: new Set(), insutype, emergency: false, today: '2026-11-20' });
    const rule = decideEligibility(bundledParameters, facts, p.insuplc);
    const { decision, basis } = presentDecision(p, idCard, { insutype, rule, visit }, view(true));
    expect(insutype).toBe('310');
    expect(decision.reasons[0]?.code).toBe('insutype-auto');
    expect(decision.reasons.map((r) => r.code)).toContain('treatment-check');
    expect(decision.direct).toBe(false); // the waiting period refuses direct settlement
    expect(basis).toMatchObject({ insutype: '310', direct: false, refusals: rule.refusals, credential: { certType: '02', certNo: idCard.certNo } });
    const cached = presentCached(decision, 12);
    expect(cached.cached).toBe(true);
    expect(cached.reasons[0]?.text).toContain('12分钟前（2026-11-20 08:30:00）');
    expect(cached.guidance.at(-1)?.code).toBe('recheck-online');
  });
});

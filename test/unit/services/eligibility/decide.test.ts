import { describe, expect, it } from 'vitest';
import { decideEligibility } from '../../../../services/eligibility/policy/decide.ts';
import type { EligibilityFacts, FilingFact, RegistrationFact } from '../../../../services/eligibility/policy/facts.ts';
import { bundledParameters, toEligibilityParameters } from '../../../../services/eligibility/policy/parameters.ts';
import bundledJson from '../../../../policy/parameters.json' with { type: 'json' };

/**
 * settlement-rules.md §1–3 and §6, one test per rule and per refusal. Expected outcomes are written here by
 * hand from the rulebook and parameters.json (0.20 = in-province unfiled, 0.05 referral …), never computed.
 * The hospital is the demo's: 无锡 320200, networked in province and across provinces.
 */
const TODAY = '2026-11-24';
const P = bundledParameters;

function facts(over: Partial<EligibilityFacts> = {}): EligibilityFacts {
  return {
    hospital: { admdvs: '320200', networkedInProvince: true, networkedCrossProvince: true },
    certType: '03',
    card: { stas: '1', expiryDate: '2031-05-31' },
    currentCard: { cardSn: 'SN-CURRENT', provincial: true },
    insutype: '310',
    insurance: { insutype: '310', psnType: '1101', psnInsuStas: '1', insuplcAdmdvs: '320200', balcFen: 100_00 },
    waitingPeriod: false,
    filings: [],
    registrations: [],
    openAdmissionsElsewhere: [],
    emergency: false,
    admissionDay: TODAY,
    decisionDay: TODAY,
    ...over,
  };
}
const filing = (over: Partial<FilingFact>): FilingFact => ({
  id: 'F1', dclaType: '02', targetAdmdvs: '320200', begndate: '2026-01-01', enddate: null, createdDay: '2026-01-01', valid: true, ...over,
});
const registration = (over: Partial<RegistrationFact> = {}): RegistrationFact => ({
  id: 'R1', insuAdmdvs: '320281', trtAdmdvs: '320200', cardSn: 'SN-CURRENT', begndate: '2025-01-01', enddate: null, valid: true, ...over,
});

describe('§1 places and cases', () => {
  it('same pooling area (same code) is local, no reduction, direct', () => {
    const d = decideEligibility(P, facts(), '320200');
    expect(d).toMatchObject({ scope: 'local', visitCase: 'local', reduction: 0, direct: true, refusals: [] });
    expect(d.reasons.map((r) => r.code)).toContain('scope-local');
  });

  it('a valid 大市一卡通 registration makes 江阴 → 无锡 local', () => {
    const d = decideEligibility(P, facts({ registrations: [registration()] }), '320281');
    expect(d).toMatchObject({ scope: 'local', visitCase: 'local', reduction: 0, direct: true });
    expect(d.caseOutcome.registration?.id).toBe('R1');
    expect(d.reasons[0]?.code).toBe('scope-local-dsyk');
  });

  it('without a registration 江阴 → 无锡 is in-province (requiresRegistration), unfiled: 20 points, direct (江阴 allows)', () => {
    const d = decideEligibility(P, facts(), '320281');
    expect(d).toMatchObject({ scope: 'in-province', visitCase: 'unfiled', reduction: 0.2, direct: true });
  });

  it('a registration made with a card since replaced is void', () => {
    const d = decideEligibility(P, facts({ registrations: [registration({ cardSn: 'SN-OLD' })] }), '320281');
    expect(d).toMatchObject({ scope: 'in-province', visitCase: 'unfiled', reduction: 0.2 });
  });

  it('a registration counts only with a 省卡, only for employees (310), only while valid, only for its own areas', () => {
    expect(decideEligibility(P, facts({ registrations: [registration()], currentCard: { cardSn: 'SN-CURRENT', provincial: false } }), '320281').scope).toBe('in-province');
    const resident = facts({ registrations: [registration()], insutype: '390', insurance: { insutype: '390', psnType: '1501', psnInsuStas: '1', insuplcAdmdvs: '320281', balcFen: 0 } });
    expect(decideEligibility(P, resident, '320281').scope).toBe('in-province');
    expect(decideEligibility(P, facts({ registrations: [registration({ valid: false })] }), '320281').scope).toBe('in-province');
    expect(decideEligibility(P, facts({ registrations: [registration({ trtAdmdvs: '320282' })] }), '320281').scope).toBe('in-province');
    expect(decideEligibility(P, facts({ registrations: [registration({ begndate: '2026-12-01' })] }), '320281').scope).toBe('in-province');
  });

  it('registration and filing both active: local, not refused, and the conflict is reported', () => {
    const d = decideEligibility(P, facts({ registrations: [registration()], filings: [filing({ dclaType: '02', targetAdmdvs: '320200' })] }), '320281');
    expect(d).toMatchObject({ scope: 'local', visitCase: 'local', direct: true, reduction: 0 });
    expect(d.conflicts).toHaveLength(1);
    expect(d.conflicts[0]?.code).toBe('dsyk-and-filing');
    expect(d.conflicts[0]?.text).toMatch(/撤销其中一项/);
  });

  it('no conflict when the registration is void (reissued card)', () => {
    const d = decideEligibility(P, facts({ registrations: [registration({ cardSn: 'SN-OLD' })], filings: [filing({})] }), '320281');
    expect(d.conflicts).toEqual([]);
    expect(d).toMatchObject({ scope: 'in-province', visitCase: 'filed-long-term', reduction: 0 });
  });

  it('in-province filings: long-term 0, referral 5 points, temporary (province target) 10 points', () => {
    expect(decideEligibility(P, facts({ filings: [filing({ dclaType: '02' })] }), '320100')).toMatchObject({ scope: 'in-province', visitCase: 'filed-long-term', reduction: 0, direct: true });
    expect(decideEligibility(P, facts({ filings: [filing({ dclaType: '04', enddate: '2027-03-31' })] }), '320400')).toMatchObject({ visitCase: 'filed-referral', reduction: 0.05, direct: true });
    expect(decideEligibility(P, facts({ filings: [filing({ dclaType: '05', targetAdmdvs: '320000', enddate: '2027-03-31' })] }), '320500')).toMatchObject({ visitCase: 'filed-temporary', reduction: 0.1, direct: true });
  });

  it('in-province unfiled: 20 points where the 参保地 allows it (南京), refused where it does not (宜兴)', () => {
    expect(decideEligibility(P, facts(), '320100')).toMatchObject({ scope: 'in-province', visitCase: 'unfiled', reduction: 0.2, direct: true });
    const yx = decideEligibility(P, facts(), '320282');
    expect(yx).toMatchObject({ scope: 'in-province', visitCase: 'unfiled', direct: false, reduction: 0, refusals: ['in-province-unfiled-not-direct'] });
  });

  it('a 参保地 absent from the parameters is read as inProvinceUnfiledDirect false (徐州)', () => {
    expect(decideEligibility(P, facts(), '320300')).toMatchObject({ direct: false, refusals: ['in-province-unfiled-not-direct'] });
  });

  it('cross-province: filed long-term 0, temporary 20 points; unfiled refused', () => {
    expect(decideEligibility(P, facts({ filings: [filing({ dclaType: '01' })] }), '340100')).toMatchObject({ scope: 'cross-province', visitCase: 'filed-long-term', reduction: 0, direct: true });
    expect(decideEligibility(P, facts({ filings: [filing({ dclaType: '05', targetAdmdvs: '320000' })] }), '310000')).toMatchObject({ visitCase: 'filed-temporary', reduction: 0.2, direct: true });
    expect(decideEligibility(P, facts(), '340100')).toMatchObject({ scope: 'cross-province', visitCase: 'unfiled', direct: false, reduction: 0, refusals: ['cross-province-unfiled'] });
  });

  it('emergency counts as filed: cross-province 10 points, in-province 0', () => {
    expect(decideEligibility(P, facts({ emergency: true }), '340100')).toMatchObject({ visitCase: 'emergency', reduction: 0.1, direct: true });
    expect(decideEligibility(P, facts({ emergency: true }), '320100')).toMatchObject({ visitCase: 'emergency', reduction: 0, direct: true });
  });

  it('the smallest reduction wins; ties go to the earlier candidate (emergency, long-term, referral, temporary)', () => {
    // cross-province: emergency 0.10 vs temporary 0.20 → emergency
    expect(decideEligibility(P, facts({ emergency: true, filings: [filing({ dclaType: '05' })] }), '340100').visitCase).toBe('emergency');
    // cross-province: emergency 0.10 vs referral 0.10 → tie → emergency
    expect(decideEligibility(P, facts({ emergency: true, filings: [filing({ dclaType: '04' })] }), '340100').visitCase).toBe('emergency');
    // cross-province: emergency 0.10 vs long-term 0 → long-term
    expect(decideEligibility(P, facts({ emergency: true, filings: [filing({ dclaType: '03' })] }), '340100')).toMatchObject({ visitCase: 'filed-long-term', reduction: 0 });
    // in-province: referral 0.05 vs temporary 0.10 → referral
    expect(decideEligibility(P, facts({ filings: [filing({ id: 'T', dclaType: '05' }), filing({ id: 'R', dclaType: '04' })] }), '320100').caseOutcome.filing?.id).toBe('R');
    // in-province: emergency 0 vs long-term 0 → tie → emergency
    expect(decideEligibility(P, facts({ emergency: true, filings: [filing({ dclaType: '02' })] }), '320100').visitCase).toBe('emergency');
  });

  it('a filing covers its city (first 4 digits, either way) or its province; not another city', () => {
    expect(decideEligibility(P, facts({ filings: [filing({ targetAdmdvs: '320281' })] }), '320100').visitCase).toBe('filed-long-term');
    expect(decideEligibility(P, facts({ filings: [filing({ targetAdmdvs: '320000' })] }), '320100').visitCase).toBe('filed-long-term');
    expect(decideEligibility(P, facts({ filings: [filing({ targetAdmdvs: '320500' })] }), '320100').visitCase).toBe('unfiled');
    expect(decideEligibility(P, facts({ filings: [filing({ targetAdmdvs: '340000' })] }), '310000').visitCase).toBe('unfiled');
  });

  it('filing validity: inside the dates; ended before admission no; future no; cancelled no', () => {
    const ok = facts({ filings: [filing({ begndate: '2026-06-01', enddate: TODAY })] });
    expect(decideEligibility(P, ok, '320100').visitCase).toBe('filed-long-term'); // the end day itself is valid
    expect(decideEligibility(P, facts({ filings: [filing({ begndate: '2026-01-01', enddate: '2026-11-23' })] }), '320100').visitCase).toBe('unfiled');
    expect(decideEligibility(P, facts({ filings: [filing({ begndate: '2026-11-25' })] }), '320100').visitCase).toBe('unfiled');
    expect(decideEligibility(P, facts({ filings: [filing({ valid: false })] }), '320100').visitCase).toBe('unfiled');
  });

  it('admitted inside a filing keeps it to discharge even after it ends', () => {
    const f = facts({ admissionDay: '2026-11-01', decisionDay: '2026-11-24', filings: [filing({ begndate: '2026-05-01', enddate: '2026-11-10' })] });
    expect(decideEligibility(P, f, '340100')).toMatchObject({ visitCase: 'filed-long-term', direct: true });
  });

  it('补办备案: made after admission and on or before the settlement day counts whatever its begndate; after it never', () => {
    const late = filing({ dclaType: '05', begndate: '2026-11-20', enddate: '2027-05-20', createdDay: '2026-11-20' });
    expect(decideEligibility(P, facts({ admissionDay: '2026-11-10', decisionDay: '2026-11-24', filings: [late] }), '340100')).toMatchObject({ visitCase: 'filed-temporary', direct: true, reduction: 0.2 });
    const tooLate = filing({ dclaType: '05', begndate: '2026-11-20', createdDay: '2026-11-25' });
    expect(decideEligibility(P, facts({ admissionDay: '2026-11-10', decisionDay: '2026-11-24', filings: [tooLate] }), '340100')).toMatchObject({ visitCase: 'unfiled', direct: false });
  });

  it('reads every number from the parameters it is given', () => {
    const json = structuredClone(bundledJson) as { reductions: Record<string, Record<string, number>>; regions: Record<string, Record<string, unknown>> };
    json.reductions['in-province']!.unfiled = 0.15;
    json.regions['320282']!.inProvinceUnfiledDirect = true;
    const custom = toEligibilityParameters(json);
    expect(decideEligibility(custom, facts(), '320100').reduction).toBe(0.15);
    expect(decideEligibility(custom, facts(), '320282')).toMatchObject({ direct: true, reduction: 0.15 });
  });
});

describe('§2 refusals of direct settlement', () => {
  const cardCases: [string, string][] = [
    ['2', 'card-not-activated'],
    ['3', 'card-temp-lost'],
    ['4', 'card-lost'],
    ['5', 'card-cancelled'],
    ['6', 'card-replaced'],
    ['7', 'card-expired'],
    ['9', 'card-status-abnormal'],
  ];
  for (const [stas, code] of cardCases) {
    it(`card_stas ${stas} → ${code}, no reduction, 零星报销 guidance`, () => {
      const d = decideEligibility(P, facts({ card: { stas, expiryDate: '2031-05-31' } }), '320200');
      expect(d).toMatchObject({ direct: false, reduction: 0, refusals: [code] });
      expect(d.guidance.map((g) => g.code)).toEqual(expect.arrayContaining(['self-pay', 'doc-invoice', 'doc-fee-list', 'doc-diagnosis']));
    });
  }

  it('a card past its 有效期 is refused; the 有效期 day itself is valid', () => {
    expect(decideEligibility(P, facts({ card: { stas: '1', expiryDate: '2026-11-23' } }), '320200').refusals).toEqual(['card-expired']);
    expect(decideEligibility(P, facts({ card: { stas: '1', expiryDate: TODAY } }), '320200').direct).toBe(true);
  });

  it('card checks apply only when the credential is a card', () => {
    for (const certType of ['01', '02'] as const) {
      expect(decideEligibility(P, facts({ certType, card: { stas: '4', expiryDate: '2020-01-01' } }), '320200').direct).toBe(true);
    }
  });

  it('lost or not-activated card: guidance offers the 医保电子凭证 or the ID card', () => {
    for (const stas of ['2', '3', '4']) {
      const d = decideEligibility(P, facts({ card: { stas, expiryDate: null } }), '320200');
      expect(d.guidance.some((g) => g.text.includes('医保电子凭证') && g.text.includes('身份证'))).toBe(true);
    }
  });

  it('no row with psn_insu_stas 1 for the chosen insutype', () => {
    expect(decideEligibility(P, facts({ insurance: null }), '320200').refusals).toEqual(['no-active-insurance']);
    const suspended = facts({ insurance: { insutype: '310', psnType: '1101', psnInsuStas: '2', insuplcAdmdvs: '320200', balcFen: 0 } });
    expect(decideEligibility(P, suspended, '320200').refusals).toEqual(['no-active-insurance']);
  });

  it('waiting period', () => {
    expect(decideEligibility(P, facts({ waitingPeriod: true }), '320200').refusals).toEqual(['waiting-period']);
  });

  it('a hospital not networked for the scope', () => {
    const h = { admdvs: '320200', networkedInProvince: false, networkedCrossProvince: false };
    expect(decideEligibility(P, facts({ hospital: h, filings: [filing({})] }), '340100').refusals).toEqual(['not-networked-cross-province']);
    expect(decideEligibility(P, facts({ hospital: h, filings: [filing({})] }), '320100').refusals).toEqual(['not-networked-in-province']);
    expect(decideEligibility(P, facts({ hospital: h }), '320200').direct).toBe(true); // local needs no networking
  });

  // Issue 13 · 4: channels by insured place, each reason once, the hospital's own window and phone.
  it('cross-province unfiled: guidance to file through the national channels only (江苏医保云 serves Jiangsu insured)', () => {
    const d = decideEligibility(P, facts(), '310000');
    const file = d.guidance.find((g) => g.code === 'file-before-discharge');
    expect(file?.text).toMatch(/国家医保服务平台 APP/);
    expect(file?.text).toMatch(/国家异地就医备案微信小程序/);
    expect(d.guidance.map((g) => g.text).join('')).not.toMatch(/江苏医保云/);
  });

  it('cross-province unfiled: "not filed" is said once, not again in the refusal\'s words', () => {
    const d = decideEligibility(P, facts(), '340100');
    expect(d.refusals).toEqual(['cross-province-unfiled']);
    expect(d.reasons.filter((r) => /未办理备案|未办理异地就医备案/.test(r.text)).map((r) => r.code)).toEqual(['cross-province-unfiled']);
  });

  it('in-province unfiled (Jiangsu insured): 江苏医保云 is named with the national channels', () => {
    const d = decideEligibility(P, facts(), '320100');
    expect(d.guidance.map((g) => g.text).join('')).toMatch(/江苏医保云/);
  });

  it('江阴 employee without 大市一卡通: its registration channels (江阴市民卡微信公众号, the 社保 windows) come first', () => {
    const d = decideEligibility(P, facts({ insurance: { insutype: '310', psnType: '1101', psnInsuStas: '1', insuplcAdmdvs: '320281', balcFen: 0 } }), '320281');
    expect(d.guidance[0]?.code).toBe('dsyk-register');
    expect(d.guidance[0]?.text).toMatch(/江阴市民卡微信公众号/);
    expect(d.guidance[0]?.text).toMatch(/社保窗口/);
  });

  it('the hospital’s own window and phone close the guidance; no reason or guidance line is repeated', () => {
    const d = decideEligibility(P, facts({ hospital: { admdvs: '320200', networkedInProvince: true, networkedCrossProvince: true, help: { insuranceWindow: '门诊大厅医保窗口', phone: '0510-1234' } } }), '310000');
    expect(d.guidance.at(-1)?.text).toBe('如有疑问，请到门诊大厅医保窗口咨询，或致电 0510-1234。');
    for (const list of [d.reasons, d.guidance]) {
      expect(new Set(list.map((r) => r.code)).size).toBe(list.length);
      expect(new Set(list.map((r) => r.text)).size).toBe(list.length);
    }
  });

  it('a refused card does not promise 本地就医待遇 beside the refusal', () => {
    const d = decideEligibility(P, facts({ card: { stas: '6', expiryDate: '2031-05-31' } }), '320200');
    expect(d.direct).toBe(false);
    expect(d.reasons.map((r) => r.text).join('')).not.toMatch(/按本地就医待遇结算/);
  });

  it('an open admission at another hospital', () => {
    const d = decideEligibility(P, facts({ openAdmissionsElsewhere: [{ mdtrtId: 'M1', begndate: '2026-11-01', fixmedinsCode: 'H32010000009' }] }), '320200');
    expect(d.refusals).toEqual(['open-admission-elsewhere']);
  });

  it('collects every reason, in the rulebook order', () => {
    const d = decideEligibility(P, facts({ card: { stas: '4', expiryDate: '2020-01-01' }, waitingPeriod: true, openAdmissionsElsewhere: [{ mdtrtId: 'M', begndate: TODAY, fixmedinsCode: null }] }), '340100');
    expect(d.refusals).toEqual(['card-lost', 'card-expired', 'waiting-period', 'cross-province-unfiled', 'open-admission-elsewhere']);
    expect(d.reasons.filter((r) => d.refusals.includes(r.code as never))).toHaveLength(5);
  });

  it('a direct in-province unfiled visit is told a temporary filing would cut the reduction (20 → 10)', () => {
    const d = decideEligibility(P, facts(), '320100');
    expect(d.guidance.find((g) => g.code === 'file-for-better-ratio')?.text).toMatch(/少降低10个百分点/);
  });
});

describe('bundled parameters', () => {
  it('loads, with the 无锡 group requiring registration', () => {
    expect(P.poolingGroups[0]).toMatchObject({ areas: ['320200', '320281', '320282'], requiresRegistration: true });
    expect(P.regions['320282']?.inProvinceUnfiledDirect).toBe(false);
    expect(P.regions['340100']?.inProvinceUnfiledDirect).toBe(false);
  });
  it('refuses a document with an unknown case', () => {
    const json = structuredClone(bundledJson) as { reductions: Record<string, Record<string, number>> };
    json.reductions.local!['bogus'] = 0;
    expect(() => toEligibilityParameters(json)).toThrow(/unknown case/);
  });
});

import { describe, expect, it } from 'vitest';
import { decideCase, type CaseInput } from '../../../../../insurance/sandbox/policy/visit-case.ts';
import { filingCountsForSettlement, filingCoversHospital } from '../../../../../insurance/sandbox/policy/filing.ts';
import type { FilingFacts, RegistrationFacts } from '../../../../../insurance/sandbox/policy/types.ts';
import { PARAMS } from './params.ts';

// settlement-rules §1, §3, §6. Reductions from parameters.json, 10^4-scaled: in-province emergency 0,
// long-term 0, referral 500, temporary 1000, unfiled 2000; cross-province emergency 1000, long-term 0,
// referral 1000, temporary 2000, unfiled none.

const CARD = { cardSn: '320281D1560000058E88E57E1E300832', provincial: true };

function input(over: Partial<CaseInput>): CaseInput {
  return {
    poolingGroups: PARAMS.poolingGroups,
    reductionsE4: PARAMS.reductionsE4,
    insuplcAdmdvs: '320200',
    insutype: '310',
    hospitalAdmdvs: '320200',
    currentCard: CARD,
    registrations: [],
    filings: [],
    emergency: false,
    admissionDay: '2026-03-01',
    settlementDay: '2026-03-10',
    ...over,
  };
}

function filing(over: Partial<FilingFacts>): FilingFacts {
  return { sn: 'F1', dclaType: '02', targetAdmdvs: '320200', begndate: '2026-01-01', enddate: null, createdDay: '2026-01-01', valid: true, ...over };
}

function registration(over: Partial<RegistrationFacts> = {}): RegistrationFacts {
  return { id: 'R1', insuAdmdvs: '320281', trtAdmdvs: '320200', cardSn: CARD.cardSn, begndate: '2025-01-01', valid: true, ...over };
}

describe('case local', () => {
  it('same 6-digit code: local, no reduction', () => {
    expect(decideCase(input({}))).toMatchObject({ scope: 'local', visitCase: 'local', reductionE4: 0, conflicts: [] });
  });

  it('a pooling group that requires registration is not one area without it (Jiangyin at a Wuxi hospital)', () => {
    expect(decideCase(input({ insuplcAdmdvs: '320281' }))).toMatchObject({ scope: 'in-province', visitCase: 'unfiled', reductionE4: 2_000 });
  });

  it('a valid 大市一卡通 registration makes the visit local', () => {
    const d = decideCase(input({ insuplcAdmdvs: '320281', registrations: [registration()] }));
    expect(d).toMatchObject({ scope: 'local', visitCase: 'local', reductionE4: 0, registrationId: 'R1' });
  });

  it('a registration made with a card since replaced is void', () => {
    const d = decideCase(input({ insuplcAdmdvs: '320281', registrations: [registration()], currentCard: { cardSn: '320281D15600000561F4EC5511C3223A', provincial: true } }));
    expect(d).toMatchObject({ scope: 'in-province', visitCase: 'unfiled' });
  });

  it('a registration needs a provincial card', () => {
    const d = decideCase(input({ insuplcAdmdvs: '320281', registrations: [registration()], currentCard: { ...CARD, provincial: false } }));
    expect(d.visitCase).toBe('unfiled');
  });

  it('a registration is for employees (310) only', () => {
    const d = decideCase(input({ insuplcAdmdvs: '320281', insutype: '390', registrations: [registration()] }));
    expect(d.visitCase).toBe('unfiled');
  });

  it('a cancelled registration, one not yet begun, or one naming another treatment area does not count', () => {
    expect(decideCase(input({ insuplcAdmdvs: '320281', registrations: [registration({ valid: false })] })).visitCase).toBe('unfiled');
    expect(decideCase(input({ insuplcAdmdvs: '320281', registrations: [registration({ begndate: '2026-03-11' })] })).visitCase).toBe('unfiled');
    expect(decideCase(input({ insuplcAdmdvs: '320281', registrations: [registration({ trtAdmdvs: '320282' })] })).visitCase).toBe('unfiled');
  });

  it('a registration outside any pooling group does not count', () => {
    const d = decideCase(input({ insuplcAdmdvs: '320100', registrations: [registration({ insuAdmdvs: '320100' })] }));
    expect(d).toMatchObject({ scope: 'in-province', visitCase: 'unfiled' });
  });

  it('a group without requiresRegistration is one pooling area', () => {
    const groups = [{ name: 'g', areas: ['320200', '320281'], requiresRegistration: false }];
    expect(decideCase(input({ insuplcAdmdvs: '320281', poolingGroups: groups }))).toMatchObject({ scope: 'local', visitCase: 'local' });
  });

  it('a registration and a filing both active: local, and the conflict is reported (not a refusal)', () => {
    const d = decideCase(input({ insuplcAdmdvs: '320281', registrations: [registration()], filings: [filing({ targetAdmdvs: '320000', dclaType: '05' })] }));
    expect(d).toMatchObject({ scope: 'local', visitCase: 'local', reductionE4: 0 });
    expect(d.conflicts).toHaveLength(1);
    expect(d.conflicts[0]).toMatchObject({ code: 'dsyk-and-filing', registrationIds: ['R1'], filingSns: ['F1'] });
  });

  it('no conflict once the registration is voided by a new card, or the filing has ended', () => {
    const voided = decideCase(input({ insuplcAdmdvs: '320281', registrations: [registration()], filings: [filing({})], currentCard: { cardSn: 'OTHER', provincial: true } }));
    expect(voided.conflicts).toEqual([]);
    const ended = decideCase(input({ insuplcAdmdvs: '320281', registrations: [registration()], filings: [filing({ enddate: '2026-03-09' })] }));
    expect(ended.conflicts).toEqual([]);
  });

  it('local: nothing else is considered (an emergency at home is still local)', () => {
    expect(decideCase(input({ emergency: true, filings: [filing({ dclaType: '04' })] }))).toMatchObject({ visitCase: 'local', reductionE4: 0 });
  });
});

describe('candidates', () => {
  it('emergency, in-province: reduction 0', () => {
    expect(decideCase(input({ insuplcAdmdvs: '320100', emergency: true }))).toMatchObject({ scope: 'in-province', visitCase: 'emergency', reductionE4: 0 });
  });
  it('emergency, cross-province: reduction 0.10', () => {
    expect(decideCase(input({ insuplcAdmdvs: '340100', emergency: true }))).toMatchObject({ scope: 'cross-province', visitCase: 'emergency', reductionE4: 1_000 });
  });
  it.each([
    ['01', 'filed-long-term', 0],
    ['02', 'filed-long-term', 0],
    ['03', 'filed-long-term', 0],
    ['04', 'filed-referral', 500],
    ['05', 'filed-temporary', 1_000],
  ])('in-province filing of dcla_type %s: %s, reduction %i', (dclaType, visitCase, reductionE4) => {
    const d = decideCase(input({ insuplcAdmdvs: '320100', filings: [filing({ dclaType })] }));
    expect(d).toMatchObject({ scope: 'in-province', visitCase, reductionE4, filingSn: 'F1' });
  });
  it.each([
    ['01', 'filed-long-term', 0],
    ['04', 'filed-referral', 1_000],
    ['05', 'filed-temporary', 2_000],
  ])('cross-province filing of dcla_type %s: %s, reduction %i', (dclaType, visitCase, reductionE4) => {
    const d = decideCase(input({ insuplcAdmdvs: '310000', filings: [filing({ dclaType })] }));
    expect(d).toMatchObject({ scope: 'cross-province', visitCase, reductionE4 });
  });
  it('unfiled cross-province: no reduction exists (refused in §2)', () => {
    expect(decideCase(input({ insuplcAdmdvs: '340100' }))).toMatchObject({ scope: 'cross-province', visitCase: 'unfiled', reductionE4: null });
  });
  it('an unknown filing category is no candidate', () => {
    expect(decideCase(input({ insuplcAdmdvs: '320100', filings: [filing({ dclaType: '99' })] })).visitCase).toBe('unfiled');
  });

  it('the smallest reduction wins: cross-province emergency (0.10) over a temporary filing (0.20)', () => {
    const d = decideCase(input({ insuplcAdmdvs: '310000', emergency: true, filings: [filing({ dclaType: '05' })] }));
    expect(d).toMatchObject({ visitCase: 'emergency', reductionE4: 1_000, filingSn: null });
  });
  it('the smallest reduction wins: cross-province long-term (0) over emergency (0.10)', () => {
    const d = decideCase(input({ insuplcAdmdvs: '340100', emergency: true, filings: [filing({ dclaType: '01' })] }));
    expect(d).toMatchObject({ visitCase: 'filed-long-term', reductionE4: 0 });
  });
  it('the smallest reduction wins among filings: referral (0.05) over temporary (0.10), in-province', () => {
    const d = decideCase(input({ insuplcAdmdvs: '320400', filings: [filing({ sn: 'T', dclaType: '05' }), filing({ sn: 'R', dclaType: '04' })] }));
    expect(d).toMatchObject({ visitCase: 'filed-referral', reductionE4: 500, filingSn: 'R' });
  });
  it('ties go to the earlier in the list: in-province emergency (0) before long-term (0)', () => {
    const d = decideCase(input({ insuplcAdmdvs: '320100', emergency: true, filings: [filing({ dclaType: '02' })] }));
    expect(d).toMatchObject({ visitCase: 'emergency', reductionE4: 0 });
  });
  it('ties go to the earlier in the list: cross-province emergency (0.10) before referral (0.10)', () => {
    const d = decideCase(input({ insuplcAdmdvs: '340100', emergency: true, filings: [filing({ dclaType: '04' })] }));
    expect(d).toMatchObject({ visitCase: 'emergency', reductionE4: 1_000 });
  });
  it('ties go to the earlier in the list whatever the filings\' order: long-term before temporary at equal reduction', () => {
    const reductionsE4 = { ...PARAMS.reductionsE4, 'in-province': { 'filed-long-term': 300, 'filed-temporary': 300, unfiled: 2_000 } };
    const d = decideCase(input({ insuplcAdmdvs: '320100', reductionsE4, filings: [filing({ sn: 'T', dclaType: '05' }), filing({ sn: 'L', dclaType: '01' })] }));
    expect(d).toMatchObject({ visitCase: 'filed-long-term', filingSn: 'L' });
  });
  it('a candidate without a reduction in the parameters is skipped', () => {
    const reductionsE4 = { ...PARAMS.reductionsE4, 'in-province': { unfiled: 2_000 } };
    expect(decideCase(input({ insuplcAdmdvs: '320100', reductionsE4, emergency: true })).visitCase).toBe('unfiled');
  });
});

describe('filing coverage (§1, §6)', () => {
  it('a city target covers its city by the first 4 digits, both ways', () => {
    expect(filingCoversHospital('320200', '320281')).toBe(true);
    expect(filingCoversHospital('320281', '320200')).toBe(true);
    expect(filingCoversHospital('320200', '320200')).toBe(true);
    expect(filingCoversHospital('320100', '320200')).toBe(false);
  });
  it('a province target covers the province by the first 2 digits', () => {
    expect(filingCoversHospital('320000', '320281')).toBe(true);
    expect(filingCoversHospital('320000', '340100')).toBe(false);
  });
  it('a filing whose target does not cover the hospital is no candidate', () => {
    expect(decideCase(input({ insuplcAdmdvs: '320400', filings: [filing({ targetAdmdvs: '320100', dclaType: '04' })] })).visitCase).toBe('unfiled');
  });
});

describe('filing validity (§1, §6)', () => {
  const adm = '2026-03-01';
  const setl = '2026-03-10';
  it('counts when begndate ≤ admission day ≤ enddate', () => {
    expect(filingCountsForSettlement(filing({ begndate: '2026-02-01', enddate: '2026-08-01', createdDay: '2026-02-01' }), adm, setl)).toBe(true);
    expect(filingCountsForSettlement(filing({ begndate: adm, enddate: adm, createdDay: '2026-02-01' }), adm, setl)).toBe(true);
  });
  it('does not count when the admission is before begndate or after enddate', () => {
    expect(filingCountsForSettlement(filing({ begndate: '2026-03-02', createdDay: '2026-02-01' }), adm, setl)).toBe(false);
    expect(filingCountsForSettlement(filing({ begndate: '2025-09-01', enddate: '2026-02-28', createdDay: '2025-09-01' }), adm, setl)).toBe(false);
  });
  it('no enddate: long-term', () => {
    expect(filingCountsForSettlement(filing({ begndate: '2020-01-01', enddate: null, createdDay: '2020-01-01' }), adm, setl)).toBe(true);
  });
  it('an admission begun inside the filing keeps it to discharge after it ends', () => {
    expect(filingCountsForSettlement(filing({ begndate: '2025-09-10', enddate: '2026-03-05', createdDay: '2025-09-10' }), adm, setl)).toBe(true);
  });
  it('a filing made after admission and on or before the settlement day counts, whatever its begndate (补办备案)', () => {
    expect(filingCountsForSettlement(filing({ begndate: '2026-03-05', createdDay: '2026-03-05' }), adm, setl)).toBe(true);
    expect(filingCountsForSettlement(filing({ begndate: '2026-03-10', createdDay: setl }), adm, setl)).toBe(true);
  });
  it('a filing created after the settlement day never counts for that settlement', () => {
    expect(filingCountsForSettlement(filing({ begndate: '2026-01-01', createdDay: '2026-03-11' }), adm, setl)).toBe(false);
  });
  it('a filing created on the admission day is judged by its dates', () => {
    expect(filingCountsForSettlement(filing({ begndate: '2026-03-02', createdDay: adm }), adm, setl)).toBe(false);
    expect(filingCountsForSettlement(filing({ begndate: adm, createdDay: adm }), adm, setl)).toBe(true);
  });
  it('a cancelled filing never counts', () => {
    expect(filingCountsForSettlement(filing({ valid: false }), adm, setl)).toBe(false);
  });
  it('a late filing makes a cross-province visit filed', () => {
    const d = decideCase(input({ insuplcAdmdvs: '340100', filings: [filing({ dclaType: '01', begndate: '2026-03-08', createdDay: '2026-03-08' })] }));
    expect(d).toMatchObject({ scope: 'cross-province', visitCase: 'filed-long-term', reductionE4: 0 });
  });
});

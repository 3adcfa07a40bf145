import { describe, expect, it } from 'vitest';
import { directSettlementRefusals, type DirectSettlementInput } from '../../../../../insurance/sandbox/policy/direct-settlement.ts';
import { decideVisit, type VisitInput } from '../../../../../insurance/sandbox/policy/decide-visit.ts';
import { PARAMS } from './params.ts';

// settlement-rules §2, one test per refusal.

const HOSPITAL = { admdvs: '320200', level: 3 as const, networkedInProvince: true, networkedCrossProvince: true };

function input(over: Partial<DirectSettlementInput>): DirectSettlementInput {
  return {
    card: { status: 'normal', current: true, expiryDate: '2031-05-31' },
    day: '2026-03-10',
    insurance: { psnInsuStas: '1', waitingPeriod: null },
    benefitDay: '2026-03-01',
    scope: 'local',
    visitCase: 'local',
    hospital: HOSPITAL,
    inProvinceUnfiledDirect: true,
    openAdmissionElsewhere: false,
    ...over,
  };
}

describe('§2 card', () => {
  it('a normal current card within its 有效期: no refusal', () => {
    expect(directSettlementRefusals(input({}))).toEqual([]);
  });
  it.each([
    ['not-activated', 'card-not-activated'],
    ['temp-lost', 'card-temp-lost'],
    ['lost', 'card-lost'],
    ['cancelled', 'card-cancelled'],
    ['replaced', 'card-replaced'],
  ] as const)('status %s refuses with %s', (status, refusal) => {
    expect(directSettlementRefusals(input({ card: { status, current: status !== 'replaced', expiryDate: '2031-05-31' } }))).toEqual([refusal]);
  });
  it('a card that is not the current one is replaced, whatever its recorded status', () => {
    expect(directSettlementRefusals(input({ card: { status: 'normal', current: false, expiryDate: '2031-05-31' } }))).toEqual(['card-replaced']);
  });
  it('a card past its 有效期 is refused; the 有效期 day itself is valid', () => {
    expect(directSettlementRefusals(input({ card: { status: 'normal', current: true, expiryDate: '2026-03-09' } }))).toEqual(['card-expired']);
    expect(directSettlementRefusals(input({ card: { status: 'normal', current: true, expiryDate: '2026-03-10' } }))).toEqual([]);
  });
  it('card checks apply only when the credential is a card', () => {
    expect(directSettlementRefusals(input({ card: null }))).toEqual([]);
  });
});

describe('§2 insurance', () => {
  it('no insurance row for the chosen insutype', () => {
    expect(directSettlementRefusals(input({ insurance: null }))).toEqual(['no-active-insurance']);
  });
  it('psn_insu_stas other than 1 (暂停参保)', () => {
    expect(directSettlementRefusals(input({ insurance: { psnInsuStas: '2', waitingPeriod: null } }))).toEqual(['no-active-insurance']);
  });
  it('a waiting period covering the benefit day, bounds included', () => {
    const w = { begndate: '2026-02-01', enddate: '2026-03-31' };
    expect(directSettlementRefusals(input({ insurance: { psnInsuStas: '1', waitingPeriod: w } }))).toEqual(['waiting-period']);
    expect(directSettlementRefusals(input({ insurance: { psnInsuStas: '1', waitingPeriod: w }, benefitDay: '2026-02-01' }))).toEqual(['waiting-period']);
    expect(directSettlementRefusals(input({ insurance: { psnInsuStas: '1', waitingPeriod: w }, benefitDay: '2026-03-31' }))).toEqual(['waiting-period']);
    expect(directSettlementRefusals(input({ insurance: { psnInsuStas: '1', waitingPeriod: w }, benefitDay: '2026-04-01' }))).toEqual([]);
  });
});

describe('§2 hospital and case', () => {
  it('cross-province at a hospital not networked cross-province', () => {
    const hospital = { ...HOSPITAL, networkedCrossProvince: false };
    expect(directSettlementRefusals(input({ scope: 'cross-province', visitCase: 'filed-long-term', hospital }))).toEqual(['not-networked-cross-province']);
  });
  it('in-province at a hospital not networked in-province', () => {
    const hospital = { ...HOSPITAL, networkedInProvince: false };
    expect(directSettlementRefusals(input({ scope: 'in-province', visitCase: 'filed-referral', hospital }))).toEqual(['not-networked-in-province']);
  });
  it('a local visit needs no networking', () => {
    const hospital = { ...HOSPITAL, networkedInProvince: false, networkedCrossProvince: false };
    expect(directSettlementRefusals(input({ hospital }))).toEqual([]);
  });
  it('cross-province unfiled', () => {
    expect(directSettlementRefusals(input({ scope: 'cross-province', visitCase: 'unfiled' }))).toEqual(['cross-province-unfiled']);
  });
  it('in-province unfiled where the insured place does not allow it', () => {
    expect(directSettlementRefusals(input({ scope: 'in-province', visitCase: 'unfiled', inProvinceUnfiledDirect: false }))).toEqual(['in-province-unfiled-not-direct']);
  });
  it('in-province unfiled where the insured place allows it', () => {
    expect(directSettlementRefusals(input({ scope: 'in-province', visitCase: 'unfiled', inProvinceUnfiledDirect: true }))).toEqual([]);
  });
  it('an open admission at another hospital', () => {
    expect(directSettlementRefusals(input({ openAdmissionElsewhere: true }))).toEqual(['open-admission-elsewhere']);
  });
  it('lists every reason that applies, in the order of §2', () => {
    const r = directSettlementRefusals(
      input({
        card: { status: 'lost', current: true, expiryDate: '2026-01-01' },
        insurance: { psnInsuStas: '2', waitingPeriod: null },
        scope: 'cross-province',
        visitCase: 'unfiled',
        hospital: { ...HOSPITAL, networkedCrossProvince: false },
        openAdmissionElsewhere: true,
      }),
    );
    expect(r).toEqual(['card-lost', 'card-expired', 'no-active-insurance', 'not-networked-cross-province', 'cross-province-unfiled', 'open-admission-elsewhere']);
  });
});

describe('decideVisit', () => {
  function visit(over: Partial<VisitInput>): VisitInput {
    return {
      poolingGroups: PARAMS.poolingGroups,
      reductionsE4: PARAMS.reductionsE4,
      insuplcAdmdvs: '320200',
      insutype: '310',
      hospital: HOSPITAL,
      currentCard: null,
      registrations: [],
      filings: [],
      emergency: false,
      admissionDay: '2026-03-01',
      settlementDay: '2026-03-10',
      card: null,
      insurance: { psnInsuStas: '1', waitingPeriod: null },
      inProvinceUnfiledDirect: true,
      openAdmissionElsewhere: false,
      ...over,
    };
  }
  it('a refused visit has no reduction', () => {
    const d = decideVisit(visit({ insuplcAdmdvs: '320282', inProvinceUnfiledDirect: PARAMS.regions['320282']!.inProvinceUnfiledDirect }));
    expect(d).toMatchObject({ scope: 'in-province', visitCase: 'unfiled', reductionE4: null, refusals: ['in-province-unfiled-not-direct'] });
  });
  it('a direct visit keeps its reduction', () => {
    const d = decideVisit(visit({ insuplcAdmdvs: '320100', inProvinceUnfiledDirect: PARAMS.regions['320100']!.inProvinceUnfiledDirect }));
    expect(d).toMatchObject({ visitCase: 'unfiled', reductionE4: 2_000, refusals: [] });
  });
  it('judges the waiting period on the admission day', () => {
    const d = decideVisit(visit({ insurance: { psnInsuStas: '1', waitingPeriod: { begndate: '2026-01-01', enddate: '2026-03-01' } } }));
    expect(d.refusals).toEqual(['waiting-period']);
  });
});

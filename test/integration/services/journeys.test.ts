import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RegisterOutcome } from '../../../contract/dto/admission.ts';
import type { EligibilityDecision } from '../../../contract/dto/eligibility.ts';
import { credentialsOf, startHarness, type Harness } from './harness.ts';

/**
 * One journey per sandbox fixture person (fixtures/people.json): card into the virtual reader (real pty,
 * serialport) → card-read → eligibility over real HTTP against the sandbox → admission (2401) or the refusal
 * with its guidance → the stay in the real SQLite store.
 *
 * Every expected outcome is written here by hand from settlement-rules.md §1–3/§6 and parameters.json for the
 * demo hospital (无锡 320200, level 3, networked in and across provinces) on the sandbox's test day
 * 2026-11-20: never computed by the code under test.
 */
type Expect = {
  direct: boolean;
  scope: 'local' | 'in-province' | 'cross-province';
  visitCase: EligibilityDecision['visitCase'];
  reduction: number;
  refusals?: string[];
  /** Refused, but curable by filing before discharge: the platform still takes the 2401 (补办备案). */
  curable?: boolean;
  conflict?: boolean;
  card?: string;
  emergency?: boolean;
};

const OK_LOCAL: Expect = { direct: true, scope: 'local', visitCase: 'local', reduction: 0 };
const EXPECTED: Record<string, Expect> = {
  'local-employee': OK_LOCAL,
  'local-resident': OK_LOCAL,
  'retired-employee': OK_LOCAL,
  // Registration made with this (current) 省卡: 江阴 → 无锡 is local.
  'jy-dsyk-registered': OK_LOCAL,
  // No registration: 无锡 group requires one; 320281 allows in-province unfiled direct, 20 points.
  'jy-dsyk-unregistered': { direct: true, scope: 'in-province', visitCase: 'unfiled', reduction: 0.2 },
  // Registration made with the old card: void after the reissue.
  'jy-dsyk-reissued': { direct: true, scope: 'in-province', visitCase: 'unfiled', reduction: 0.2 },
  // Registration valid AND a filing active (to 南京): local, not refused, conflict reported.
  'jy-dsyk-and-filing': { ...OK_LOCAL, conflict: true },
  'nj-filed-long-term': { direct: true, scope: 'in-province', visitCase: 'filed-long-term', reduction: 0 },
  'cz-filed-referral': { direct: true, scope: 'in-province', visitCase: 'filed-referral', reduction: 0.05 },
  'sz-filed-temporary': { direct: true, scope: 'in-province', visitCase: 'filed-temporary', reduction: 0.1 },
  'nj-unfiled': { direct: true, scope: 'in-province', visitCase: 'unfiled', reduction: 0.2 },
  // 宜兴: inProvinceUnfiledDirect false → refused, but a filing before discharge cures it.
  'yx-unfiled': { direct: false, scope: 'in-province', visitCase: 'unfiled', reduction: 0, refusals: ['in-province-unfiled-not-direct'], curable: true },
  'hf-filed': { direct: true, scope: 'cross-province', visitCase: 'filed-long-term', reduction: 0 },
  'hf-unfiled': { direct: false, scope: 'cross-province', visitCase: 'unfiled', reduction: 0, refusals: ['cross-province-unfiled'], curable: true },
  'sh-filed-temporary': { direct: true, scope: 'cross-province', visitCase: 'filed-temporary', reduction: 0.2 },
  'sh-unfiled': { direct: false, scope: 'cross-province', visitCase: 'unfiled', reduction: 0, refusals: ['cross-province-unfiled'], curable: true },
  // Emergency admission counts as filed: cross-province emergency, 10 points.
  'hf-emergency': { direct: true, scope: 'cross-province', visitCase: 'emergency', reduction: 0.1, emergency: true },
  'card-not-activated': { direct: false, scope: 'local', visitCase: 'local', reduction: 0, refusals: ['card-not-activated'] },
  'card-temp-lost': { direct: false, scope: 'local', visitCase: 'local', reduction: 0, refusals: ['card-temp-lost'] },
  'card-lost': { direct: false, scope: 'local', visitCase: 'local', reduction: 0, refusals: ['card-lost'] },
  // The old card is inserted: replaced by a newer one.
  'card-replaced': { direct: false, scope: 'local', visitCase: 'local', reduction: 0, refusals: ['card-replaced'], card: 'card-replaced/old/g3' },
  // 有效期 2026-02-28 < 2026-11-20.
  'card-expired': { direct: false, scope: 'local', visitCase: 'local', reduction: 0, refusals: ['card-expired'] },
  'insurance-suspended': { direct: false, scope: 'local', visitCase: 'local', reduction: 0, refusals: ['no-active-insurance'] },
  // 待遇等待期 2026-10-15..2026-12-14.
  'waiting-period': { direct: false, scope: 'local', visitCase: 'local', reduction: 0, refusals: ['waiting-period'] },
  // Open stay at 江阴市示范人民医院 since 2026-11-15.
  'open-admission-elsewhere': { direct: false, scope: 'local', visitCase: 'local', reduction: 0, refusals: ['open-admission-elsewhere'] },
  assistance: OK_LOCAL,
  'serious-illness': OK_LOCAL,
  'near-annual-cap': OK_LOCAL,
  'small-account': OK_LOCAL,
  'long-name': OK_LOCAL,
};

const people = (JSON.parse(readFileSync(join(import.meta.dirname, '../../../fixtures/people.json'), 'utf8')) as { people: { key: string; name: string }[] }).people;

/** A free bed for every journey: the demo hospital's beds in order. */
const departments = JSON.parse(readFileSync(join(import.meta.dirname, '../../../services/admission/data/departments.json'), 'utf8')) as {
  departments: { code: string; wards: { code: string; beds: string[] }[]; doctors: { code: string; name: string }[] }[];
};
const beds = departments.departments.flatMap((d) => d.wards.flatMap((w) => w.beds.map((bed) => ({ deptCode: d.code, ward: w.code, bed, doctor: d.doctors[0]! }))));

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ mode: 'admission' });
  await h.call('operator', 'signIn', credentialsOf('1001'));
}, 60_000);
afterAll(async () => {
  await h?.close();
});

describe('journeys: one per sandbox fixture person, card read → decision → admission or refusal', () => {
  it('covers every person of people.json', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(people.map((p) => p.key).sort());
  });

  let bedIndex = 0;
  for (const person of people) {
    const want = EXPECTED[person.key]!;
    it(`${person.key}: ${want.direct ? '直接结算' : '不能直接结算'} ${want.scope}/${want.visitCase}`, async () => {
      await h.control.remove().catch(() => undefined);
      const read = await h.insert(want.card ?? `${person.key}/g3`);
      expect(read, JSON.stringify(read.payload)).toMatchObject({ name: 'card-read' });
      const admissionType = want.emergency ? 'emergency' : 'normal';
      const d = await h.call<EligibilityDecision>('eligibility', 'check', { credential: { kind: 'card' }, admissionType });

      expect(d).toMatchObject({ direct: want.direct, scope: want.scope, visitCase: want.visitCase, reduction: want.reduction, needsInsutypeChoice: false, cached: false });
      const codes = d.reasons.map((r) => r.code);
      for (const r of want.refusals ?? []) expect(codes).toContain(r);
      const refusalCodes = codes.filter((c) => (EXPECTED_REFUSAL_CODES as readonly string[]).includes(c));
      expect(refusalCodes.sort()).toEqual([...(want.refusals ?? [])].sort());
      expect(d.conflicts.length > 0).toBe(want.conflict ?? false);
      // Staff screen: the full name; ID number always masked.
      expect(d.person.displayName).toBe(person.name);
      expect(d.person.displayCertNo).toMatch(/^\d{4}\*{10}[\dX]{4}$/);

      if (!want.direct) {
        // Every refusal guides to self-pay + 零星报销 with the documents.
        const g = d.guidance.map((x) => x.code);
        expect(g).toEqual(expect.arrayContaining(['self-pay', 'doc-id', 'doc-invoice', 'doc-fee-list', 'doc-diagnosis']));
        if (want.refusals?.includes('cross-province-unfiled')) {
          // Insured outside Jiangsu: the national channels, never 江苏医保云 (it serves Jiangsu insured only).
          const filing = d.guidance.find((x) => x.code === 'file-before-discharge')?.text;
          expect(filing).toMatch(/国家医保服务平台 APP/);
          expect(filing).not.toMatch(/江苏医保云/);
        }
        if (want.refusals?.some((r) => r.startsWith('card-'))) {
          expect(d.guidance.some((x) => x.text.includes('医保电子凭证'))).toBe(true);
        }
      }

      // The admission: to the platform when direct or curable by filing; a self-pay stay otherwise.
      const bed = beds[bedIndex++]!;
      const outcome = await h.call<RegisterOutcome>('admission', 'register', {
        checkId: d.checkId,
        deptCode: bed.deptCode,
        ward: bed.ward,
        bed: bed.bed,
        attendingDoctorCode: bed.doctor.code,
        attendingDoctorName: bed.doctor.name,
        diagnosisCode: 'J18.9',
        diagnosisName: '肺炎',
        admissionType,
        deposit: { amountFen: 200_000, receiptNo: `YJ-${person.key}`, method: 'cash' },
      });
      expect(outcome.outcome).toBe('admitted');
      const view = outcome.admission;
      expect(view.status).toBe('admitted');
      expect(view.direct).toBe(want.direct);
      expect(view.depositsFen).toBe(200_000);
      expect(view.iptNo).toMatch(/^ZY2026\d{6}$/);
      if (want.direct || want.curable) {
        expect(view.mdtrtId).toMatch(/^\d+$/);
        const journal = await h.sandbox.admin.journal({ infno: '2401', psn_no: d.person.psnNo });
        expect(journal.filter((e) => e.reversed_by === null).map((e) => e.ipt_no)).toEqual([view.iptNo]);
      } else {
        expect(view.mdtrtId).toBeNull();
        expect(await h.sandbox.admin.journal({ infno: '2401', psn_no: d.person.psnNo })).toHaveLength(0);
      }
      await h.control.remove();
      await h.call('system', 'resetSession');
      expect(await h.call('reader', 'currentCard')).toBeNull();
    });
  }
});

/** The refusal codes of settlement-rules §2 as the terminal names them (insurance/codes + card-status-abnormal). */
const EXPECTED_REFUSAL_CODES = [
  'card-not-activated',
  'card-temp-lost',
  'card-lost',
  'card-cancelled',
  'card-replaced',
  'card-expired',
  'card-status-abnormal',
  'no-active-insurance',
  'waiting-period',
  'not-networked-cross-province',
  'not-networked-in-province',
  'cross-province-unfiled',
  'in-province-unfiled-not-direct',
  'open-admission-elsewhere',
] as const;

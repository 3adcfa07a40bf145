import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { EligibilityDecision } from '../../../contract/dto/eligibility.ts';
import { DEFAULT_FIXTURES_PATH } from '../../../insurance/sandbox/index.ts';
import { credentialsOf, startHarness, type Harness } from './harness.ts';

/**
 * Several insurance rows (settlement-rules §2 "for the chosen insutype"): the default world has none, so this
 * file gives two people a second row in a copy of it. 李秀英 has 城乡居民 (390) and 职工 (310) both active: the
 * screen must ask, with the rows explained. 王建国's 职工 row is suspended and his 城乡居民 row active: the only
 * active row is taken, and the reasons say so.
 */
let h: Harness;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-insutype-'));
  const world = JSON.parse(readFileSync(DEFAULT_FIXTURES_PATH, 'utf8')) as {
    peopleFile: string;
    parametersFile: string;
    persons: { key: string; insurances: Record<string, unknown>[] }[];
  };
  const base = dirname(DEFAULT_FIXTURES_PATH);
  world.peopleFile = resolve(base, world.peopleFile);
  world.parametersFile = resolve(base, world.parametersFile);
  const resident = world.persons.find((p) => p.key === 'local-resident')!;
  resident.insurances.push({ insutype: '310', psn_type: '1101', psn_insu_stas: '1', psn_insu_date: '2010-01-01', balcFen: 120_000 });
  const employee = world.persons.find((p) => p.key === 'local-employee')!;
  employee.insurances[0]!.psn_insu_stas = '2';
  employee.insurances.push({ insutype: '390', psn_type: '1501', psn_insu_stas: '1', psn_insu_date: '2025-01-01' });
  const file = join(dir, 'world.json');
  writeFileSync(file, JSON.stringify(world));
  h = await startHarness({ mode: 'admission', fixturesPath: file });
  await h.call('operator', 'signIn', credentialsOf('1001'));
}, 60_000);
afterAll(async () => {
  await h?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('choice of insutype', () => {
  it('two active rows: the screen asks, each row explained; the chosen one is then decided', async () => {
    const read = await h.insert('local-resident/g3');
    expect(read.name).toBe('card-read');
    const ask = await h.call<EligibilityDecision>('eligibility', 'check', { credential: { kind: 'card' } });
    expect(ask).toMatchObject({ needsInsutypeChoice: true, chosenInsutype: null, direct: false, visitCase: null });
    expect(ask.insurances.map((i) => [i.insutype, i.active])).toEqual([
      ['390', true],
      ['310', true],
    ]);
    // 人员类别 in words for the operator choosing (the resident fixture row is 1501, the added one 1101).
    expect(ask.insurances.map((i) => i.psnTypeLabel)).toEqual(['普通居民(成年)', '职工在职']);
    expect(ask.reasons[0]?.text).toMatch(/职工基本医疗保险.*城乡居民基本医疗保险|城乡居民基本医疗保险.*职工基本医疗保险/);
    expect(ask.guidance[0]?.code).toBe('choose-insutype');
    // A decision that still needs a choice cannot be the basis of an admission.
    const err = await h.callError('admission', 'register', {
      checkId: ask.checkId, deptCode: 'A07', ward: 'W17', bed: '1701', attendingDoctorCode: 'D0700001', attendingDoctorName: '程小兰',
      diagnosisCode: 'J18.9', diagnosisName: '肺炎', admissionType: 'normal',
    });
    expect(err.message).toMatch(/险种/);

    const chosen = await h.call<EligibilityDecision>('eligibility', 'check', { credential: { kind: 'card' }, insutype: '310' });
    expect(chosen).toMatchObject({ needsInsutypeChoice: false, chosenInsutype: '310', direct: true, scope: 'local', visitCase: 'local' });
    await h.control.remove();
  });

  it('one active row among several: taken, and said so', async () => {
    await h.call('system', 'resetSession');
    await h.insert('local-employee/g3');
    const d = await h.call<EligibilityDecision>('eligibility', 'check', { credential: { kind: 'card' } });
    expect(d).toMatchObject({ needsInsutypeChoice: false, chosenInsutype: '390', direct: true });
    expect(d.reasons[0]).toMatchObject({ code: 'insutype-auto' });
    // Asking for the suspended row: refused for no active insurance, with the 2001 reason kept out of the way.
    const suspended = await h.call<EligibilityDecision>('eligibility', 'check', { credential: { kind: 'card' }, insutype: '310' });
    expect(suspended).toMatchObject({ direct: false, chosenInsutype: '310' });
    expect(suspended.reasons.map((r) => r.code)).toContain('no-active-insurance');
    await h.control.remove();
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_FIXTURES_PATH, FixtureError, loadWorld } from '../../../../../insurance/sandbox/world/load-world.ts';

const PEOPLE = fileURLToPath(new URL('../../../../../fixtures/people.json', import.meta.url));
const PARAMS = fileURLToPath(new URL('../../../../../policy/parameters.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sandbox-world-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The default world with a change, written to a temp file (paths made absolute). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a free-form JSON document mutated by each case
function variant(change: (w: Record<string, any>) => void): string {
  const w = JSON.parse(readFileSync(DEFAULT_FIXTURES_PATH, 'utf8'));
  w.peopleFile = PEOPLE;
  w.parametersFile = PARAMS;
  change(w);
  const file = join(dir, `w${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(w));
  return file;
}

function problems(file: string): string {
  try {
    loadWorld(file);
  } catch (e) {
    expect(e).toBeInstanceOf(FixtureError);
    return (e as Error).message;
  }
  throw new Error('expected the world to be refused');
}

describe('the default world', () => {
  const world = loadWorld();
  const people = JSON.parse(readFileSync(PEOPLE, 'utf8')).people as { key: string; certno: string; cards: { cardSn: string }[] }[];

  it('covers every person of people.json, with their certno and cards', () => {
    expect([...world.persons.values()].map((p) => p.key).sort()).toEqual(people.map((p) => p.key).sort());
    for (const pp of people) {
      const p = [...world.persons.values()].find((x) => x.key === pp.key)!;
      expect(p.certno).toBe(pp.certno);
      expect(p.cards.map((c) => c.cardSn)).toEqual(pp.cards.map((c) => c.cardSn));
      expect(p.insurances.length).toBeGreaterThan(0);
    }
  });

  it('has the demo hospital, a Jiangyin hospital and one not networked cross-province', () => {
    expect(world.hospitals.get('H32020000001')).toMatchObject({ name: '无锡市第一人民医院', admdvs: '320200', level: 3, networkedInProvince: true, networkedCrossProvince: true });
    expect([...world.hospitals.values()].some((h) => h.admdvs === '320281')).toBe(true);
    expect([...world.hospitals.values()].some((h) => !h.networkedCrossProvince)).toBe(true);
  });

  it('has a catalogue of a few hundred entries over all 14 categories and the three levels, some with ceilings and own proportions', () => {
    const entries = [...world.catalogue.values()];
    expect(entries.length).toBeGreaterThanOrEqual(200);
    expect(new Set(entries.map((e) => e.medChrgitmType)).size).toBe(14);
    expect(new Set(entries.map((e) => e.chrgitmLv))).toEqual(new Set(['01', '02', '03']));
    expect(entries.some((e) => e.pricUplmtE6 !== null)).toBe(true);
    expect(entries.some((e) => e.selfpayPropE4 !== null)).toBe(true);
  });

  it('describes the special cases the issue lists', () => {
    const byKey = (k: string) => [...world.persons.values()].find((p) => p.key === k)!;
    expect(byKey('retired-employee').insurances[0]!.psnType).toBe('1201');
    expect(byKey('jy-dsyk-registered').registrations).toHaveLength(1);
    expect(byKey('jy-dsyk-reissued').registrations[0]!.card_sn).not.toBe(byKey('jy-dsyk-reissued').cards.find((c) => c.current)!.cardSn);
    expect(byKey('jy-dsyk-and-filing').filings).toHaveLength(1);
    expect(byKey('yx-unfiled').insurances[0]!.insuplcAdmdvs).toBe('320282');
    expect(world.parameters.regions['320282']!.inProvinceUnfiledDirect).toBe(false);
    expect(byKey('insurance-suspended').insurances[0]!.psnInsuStas).toBe('2');
    expect(byKey('waiting-period').insurances[0]!.waitingPeriod).not.toBeNull();
    expect(byKey('open-admission-elsewhere').openAdmissions).toHaveLength(1);
    expect(byKey('assistance').identities[0]!.psnIdetType).toBe('2301');
    expect(byKey('serious-illness').yearToDate[0]!.inscpBurdenFen).toBeGreaterThan(1_500_000);
    expect(byKey('near-annual-cap').yearToDate[0]!.hifpPaidFen).toBeGreaterThan(29_000_000);
    expect(byKey('small-account').insurances[0]!.balcFen).toBeLessThan(50_000);
  });
});

describe('a world that does not hold together is refused, listing every problem', () => {
  it('schema errors', () => {
    const msg = problems(variant((w) => (w.hospitals[0].level = 4)));
    expect(msg).toContain('hospitals.0.level');
  });

  it('an unknown people key, a duplicate psn_no, a registration on a foreign card, an unknown hospital', () => {
    const msg = problems(
      variant((w) => {
        w.persons[0].key = 'nobody';
        w.persons[2].psn_no = w.persons[1].psn_no;
        w.persons[3].registrations[0].card_sn = 'NOT-MINE';
        w.persons.find((p: { key: string }) => p.key === 'open-admission-elsewhere').openAdmissions[0].fixmedins_code = 'H00000000000';
      }),
    );
    expect(msg).toContain('person nobody: no such key');
    expect(msg).toContain('duplicate psn_no');
    expect(msg).toContain('names card NOT-MINE');
    expect(msg).toContain('unknown hospital H00000000000');
  });

  it('an insured place without parameters, a registration outside a pooling group', () => {
    const msg = problems(
      variant((w) => {
        w.persons[0].insurances[0].insuplc_admdvs = '320300';
        w.persons[3].registrations[0].trt_admdvs = '320100';
      }),
    );
    expect(msg).toContain('no rules for insured place 320300');
    expect(msg).toContain('not two areas of one pooling group');
  });

  it('a catalogue proportion above 1 or a ceiling with too many decimals', () => {
    const msg = problems(
      variant((w) => {
        w.catalogue[0].selfpay_prop = '1.5';
        w.catalogue[1].pric_uplmt = '1.1234567';
      }),
    );
    expect(msg).toContain('selfpay_prop must be 0–1');
    expect(msg).toContain('pric_uplmt has more than 6 decimals');
  });

  it('a missing people file', () => {
    expect(problems(variant((w) => (w.peopleFile = '/nonexistent/people.json')))).toContain('cannot read JSON');
  });
});

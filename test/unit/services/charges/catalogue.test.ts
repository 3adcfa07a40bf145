import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundledCatalogue, Catalogue } from '../../../../services/charges/catalogue.ts';
import { parseYuanToFen } from '../../../../services/charges/decimal.ts';

const SANDBOX = new URL('../../../../insurance/sandbox/fixtures/default.json', import.meta.url);

describe('the bundled catalogue', () => {
  const catalogue = bundledCatalogue();
  const platform = (JSON.parse(readFileSync(SANDBOX, 'utf8')) as { catalogue: Array<Record<string, string>> }).catalogue;

  it('is the sandbox platform catalogue as the terminal downloaded it: same codes, names, classes and prices', () => {
    expect(catalogue.size).toBe(platform.length);
    for (const p of platform) {
      const mine = catalogue.get(p.med_list_codg!);
      expect(mine, p.med_list_codg).not.toBeNull();
      const price = parseYuanToFen(p.pric!);
      expect(price.ok && price.value).toBe(mine!.pricFen);
      expect([mine!.name, mine!.chrgitmType, mine!.level, mine!.unit]).toEqual([p.name, p.med_chrgitm_type, p.chrgitm_lv, p.unit]);
    }
  });

  it('searches by code, code prefix and name words', () => {
    const first = platform[0]!;
    expect(catalogue.search(first.med_list_codg!, 5)[0]!.code).toBe(first.med_list_codg);
    const hits = catalogue.search('床位', 50);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.name.includes('床位'))).toBe(true);
    expect(catalogue.search('没有这种东西', 5)).toEqual([]);
    expect(catalogue.search('', 3)).toHaveLength(3);
  });

  it('refuses a catalogue with duplicate codes', () => {
    const entry = { code: 'A', name: 'a', chrgitmType: '01', level: '01', pricFen: 1, unit: '次' };
    expect(() => new Catalogue({ version: 'x', entries: [entry, entry] })).toThrow(/duplicate code A/);
  });
});

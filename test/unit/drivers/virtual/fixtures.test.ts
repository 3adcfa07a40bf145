import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../base/bytes.ts';
import { decodeGbk } from '../../../../drivers/sscard/text.ts';
import { encodeName } from '../../../../drivers/virtual/card-definition.ts';
import { DEFAULT_PEOPLE_FILE, cardSpecsFromJson, loadCardCatalog } from '../../../../drivers/virtual/fixtures.ts';

const people = JSON.parse(readFileSync(DEFAULT_PEOPLE_FILE, 'utf8')) as { people: { key: string; cards: { current: boolean }[] }[] };

describe('card fixtures', () => {
  const catalog = loadCardCatalog();

  it('has a 2nd- and a 3rd-generation current card for every person of people.json', () => {
    for (const p of people.people) {
      expect(catalog.get(`${p.key}/g2`)?.generation).toBe(2);
      expect(catalog.get(`${p.key}/g3`)?.generation).toBe(3);
    }
  });

  it('keeps replaced cards as <key>/old/g2|g3', () => {
    const withOld = people.people.filter((p) => p.cards.some((c) => !c.current));
    expect(withOld.length).toBeGreaterThan(0);
    for (const p of withOld) {
      expect(catalog.has(`${p.key}/old/g2`)).toBe(true);
      expect(catalog.has(`${p.key}/old/g3`)).toBe(true);
    }
    expect(catalog.get('card-replaced/old/g2')?.issue?.cardNo).toBe('A00028791');
    expect(catalog.get('card-replaced/g2')?.issue?.cardNo).toBe('B00028791');
  });

  it('has the special cards: damaged ATR, old 市民卡 without SSSE', () => {
    expect(toHex(catalog.get('damaged-atr')!.atr).slice(0, 2)).toBe('23');
    expect(catalog.get('citizen-card-no-ssse')!.ssse).toBeNull();
  });

  it('takes the expired card and the long name from people.json', () => {
    expect(catalog.get('card-expired/g2')?.issue?.expiryDate).toBe('2026-02-28');
    const long = catalog.get('long-name/g3')!;
    expect(long.ssse?.files.EF06.has(3)).toBe(true);
    expect(catalog.get('local-employee/g3')!.ssse?.files.EF06.has(3)).toBe(false);
  });

  it('puts the longest whole-character prefix in 姓名 and the rest of the name in 姓名扩展', () => {
    const { field, extension } = encodeName('阿卜杜热合曼·艾合买提·吐尔逊买提明');
    expect(field.length).toBe(30);
    expect(decodeGbk(field)).toEqual({ ok: true, value: '阿卜杜热合曼·艾合买提·吐尔逊' });
    expect(decodeGbk(extension!)).toEqual({ ok: true, value: '买提明' });
    expect(encodeName('王建国').extension).toBeNull();
  });

  it('explains what is wrong with a bad fixture file', () => {
    expect(() => cardSpecsFromJson({ cards: [{ label: 'no id' }] }, 'x.json')).toThrow(/x.json: not a valid cards file/);
    expect(() => cardSpecsFromJson({ people: [{ key: 'BAD KEY' }] }, 'p.json')).toThrow(/p.json: not a valid people file/);
  });
});

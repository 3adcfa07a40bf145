import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEFAULT_PEOPLE_FILE } from '../fixtures.ts';
import { buildIdCardDefinition, IdCardSpec, type IdCardDefinition } from './idcard-definition.ts';

export const DEFAULT_IDCARDS_FILE = fileURLToPath(new URL('../fixtures/idcards.json', import.meta.url));

export type IdCardCatalog = Map<string, IdCardDefinition>;

const Person = z.object({ key: z.string(), name: z.string(), certno: z.string(), gender: z.string(), nation: z.string(), birthDate: z.string() });

/**
 * The virtual ID card reader's cards: the test cards of fixtures/idcards.json, and a resident ID card
 * (`person/<key>`) for every demo person whose name fits the card's 15 characters, so the demo can identify
 * anyone by ID card. Their address and issuer are the demo hospital's city.
 */
export function loadIdCardCatalog(idcardsFile = DEFAULT_IDCARDS_FILE, peopleFile = DEFAULT_PEOPLE_FILE): IdCardCatalog {
  const catalog: IdCardCatalog = new Map();
  const cards = z.object({ cards: z.array(IdCardSpec) }).parse(JSON.parse(readFileSync(idcardsFile, 'utf8')));
  for (const spec of cards.cards) catalog.set(spec.id, buildIdCardDefinition(spec));
  const people = z.object({ people: z.array(Person) }).parse(JSON.parse(readFileSync(peopleFile, 'utf8')));
  for (const p of people.people) {
    if (p.name.length > 15) continue;
    const birth = p.birthDate.replaceAll('-', '');
    const spec: IdCardSpec = {
      id: `person/${p.key}`,
      label: `${p.name} 居民身份证`,
      cardType: 'resident',
      name: p.name,
      sex: p.gender,
      nation: p.nation.padStart(2, '0'),
      birthDate: birth,
      address: '江苏省无锡市梁溪区示例路1号',
      idNumber: p.certno,
      issuer: '无锡市公安局梁溪分局',
      validFrom: '20200101',
      validTo: '20400101',
    };
    catalog.set(spec.id, buildIdCardDefinition(spec));
  }
  return catalog;
}

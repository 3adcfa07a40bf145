import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { buildCardDefinition, type CardDefinition, type CardSpec } from './card-definition.ts';

/**
 * Card fixtures of the virtual reader. A file is either the demo world's people file (fixtures/people.json:
 * every person's cards become 2nd- and 3rd-generation variants) or a cards file (`{"cards": [CardSpec…]}`).
 *
 * Card ids: `<personKey>/g2`, `<personKey>/g3` for the person's current card; `<personKey>/old/g2|g3` for a
 * replaced card (`old-2`, `old-3`… when a person has several).
 */
export const DEFAULT_PEOPLE_FILE = fileURLToPath(new URL('../../fixtures/people.json', import.meta.url));
export const DEFAULT_SPECIAL_CARDS_FILE = fileURLToPath(new URL('./fixtures/special-cards.json', import.meta.url));
export const DEFAULT_FIXTURE_FILES = [DEFAULT_PEOPLE_FILE, DEFAULT_SPECIAL_CARDS_FILE];

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const PersonCard = z.object({
  cardNo: z.string().min(1).max(9),
  cardSn: z.string().regex(/^[0-9A-F]{32}$/),
  issueDate: Day,
  expiryDate: Day,
  status: z.string(),
  current: z.boolean(),
});
const Person = z.object({
  key: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  certno: z.string().regex(/^\d{17}[\dX]$/),
  gender: z.enum(['1', '2']),
  nation: z.string().regex(/^\d{1,2}$/),
  birthplace: z.string().regex(/^\d{6}$/),
  birthDate: Day,
  cards: z.array(PersonCard).min(1),
});
const PeopleFile = z.object({ people: z.array(Person) });

const Holder = z.object({ name: z.string().min(1), ssn: z.string(), sex: z.enum(['1', '2']), nation: z.string(), birthplace: z.string(), birthDate: Day });
const Issue = z.object({
  cardNo: z.string(),
  cardSn: z.string().regex(/^[0-9A-F]{32}$/),
  issueDate: Day,
  expiryDate: Day,
  cardType: z.string().optional(),
  initOrgCode: z.string().optional(),
});
const CardSpecSchema = z.object({
  id: z.string().min(1),
  label: z.string().optional(),
  generation: z.union([z.literal(2), z.literal(3)]).optional(),
  atr: z.string().optional(),
  ssse: z.boolean().optional(),
  selectFci: z.boolean().optional(),
  holder: Holder.optional(),
  card: Issue.optional(),
  records: z.record(z.string(), z.string().nullable()).optional(),
});
const CardsFile = z.object({ cards: z.array(CardSpecSchema) });

export type PeopleFile = z.infer<typeof PeopleFile>;

/** The card specs of one person: current card and replaced cards, each as g2 and g3. */
export function cardSpecsOfPerson(person: z.infer<typeof Person>): CardSpec[] {
  const holder = { name: person.name, ssn: person.certno, sex: person.gender, nation: person.nation.padStart(2, '0'), birthplace: person.birthplace, birthDate: person.birthDate };
  const specs: CardSpec[] = [];
  const current = person.cards.find((c) => c.current) ?? person.cards[person.cards.length - 1];
  let oldIndex = 0;
  for (const card of person.cards) {
    const isCurrent = card === current;
    const slot = isCurrent ? '' : oldIndex++ === 0 ? 'old/' : `old-${oldIndex}/`;
    for (const generation of [2, 3] as const) {
      specs.push({
        id: `${person.key}/${slot}g${generation}`,
        label: `${person.name} ${generation === 3 ? '三代卡' : '二代卡'}${isCurrent ? '' : '（已换卡的旧卡）'} ${card.cardNo}`,
        generation,
        holder,
        card: { cardNo: card.cardNo, cardSn: card.cardSn, issueDate: card.issueDate, expiryDate: card.expiryDate },
      });
    }
  }
  return specs;
}

/** Parses one fixture file's JSON (people or cards) into card specs. Throws with the file name on bad input. */
export function cardSpecsFromJson(json: unknown, source: string): CardSpec[] {
  if (json && typeof json === 'object' && 'people' in json) {
    const parsed = PeopleFile.safeParse(json);
    if (!parsed.success) throw new Error(`${source}: not a valid people file: ${parsed.error.issues[0]?.message ?? ''} at ${parsed.error.issues[0]?.path.join('.') ?? ''}`);
    return parsed.data.people.flatMap(cardSpecsOfPerson);
  }
  const parsed = CardsFile.safeParse(json);
  if (!parsed.success) throw new Error(`${source}: not a valid cards file: ${parsed.error.issues[0]?.message ?? ''} at ${parsed.error.issues[0]?.path.join('.') ?? ''}`);
  return parsed.data.cards as CardSpec[];
}

export type CardCatalog = Map<string, CardDefinition>;

/** Loads fixture files into a catalog of card definitions; a later file may not reuse an id. */
export function loadCardCatalog(files: string[] = DEFAULT_FIXTURE_FILES): CardCatalog {
  const catalog: CardCatalog = new Map();
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`cannot read card fixtures ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    for (const spec of cardSpecsFromJson(json, file)) {
      if (catalog.has(spec.id)) throw new Error(`${file}: card id "${spec.id}" is defined twice`);
      catalog.set(spec.id, buildCardDefinition(spec));
    }
  }
  return catalog;
}

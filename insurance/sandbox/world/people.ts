import { z } from 'zod';
import { CARD_STATUSES } from '../../codes/card-status.ts';

/**
 * fixtures/people.json: the demo world's people and their cards, shared with the virtual reader. The sandbox
 * reads it (never writes it) and takes certno, name, card numbers, card status and the current flag from it.
 */
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const PeopleCard = z.object({
  cardNo: z.string().min(1),
  cardSn: z.string().min(1),
  issueDate: Day,
  expiryDate: Day,
  status: z.enum(CARD_STATUSES),
  current: z.boolean(),
});
export type PeopleCard = z.infer<typeof PeopleCard>;

export const PeoplePerson = z.object({
  key: z.string().min(1),
  name: z.string().min(1),
  certno: z.string().regex(/^\d{17}[\dX]$/),
  gender: z.string(),
  nation: z.string(),
  birthplace: z.string(),
  birthDate: Day,
  insuredArea: z.string().regex(/^\d{6}$/),
  description: z.string(),
  cards: z.array(PeopleCard).min(1),
});
export type PeoplePerson = z.infer<typeof PeoplePerson>;

export const PeopleFile = z.object({ about: z.string().optional(), people: z.array(PeoplePerson) });
export type PeopleFile = z.infer<typeof PeopleFile>;

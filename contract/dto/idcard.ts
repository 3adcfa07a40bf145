import { z } from 'zod';

/**
 * What a screen may show of an ID card read by the ID card reader (idcard-link.md): masked on kiosk screens
 * like the 社保卡 view, never the photo (its WLT bytes need a licensed decoder) and never the address.
 */
export const IdCardView = z.object({
  cardType: z.enum(['resident', 'foreigner', 'hmt']),
  /** 居民身份证 / 外国人永久居留身份证 / 港澳台居民居住证 */
  kindLabel: z.string(),
  displayName: z.string(),
  displayIdNumber: z.string(),
  /** 男 / 女 …, or null for a code outside GB/T 2261.1. */
  sexWord: z.string().nullable(),
  /** 汉 …; null on the two cards without 民族 and for an unknown code. */
  nationWord: z.string().nullable(),
  birthDate: z.string(),
  /** null for 长期. */
  validTo: z.string().nullable(),
  expired: z.boolean(),
});
export type IdCardView = z.infer<typeof IdCardView>;

export const IdCardEvents = {
  /** A read found no card yet: the screen shows 请放置身份证. */
  'idcard-waiting': z.object({}),
  /** The ID card was read; it is now the session's credential 02 (eligibility { kind: 'idcard' }). */
  'idcard-read': z.object({ card: IdCardView }),
} as const;

import { z } from 'zod';
import { KioskErrorDto } from '../errors.ts';

/** What a screen may show of a card. Masking follows the mode (kiosk screens mask names too). */
export const CardView = z.object({
  generation: z.union([z.literal(2), z.literal(3)]),
  regionCode: z.string(),
  displayName: z.string(), // 张*三 on kiosks, full on staff screens
  displaySsn: z.string(), // 3202**********1234
  displayCardNo: z.string(),
  expiryDate: z.string(),
  expired: z.boolean(),
});
export type CardView = z.infer<typeof CardView>;

export const ReaderInfo = z.object({ readerId: z.string(), name: z.string(), link: z.enum(['serial', 'hid']) });
export type ReaderInfo = z.infer<typeof ReaderInfo>;

export const ReaderEvents = {
  'reader-attached': ReaderInfo,
  'reader-detached': z.object({ readerId: z.string() }),
  'card-inserted': z.object({ readerId: z.string() }),
  'card-removed': z.object({ readerId: z.string() }),
  'card-read': z.object({ readerId: z.string(), card: CardView }),
  'card-error': z.object({ readerId: z.string(), error: KioskErrorDto }),
  /** A 医保电子凭证 / 电子社保卡 QR code read by a HID POS scanner. */
  'qr-scanned': z.object({ code: z.string().max(4096) }),
} as const;

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * Booked admissions (预约住院) for self-service check-in: the HIS decides the stay (department, ward, bed,
 * doctor, diagnosis, suggested deposit); the patient reports at the kiosk with a credential. Read from the HIS
 * export named by config his.bookingsFile (docs/his-departments.md), or the bundled demo list in demo mode.
 */
const Booking = z
  .object({
    bookingId: z.string().min(1).max(64),
    /** 公民身份号码 of the patient (matched against the 1101 certno of the credential presented). */
    certno: z.string().regex(/^\d{17}[\dX]$/),
    deptCode: z.string().min(1),
    ward: z.string().min(1),
    bed: z.string().min(1),
    attendingDoctorCode: z.string().min(1),
    diagnosisCode: z.string().min(1),
    plannedDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    /** Demo only: the planned date relative to today. */
    plannedInDays: z.number().int().min(-30).max(365).optional(),
    suggestedDepositFen: z.number().int().min(0),
    admissionType: z.enum(['normal', 'emergency']).default('normal'),
  })
  .refine((b) => (b.plannedDate === undefined) !== (b.plannedInDays === undefined), 'give plannedDate or plannedInDays');

export const BookingsFile = z.object({ about: z.string().optional(), bookings: z.array(Booking) });
export type BookingEntry = z.infer<typeof Booking>;

export const DEMO_BOOKINGS = join(import.meta.dirname, 'data', 'demo-bookings.json');

export class BookingList {
  constructor(private readonly entries: readonly BookingEntry[]) {
    const ids = new Set(entries.map((b) => b.bookingId));
    if (ids.size !== entries.length) throw new Error('bookings: duplicate bookingId');
  }

  static empty(): BookingList {
    return new BookingList([]);
  }

  static load(path: string): BookingList {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new Error(`bookings file ${path}: ${(err as Error).message}`);
    }
    const parsed = BookingsFile.safeParse(json);
    if (!parsed.success) throw new Error(`bookings file ${path}: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
    return new BookingList(parsed.data.bookings);
  }

  get(bookingId: string): BookingEntry | null {
    return this.entries.find((b) => b.bookingId === bookingId) ?? null;
  }

  /** The bookings of a person (by ID number). */
  forCertno(certno: string): BookingEntry[] {
    const key = certno.trim().toUpperCase();
    return this.entries.filter((b) => b.certno === key);
  }

  /** The planned day of a booking, `today` being the China calendar day. */
  static plannedDay(b: BookingEntry, today: string): string {
    if (b.plannedDate) return b.plannedDate;
    const d = new Date(`${today}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + (b.plannedInDays ?? 0));
    return d.toISOString().slice(0, 10);
  }
}

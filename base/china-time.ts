/**
 * China time (UTC+8, no daylight saving since 1991): the platform's dates, the msgid stamp and every date
 * rule use it, whatever the machine's time zone. Shifting the instant by +8 h and reading its ISO string
 * gives China wall time.
 */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

function chinaIso(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString(); // "2026-03-01T09:05:07.123Z" = China wall time
}

/** yyyyMMddHHmmss in China time: the time part of a msgid. */
export function chinaStamp(at: Date): string {
  const iso = chinaIso(at);
  return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19);
}

/** yyyy-MM-dd in China time: the calendar day of sign-ins and of every date rule. */
export function chinaDay(at: Date): string {
  return chinaIso(at).slice(0, 10);
}

/** yyyy-MM-dd HH:mm:ss in China time: the platform's 日期时间型 (inf_time, begntime…). */
export function chinaDateTime(at: Date): string {
  const iso = chinaIso(at);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** The three China-time forms of one instant, for code that needs several of them. */
export function chinaTime(at: Date): { day: string; dateTime: string; compact: string } {
  return { day: chinaDay(at), dateTime: chinaDateTime(at), compact: chinaStamp(at) };
}

/** The instant a yyyyMMddHHmmss China-time stamp names. */
export function parseChinaStamp(stamp: string): Date {
  if (!/^\d{14}$/.test(stamp)) throw new RangeError(`not a yyyyMMddHHmmss stamp: ${stamp}`);
  const iso = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(8, 10)}:${stamp.slice(10, 12)}:${stamp.slice(12, 14)}Z`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not a valid time: ${stamp}`);
  return new Date(ms - CHINA_OFFSET_MS);
}

/**
 * The client's one source of wall-clock time: msgid stamps, inf_time, the sign-in day and the
 * reversal journal's timestamps. Injected so tests (and the sandbox's settable clock) control it.
 * Request timeouts are durations on the wire and use real timers, not this clock.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

// The platform speaks China time (UTC+8, no daylight saving since 1991). Shifting the instant by +8 h and
// reading its ISO string gives China wall time whatever the machine's time zone is.
function chinaIso(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString();
}

/** yyyyMMddHHmmss in China time: the time part of a msgid. */
export function chinaStamp(at: Date): string {
  const iso = chinaIso(at);
  return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19);
}

/** yyyy-MM-dd in China time: the calendar day of a sign-in. */
export function chinaDay(at: Date): string {
  return chinaIso(at).slice(0, 10);
}

/** yyyy-MM-dd HH:mm:ss in China time: the platform's 日期时间型 (inf_time). */
export function chinaDateTime(at: Date): string {
  const iso = chinaIso(at);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** The instant a yyyyMMddHHmmss China-time stamp names. */
export function parseChinaStamp(stamp: string): Date {
  if (!/^\d{14}$/.test(stamp)) throw new RangeError(`not a yyyyMMddHHmmss stamp: ${stamp}`);
  const iso = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(8, 10)}:${stamp.slice(10, 12)}:${stamp.slice(12, 14)}Z`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not a valid time: ${stamp}`);
  return new Date(ms - CHINA_OFFSET_MS);
}

/**
 * The one source of time for the store. Injected so tests (and the sandbox's settable clock) control it.
 * The platform speaks China time (UTC+8, no daylight saving since 1991), so the formatting helpers here
 * never depend on the machine's time zone.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

function chinaParts(at: Date): string {
  // ISO string of the instant shifted by +8 h reads as China wall time: "2026-03-01T09:05:07.123Z".
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString();
}

/** yyyyMMddHHmmss in China time (the msgid time part). */
export function chinaCompact(at: Date): string {
  const iso = chinaParts(at);
  return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19);
}

/** yyyy-MM-dd in China time: the calendar day of sign-ins and of every date rule. */
export function chinaDay(at: Date): string {
  return chinaParts(at).slice(0, 10);
}

/** yyyy-MM-dd HH:mm:ss in China time (the platform's 日期时间型). */
export function chinaDateTime(at: Date): string {
  const iso = chinaParts(at);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** Inverse of chinaCompact: the instant a yyyyMMddHHmmss China-time string names. */
export function parseChinaCompact(s: string): Date {
  if (!/^\d{14}$/.test(s)) throw new Error(`not a yyyyMMddHHmmss time: ${s}`);
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(8, 10)}:${s.slice(10, 12)}:${s.slice(12, 14)}Z`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not a valid time: ${s}`);
  return new Date(ms - CHINA_OFFSET_MS);
}

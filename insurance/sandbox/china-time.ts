/**
 * China time (UTC+8, no daylight saving) formatting and parsing. Every date rule of the platform works on
 * China calendar days (settlement-rules §6), whatever the host's time zone.
 */

const OFFSET_MS = 8 * 3600 * 1000;

function parts(d: Date) {
  const c = new Date(d.getTime() + OFFSET_MS);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return {
    y: String(c.getUTCFullYear()),
    mo: p2(c.getUTCMonth() + 1),
    d: p2(c.getUTCDate()),
    h: p2(c.getUTCHours()),
    mi: p2(c.getUTCMinutes()),
    s: p2(c.getUTCSeconds()),
    ms: String(c.getUTCMilliseconds()).padStart(3, '0'),
  };
}

/** yyyy-MM-dd in China. */
export function chinaDay(d: Date): string {
  const p = parts(d);
  return `${p.y}-${p.mo}-${p.d}`;
}

/** yyyy-MM-dd HH:mm:ss in China (the wire's 日期时间型). */
export function chinaDateTime(d: Date): string {
  const p = parts(d);
  return `${p.y}-${p.mo}-${p.d} ${p.h}:${p.mi}:${p.s}`;
}

/** yyyyMMddHHmmss in China (msgid, inf_refmsgid). */
export function chinaCompact14(d: Date): string {
  const p = parts(d);
  return `${p.y}${p.mo}${p.d}${p.h}${p.mi}${p.s}`;
}

/** yyyyMMddHHmmssSSS in China (refmsg_time, respond_time). */
export function chinaCompact17(d: Date): string {
  return chinaCompact14(d) + parts(d).ms;
}

const WIRE_DATETIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const WIRE_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A wire 日期时间型 (China local) → instant; null when malformed or not a real date. */
export function parseChinaDateTime(s: string): Date | null {
  const m = WIRE_DATETIME.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, se] = m.map(Number) as [number, number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, se) - OFFSET_MS;
  const back = new Date(t);
  return chinaDateTime(back) === s ? back : null;
}

/** Whether s is a real yyyy-MM-dd day. */
export function isDay(s: string): boolean {
  const m = WIRE_DAY.exec(s);
  if (!m) return false;
  const [, y, mo, d] = m.map(Number) as [number, number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/**
 * An ISO time from --now or the admin clock. With an offset or Z it is taken as written; without one it is
 * China time ("2026-03-10T09:00:00" = 09:00 in Wuxi). Null when unreadable.
 */
export function parseIsoInstant(s: string): Date | null {
  const text = s.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(text)) return null;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(text);
  const withTime = /[T ]/.test(text) ? text.replace(' ', 'T') : `${text}T00:00:00`;
  const t = Date.parse(hasZone ? withTime : `${withTime}+08:00`);
  return Number.isNaN(t) ? null : new Date(t);
}

/** Whole years from a birth day to a day (both yyyy-MM-dd). */
export function ageOn(birthDay: string, day: string): number {
  const [by, bm, bd] = birthDay.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

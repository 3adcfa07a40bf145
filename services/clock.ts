/** The one clock. Injected everywhere so tests (and the sandbox's settable time) control "now". */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** China time (UTC+8, no DST) parts of an instant: the platform's dates and every date rule use these. */
export function chinaTime(d: Date): { day: string; dateTime: string; compact: string } {
  const t = new Date(d.getTime() + 8 * 3600_000).toISOString(); // 2026-11-23T07:11:01.000Z
  const day = t.slice(0, 10);
  const time = t.slice(11, 19);
  return { day, dateTime: `${day} ${time}`, compact: `${day.replaceAll('-', '')}${time.replaceAll(':', '')}` };
}

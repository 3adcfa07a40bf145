/**
 * 入院时间 (2401 `begntime`): when the patient was admitted, typed at the desk, checked the same way by the
 * form (so the clerk hears at once) and by the admission service (the authority). Both sides speak China
 * wall time as "yyyy-MM-dd HH:mm:ss", the platform's 日期时间型.
 *
 * The window, and why:
 * - **Not after now + 5 minutes.** The form's default is the terminal's own time when the form opened, and a
 *   clerk copying the ward's wall clock may be a few minutes ahead of the terminal; more than that is a typo
 *   (a wrong hour or day), and a stay cannot start in the future. A time inside the tolerance but after now is
 *   registered as now: the platform is never told of an admission that has not happened yet.
 * - **Not before now − 7 days.** The field exists for stays registered late: after a platform or network
 *   outage, or an emergency admitted at night or over a weekend or holiday and registered on the next working
 *   day. Seven days covers the longest of those (the Spring Festival and National Day holidays); an older
 *   start is a 补登记 for the hospital's 医保办, not the desk, and would reach back past charges already billed
 *   against other visits (fee lines earlier than begntime are refused, services/charges/fee-line-rules.ts).
 */
export const ADMISSION_TIME_RULE = { futureToleranceMinutes: 5, maxPastDays: 7 } as const;

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** "yyyy-MM-dd HH:mm:ss" as milliseconds on a UTC axis (both sides are China wall time: only differences matter); null if not a real time. */
function wallMs(dateTime: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(dateTime);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return ms;
}

function wallText(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/**
 * What the clerk typed as "yyyy-MM-dd HH:mm" (or with seconds; 1-digit month, day and hour, a "T" or several
 * spaces are taken too) as the wire's "yyyy-MM-dd HH:mm:ss"; null when it is not a real date and time.
 */
export function parseAdmissionTime(typed: string): string | null {
  const m = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$/.exec(typed);
  if (!m) return null;
  const pad = (v: string | undefined) => (v ?? '0').padStart(2, '0');
  const dateTime = `${m[1]}-${pad(m[2])}-${pad(m[3])} ${pad(m[4])}:${pad(m[5])}:${pad(m[6])}`;
  return wallMs(dateTime) === null ? null : dateTime;
}

/** The field's text for a wire time: "yyyy-MM-dd HH:mm" (the clerk types minutes, not seconds). */
export function admissionTimeText(dateTime: string): string {
  return dateTime.slice(0, 16);
}

export type AdmissionTimeCheck = { ok: true; begntime: string } | { ok: false; message: string };

/**
 * Checks a begntime against the terminal's now (both "yyyy-MM-dd HH:mm:ss", China time): the time to send
 * (now when it is inside the future tolerance), or the Chinese reason it is refused.
 */
export function checkAdmissionTime(begntime: string, now: string): AdmissionTimeCheck {
  const at = wallMs(begntime);
  const nowMs = wallMs(now);
  if (at === null || nowMs === null) return { ok: false, message: '入院时间格式不正确，例如 2026-12-07 08:30。' };
  if (at > nowMs + ADMISSION_TIME_RULE.futureToleranceMinutes * MINUTE_MS) {
    return { ok: false, message: `入院时间不能晚于当前时间（${admissionTimeText(now)}），请核对日期和钟点。` };
  }
  if (at < nowMs - ADMISSION_TIME_RULE.maxPastDays * DAY_MS) {
    return {
      ok: false,
      message: `入院时间不能早于 ${admissionTimeText(wallText(nowMs - ADMISSION_TIME_RULE.maxPastDays * DAY_MS))}（${ADMISSION_TIME_RULE.maxPastDays} 天内）；更早入院的请联系医保办补登记。`,
    };
  }
  return { ok: true, begntime: at > nowMs ? now : begntime };
}

import { ADMISSION_TIME_RULE, checkAdmissionTime, parseAdmissionTime } from '../../contract/admission-time.ts';
import { chineseDateTime } from '../app/format.ts';

/**
 * The terminal's China time, carried forward by this browser's elapsed time since the terminal said it: a form
 * left open for minutes still checks against the terminal's now, without asking it again on every key.
 */
export interface TerminalClock {
  now(): string;
}
export function terminalClockOf(terminalNow: string, elapsedMs: () => number = stopwatch()): TerminalClock {
  const start = Date.parse(`${terminalNow.replace(' ', 'T')}Z`);
  return {
    now: () => {
      const iso = new Date(start + elapsedMs()).toISOString();
      return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
    },
  };
}
function stopwatch(): () => number {
  const t0 = performance.now();
  return () => performance.now() - t0;
}

/** The Chinese reason a typed 入院时间 cannot be sent, or null (the same rule the admission service applies). */
export function admissionTimeProblem(typed: string, now: string): string | null {
  const begntime = parseAdmissionTime(typed);
  if (begntime === null) return '入院时间格式不正确，请按 年-月-日 时:分 填写，例如 2026-12-07 08:30。';
  const checked = checkAdmissionTime(begntime, now);
  return checked.ok ? null : checked.message;
}

/** The typed time as the wire's yyyy-MM-dd HH:mm:ss (call after admissionTimeProblem said null). */
export function sentAdmissionTime(typed: string): string {
  const begntime = parseAdmissionTime(typed);
  if (begntime === null) throw new Error('入院时间未通过校验');
  return begntime;
}

/**
 * 入院时间 on the desk's form: prefilled with the terminal's time when the form opened, so the usual case costs
 * no key; a stay registered late (after an outage, a night-time emergency) types over it, "2026-12-05 23:40"
 * (the whole text is selected when the field gets the focus). Read back in words under the field, so the clerk
 * sees the date the platform will get; a plain text field, not the browser's date picker, whose format follows
 * the browser's locale (11/20/2026) and whose segments are awkward to type over.
 */
export function AdmissionTimeField({ value, error, onChange }: { value: string; error: string | undefined; onChange: (v: string) => void }) {
  const parsed = parseAdmissionTime(value);
  return (
    <label>
      入院时间
      <input
        name="begntime"
        value={value}
        inputMode="numeric"
        autoComplete="off"
        maxLength={19}
        aria-invalid={!!error || undefined}
        aria-describedby="begntime-hint"
        onFocus={(e) => e.currentTarget.select()}
        onChange={(e) => onChange(e.target.value)}
        data-testid="admission-begntime"
      />
      <span className="muted" id="begntime-hint" data-testid="admission-begntime-hint">
        {parsed ? chineseDateTime(parsed) : '年-月-日 时:分'} · {ADMISSION_TIME_RULE.maxPastDays}天内可补录
      </span>
      {error && (
        <span className="field-error" id="err-begntime">
          {error}
        </span>
      )}
    </label>
  );
}

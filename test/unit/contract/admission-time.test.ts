import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ADMISSION_TIME_RULE, checkAdmissionTime, parseAdmissionTime } from '../../../contract/admission-time.ts';

/** 入院时间's rule, shared by the desk's form and the admission service (contract/admission-time.ts). */
const NOW = '2026-12-07 11:53:20';

describe('入院时间 typed at the desk', () => {
  it('takes "yyyy-MM-dd HH:mm" (and seconds, 1-digit parts, a T) as the wire form; refuses what is not a real time', () => {
    expect(parseAdmissionTime('2026-12-07 08:30')).toBe('2026-12-07 08:30:00');
    expect(parseAdmissionTime(' 2026-12-7 8:05:09 ')).toBe('2026-12-07 08:05:09');
    expect(parseAdmissionTime('2026-12-07T23:59')).toBe('2026-12-07 23:59:00');
    for (const bad of ['', '2026-12-07', '2026/12/07 08:30', '2026-02-29 08:00', '2026-12-07 24:00', '2026-12-07 08:60', '12/07/2026 08:30']) {
      expect(parseAdmissionTime(bad)).toBeNull();
    }
  });

  it('accepts now and up to 7 days back; a few minutes ahead (clock skew) is sent as now', () => {
    expect(checkAdmissionTime(NOW, NOW)).toEqual({ ok: true, begntime: NOW });
    expect(checkAdmissionTime('2026-11-30 11:53:20', NOW)).toEqual({ ok: true, begntime: '2026-11-30 11:53:20' });
    expect(checkAdmissionTime('2026-12-07 11:58:20', NOW)).toEqual({ ok: true, begntime: NOW });
  });

  it('refuses the future beyond 5 minutes and anything older than 7 days, in Chinese with the limit', () => {
    expect(checkAdmissionTime('2026-12-07 11:58:21', NOW)).toEqual({ ok: false, message: '入院时间不能晚于当前时间（2026-12-07 11:53），请核对日期和钟点。' });
    expect(checkAdmissionTime('2026-11-30 11:53:19', NOW)).toEqual({
      ok: false,
      message: '入院时间不能早于 2026-11-30 11:53（7 天内）；更早入院的请联系医保办补登记。',
    });
    expect(checkAdmissionTime('2026-13-01 00:00:00', NOW).ok).toBe(false);
  });

  it('never sends a time after now, nor one outside the window (any instant)', () => {
    const base = Date.UTC(2026, 11, 7, 11, 53, 20);
    const text = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
    fc.assert(
      fc.property(fc.integer({ min: -10 * 86_400, max: 86_400 }), (offsetS) => {
        const r = checkAdmissionTime(text(base + offsetS * 1000), NOW);
        const inside = offsetS <= ADMISSION_TIME_RULE.futureToleranceMinutes * 60 && offsetS >= -ADMISSION_TIME_RULE.maxPastDays * 86_400;
        expect(r.ok).toBe(inside);
        if (r.ok) expect(r.begntime <= NOW).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

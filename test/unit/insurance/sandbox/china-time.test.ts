import { describe, expect, it } from 'vitest';
import { ageOn, chinaCompact17, chinaDateTime, chinaDay, isDay, parseChinaDateTime, parseIsoInstant } from '../../../../insurance/sandbox/china-time.ts';
import { SandboxClock } from '../../../../insurance/sandbox/clock.ts';

describe('China time', () => {
  it('formats an instant as China calendar day and time whatever the host zone', () => {
    const d = new Date('2026-12-31T16:30:05.123Z'); // 2027-01-01 00:30:05 in China
    expect(chinaDay(d)).toBe('2027-01-01');
    expect(chinaDateTime(d)).toBe('2027-01-01 00:30:05');
    expect(chinaCompact17(d)).toBe('20270101003005123');
  });

  it('parses wire times and ISO times', () => {
    expect(parseChinaDateTime('2026-11-20 10:00:00')?.toISOString()).toBe('2026-11-20T02:00:00.000Z');
    expect(parseChinaDateTime('2026-02-30 10:00:00')).toBeNull();
    expect(parseIsoInstant('2026-11-20T10:00:00')?.toISOString()).toBe('2026-11-20T02:00:00.000Z');
    expect(parseIsoInstant('2026-11-20T10:00:00Z')?.toISOString()).toBe('2026-11-20T10:00:00.000Z');
    expect(parseIsoInstant('2026-11-20')?.toISOString()).toBe('2026-11-19T16:00:00.000Z');
    expect(parseIsoInstant('next tuesday')).toBeNull();
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2028-02-29')).toBe(true);
  });

  it('counts whole years of age', () => {
    expect(ageOn('1975-03-14', '2026-03-13')).toBe(50);
    expect(ageOn('1975-03-14', '2026-03-14')).toBe(51);
  });
});

describe('sandbox clock', () => {
  it('frozen stays, running advances, reset returns to host time', async () => {
    const c = new SandboxClock(new Date('2026-11-20T02:00:00Z'), true);
    expect(c.now().toISOString()).toBe('2026-11-20T02:00:00.000Z');
    c.set(new Date('2030-01-01T00:00:00Z'));
    const t0 = c.now().getTime();
    await new Promise((r) => setTimeout(r, 20));
    expect(c.now().getTime()).toBeGreaterThan(t0);
    expect(Math.abs(t0 - Date.parse('2030-01-01T00:00:00Z'))).toBeLessThan(1_000);
    c.reset();
    expect(Math.abs(c.now().getTime() - Date.now())).toBeLessThan(1_000);
  });
});

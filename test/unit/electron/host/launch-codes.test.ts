import { describe, expect, it } from 'vitest';
import { LAUNCH_CODE_TTL_MS, LaunchCodes } from '../../../../electron/host/launch-codes.ts';
import { BrowserSessions } from '../../../../electron/host/session-cookie.ts';

describe('one-time launch codes', () => {
  it('a code works once, only within its time, and a forged one never', () => {
    let now = 0;
    const codes = new LaunchCodes(() => now);
    const a = codes.mint();
    const b = codes.mint();
    expect(codes.redeem('forged')).toBe(false);
    expect(codes.redeem(null)).toBe(false);
    expect(codes.redeem(a)).toBe(true);
    expect(codes.redeem(a)).toBe(false);
    now = LAUNCH_CODE_TTL_MS;
    expect(codes.redeem(b)).toBe(false);
  });

  it('keeps at most 16 outstanding: the oldest is dropped', () => {
    const codes = new LaunchCodes();
    const first = codes.mint();
    const rest = Array.from({ length: 16 }, () => codes.mint());
    expect(codes.redeem(first)).toBe(false);
    expect(rest.every((c) => codes.redeem(c))).toBe(true);
  });
});

describe('browser sessions', () => {
  it('sets an HttpOnly SameSite=Strict cookie named for the port and knows only its own sessions', () => {
    const sessions = new BrowserSessions(5170);
    const setCookie = sessions.open();
    expect(setCookie).toMatch(/^kiosk-session-5170=[\w-]{43}; HttpOnly; SameSite=Strict; Path=\/$/);
    const pair = setCookie.split(';')[0]!;
    expect(sessions.holds(`other=1; ${pair}`)).toBe(true);
    expect(sessions.holds(pair.replace('5170', '5171'))).toBe(false);
    expect(sessions.holds('kiosk-session-5170=forged')).toBe(false);
    expect(sessions.holds(undefined)).toBe(false);
    expect(new BrowserSessions(5170).holds(pair)).toBe(false);
  });
});

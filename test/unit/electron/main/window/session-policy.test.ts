import { describe, expect, it } from 'vitest';
import { applySessionPolicy, BLOCKED_URL_PATTERNS } from '../../../../../electron/main/window/session-policy.ts';
import { FakeSession, records, testLogger } from '../../fakes.ts';

describe('applySessionPolicy', () => {
  it('refuses every permission request and answers every check with false', () => {
    const session = new FakeSession();
    const log = testLogger();
    applySessionPolicy(session as never, log);
    for (const permission of ['media', 'geolocation', 'notifications', 'hid', 'serial', 'usb', 'clipboard-read', 'fullscreen', 'openExternal']) {
      let granted: boolean | undefined;
      session.permissionRequestHandler!({}, permission, (g) => (granted = g));
      expect(granted, permission).toBe(false);
      expect(session.permissionCheckHandler!({}, permission, 'app://kiosk', {})).toBe(false);
    }
    expect(session.devicePermissionHandler!({ deviceType: 'hid', origin: 'app://kiosk' })).toBe(false);
    expect(records(log).filter((r) => r.msg === 'permission-denied')).toHaveLength(9);
  });

  it('cancels every http(s), ws(s) and ftp request from the page', () => {
    const session = new FakeSession();
    applySessionPolicy(session as never, testLogger());
    expect(session.beforeRequest!.filter.urls).toEqual(BLOCKED_URL_PATTERNS);
    for (const scheme of ['http', 'https', 'ws', 'wss', 'ftp']) expect(BLOCKED_URL_PATTERNS.some((p) => p.startsWith(`${scheme}://`))).toBe(true);
    let answer: { cancel: boolean } | undefined;
    session.beforeRequest!.listener({ url: 'https://tracker.example/pixel.gif', resourceType: 'image' }, (r) => (answer = r));
    expect(answer).toEqual({ cancel: true });
  });
});

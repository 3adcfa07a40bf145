import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { guardAllWebContents, guardWebContents } from '../../../../../electron/main/window/web-contents-guard.ts';
import { fakeEvent, FakeWebContents, records, testLogger } from '../../fakes.ts';

describe('guardWebContents', () => {
  it('prevents every renderer-initiated navigation, same origin included', () => {
    const contents = new FakeWebContents();
    const log = testLogger();
    guardWebContents(contents as never, log);
    for (const url of ['https://evil.example/phish?certno=320200197503141014', 'app://kiosk/other.html', 'file:///etc/passwd', 'javascript:alert(1)']) {
      const e = fakeEvent();
      contents.emit('will-navigate', e, url);
      expect(e.defaultPrevented, url).toBe(true);
    }
    // The log names the place, not the query (which could carry personal data).
    expect(JSON.stringify(records(log))).not.toContain('320200197503141014');
    expect(records(log).filter((r) => r.msg === 'navigation-denied')).toHaveLength(4);
  });

  it('denies new windows and redirects, and refuses <webview>', () => {
    const contents = new FakeWebContents();
    guardWebContents(contents as never, testLogger());
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'app://kiosk/index.html' })).toEqual({ action: 'deny' });
    const redirect = fakeEvent();
    contents.emit('will-redirect', redirect, 'https://evil.example/');
    expect(redirect.defaultPrevented).toBe(true);
    const webview = fakeEvent();
    contents.emit('will-attach-webview', webview, {}, {});
    expect(webview.defaultPrevented).toBe(true);
  });

  it('is applied to every web contents the app creates (print windows included)', () => {
    const app = new EventEmitter();
    guardAllWebContents(app as never, testLogger());
    const a = new FakeWebContents();
    const b = new FakeWebContents('about:blank');
    app.emit('web-contents-created', {}, a);
    app.emit('web-contents-created', {}, b);
    for (const c of [a, b]) {
      const e = fakeEvent();
      c.emit('will-navigate', e, 'https://evil.example/');
      expect(e.defaultPrevented).toBe(true);
      expect(c.windowOpenHandler).not.toBeNull();
    }
  });
});

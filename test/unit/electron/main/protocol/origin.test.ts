import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, isAppUrl } from '../../../../../electron/main/protocol/origin.ts';

describe('isAppUrl', () => {
  it('accepts pages of app://kiosk', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://kiosk/')).toBe(true);
    expect(isAppUrl('app://kiosk/index.html?x=1#/start')).toBe(true);
  });

  it('refuses look-alikes and everything else, by parsed host rather than prefix', () => {
    for (const url of [
      'app://kiosk.evil/index.html',
      'app://kiosk:8080/index.html',
      'app://user@kiosk/index.html',
      'app://evil/kiosk/index.html',
      'app://KIOSK/index.html',
      'https://kiosk/index.html',
      'http://127.0.0.1:5170/',
      'file:///opt/kiosk/index.html',
      'about:blank',
      'data:text/html,<h1>x</h1>',
      '',
      'not a url',
      null,
      undefined,
    ]) {
      expect(isAppUrl(url), String(url)).toBe(false);
    }
  });
});

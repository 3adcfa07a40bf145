import { beforeEach, describe, expect, it } from 'vitest';
import { createKioskWindow } from '../../../../../electron/main/window/kiosk-window.ts';
import { FakeBrowserWindow, testLogger } from '../../fakes.ts';

function make(mode: 'self-service' | 'admission', url?: string) {
  const log = testLogger();
  const kw = createKioskWindow({ BrowserWindow: FakeBrowserWindow as never, mode, preloadPath: '/p/preload.cjs', allowDevTools: false, log, ...(url ? { url } : {}) });
  return { kw, win: kw.window as unknown as FakeBrowserWindow, log };
}

describe('createKioskWindow', () => {
  beforeEach(() => (FakeBrowserWindow.created = []));

  it('loads the renderer from app://kiosk with no menu', () => {
    const { win } = make('admission');
    expect(FakeBrowserWindow.created).toHaveLength(1);
    expect(win.menuRemoved).toBe(true);
    expect(win.webContents.loaded).toEqual(['app://kiosk/index.html']);
    expect(win.options.webPreferences?.preload).toBe('/p/preload.cjs');
  });

  it('maximises a staff window on ready-to-show, and lets it close', () => {
    const { win } = make('admission');
    expect(win.shown).toBe(false);
    win.emit('ready-to-show');
    expect(win.maximized).toBe(true);
    expect(win.shown).toBe(true);
    expect(win.tryClose()).toBe(false);
  });

  it('shows a kiosk without maximising (it is full-screen) and refuses to close until the app quits', () => {
    const { kw, win, log } = make('self-service');
    win.emit('ready-to-show');
    expect(win.maximized).toBe(false);
    expect(win.shown).toBe(true);
    expect(win.tryClose()).toBe(true);
    expect(log.lines.some((l) => l.includes('kiosk-close-refused'))).toBe(true);
    kw.allowClose();
    expect(win.tryClose()).toBe(false);
  });

  it('can start on another page of our origin (the out-of-service page)', () => {
    const { win } = make('admission', 'app://kiosk/__out-of-service');
    expect(win.webContents.loaded).toEqual(['app://kiosk/__out-of-service']);
  });
});

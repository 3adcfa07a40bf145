import { describe, expect, it } from 'vitest';
import { openTerminalWindow, type WindowOptionsInput } from '../../../../../electron/main/window/window-options.ts';
import { FakeBrowserWindow } from '../../fakes.ts';

/** The options the window was really constructed with (captured by the fake BrowserWindow). */
const productionWindowOptions = (input: WindowOptionsInput) => (openTerminalWindow(FakeBrowserWindow as never, input) as unknown as FakeBrowserWindow).options;

const PRELOAD = '/opt/jiangsu-kiosk/resources/app.asar/dist/electron/preload.cjs';

describe('productionWindowOptions', () => {
  for (const mode of ['self-service', 'admission', 'discharge'] as const) {
    it(`carries every security setting in ${mode} mode`, () => {
      const web = productionWindowOptions({ mode, preloadPath: PRELOAD, allowDevTools: false }).webPreferences!;
      expect(web).toMatchObject({
        preload: PRELOAD,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        devTools: false,
        disableBlinkFeatures: 'Auxclick',
      });
      expect(web).not.toHaveProperty('enableBlinkFeatures');
      expect(web).not.toHaveProperty('additionalArguments');
      expect(web).not.toHaveProperty('partition'); // the default session, where the deny-all policy is installed
    });
  }

  it('makes the self-service window a frameless full-screen kiosk', () => {
    const o = productionWindowOptions({ mode: 'self-service', preloadPath: PRELOAD, allowDevTools: false });
    expect(o).toMatchObject({ kiosk: true, fullscreen: true, frame: false, autoHideMenuBar: true, show: false, minimizable: false });
  });

  it('gives staff desks an ordinary window (maximised on show by kiosk-window.ts)', () => {
    for (const mode of ['admission', 'discharge'] as const) {
      const o = productionWindowOptions({ mode, preloadPath: PRELOAD, allowDevTools: false });
      expect(o).toMatchObject({ kiosk: false, fullscreen: false, frame: true, autoHideMenuBar: true, show: false });
    }
  });

  it('turns DevTools on only when asked for', () => {
    expect(productionWindowOptions({ mode: 'admission', preloadPath: PRELOAD, allowDevTools: true }).webPreferences!.devTools).toBe(true);
  });
});

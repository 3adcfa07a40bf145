import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

export type TerminalMode = 'admission' | 'self-service' | 'discharge';

export interface WindowOptionsInput {
  mode: TerminalMode;
  /** Absolute path of dist/electron/preload.cjs. */
  preloadPath: string;
  /** DevTools only in development (unpackaged and asked for); never on a deployed terminal. */
  allowDevTools: boolean;
}

/**
 * The renderer's web preferences: every item of the Electron security checklist that is a window setting.
 * Defaults that are already safe are still written out, so a reviewer (and the unit test) sees them and an
 * Electron upgrade that changed a default cannot loosen them silently.
 */
export function secureWebPreferences(preloadPath: string, allowDevTools: boolean): WebPreferences {
  return {
    preload: preloadPath,
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
    safeDialogs: true,
    spellcheck: false,
    enableWebSQL: false,
    disableBlinkFeatures: 'Auxclick',
    autoplayPolicy: 'document-user-activation-required',
    devTools: allowDevTools,
  };
}

/**
 * The terminal window. Self-service kiosks are full-screen kiosk windows without a frame; the staff desks
 * (admission, discharge) get a normal frame and are maximised on show (kiosk-window.ts). Never a menu bar.
 */
export function productionWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  const kiosk = input.mode === 'self-service';
  return {
    title: '医保前台终端',
    show: false, // shown on ready-to-show: no white flash, and maximise happens before the first paint
    backgroundColor: '#f4f6f8',
    autoHideMenuBar: true,
    kiosk,
    fullscreen: kiosk,
    frame: !kiosk,
    resizable: !kiosk,
    minimizable: !kiosk,
    maximizable: !kiosk,
    closable: true, // kiosk closing is refused in kiosk-window.ts, so the OS can still end the app on shutdown
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    webPreferences: secureWebPreferences(input.preloadPath, input.allowDevTools),
  };
}

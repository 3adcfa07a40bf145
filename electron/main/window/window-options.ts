import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';

export type TerminalMode = 'admission' | 'self-service' | 'discharge';
export type WindowConstructor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

export interface WindowOptionsInput {
  mode: TerminalMode;
  /** Absolute path of dist/electron/preload.cjs. */
  preloadPath: string;
  /** DevTools only in development (unpackaged and asked for); never on a deployed terminal. */
  allowDevTools: boolean;
}

/**
 * Creates the terminal window with every item of the Electron security checklist that is a window setting.
 * Safe defaults are still written out, so a reviewer (and the unit test) sees them and an Electron upgrade
 * that changed a default cannot loosen them silently. The options are a literal in `new BrowserWindow({…})`
 * on purpose: that is the form Electronegativity checks (npm run lint:electron).
 *
 * Self-service kiosks are full-screen kiosk windows without a frame; the staff desks (admission, discharge)
 * get a normal frame and are maximised on show (kiosk-window.ts). Never a menu bar.
 */
export function openTerminalWindow(BrowserWindow: WindowConstructor, input: WindowOptionsInput): BrowserWindow {
  const kiosk = input.mode === 'self-service';
  return new BrowserWindow({
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
    webPreferences: {
      preload: input.preloadPath,
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
      devTools: input.allowDevTools,
    },
  });
}

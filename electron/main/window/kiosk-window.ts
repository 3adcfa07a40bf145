import type { BrowserWindow } from 'electron';
import type { Logger } from '../../../services/logging/logger.ts';
import { APP_ENTRY_URL } from '../protocol/origin.ts';
import { openTerminalWindow, type TerminalMode, type WindowConstructor } from './window-options.ts';

export type { WindowConstructor } from './window-options.ts';

export interface KioskWindowOptions {
  BrowserWindow: WindowConstructor;
  mode: TerminalMode;
  preloadPath: string;
  allowDevTools: boolean;
  /** What to load first: the terminal (default) or, after a failed start, the out-of-service page. */
  url?: string;
  log: Logger;
}

export interface KioskWindow {
  window: BrowserWindow;
  /** Lets the window close (called on app quit); until then a kiosk window refuses to close. */
  allowClose(): void;
}

/**
 * Creates the one terminal window and loads the renderer from app://kiosk. On a self-service kiosk the
 * window cannot be closed by the patient (Alt+F4, a gesture): only an app quit (OS shutdown, the supervisor,
 * a staff restart) releases it. Staff desks are ordinary maximised windows.
 */
export function createKioskWindow(options: KioskWindowOptions): KioskWindow {
  const win = openTerminalWindow(options.BrowserWindow, { mode: options.mode, preloadPath: options.preloadPath, allowDevTools: options.allowDevTools });
  const kiosk = options.mode === 'self-service';
  let closeAllowed = !kiosk;

  win.removeMenu();
  win.once('ready-to-show', () => {
    if (!kiosk) win.maximize();
    win.show();
    win.focus();
  });
  win.on('close', (event) => {
    if (closeAllowed) return;
    event.preventDefault();
    options.log.warn('kiosk-close-refused');
  });
  void win.loadURL(options.url ?? APP_ENTRY_URL).catch((err: unknown) => options.log.error('renderer-load-failed', { err }));

  return {
    window: win,
    allowClose() {
      closeAllowed = true;
    },
  };
}

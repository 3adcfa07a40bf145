import { app, BrowserWindow, ipcMain, Menu, powerSaveBlocker, protocol, safeStorage, session } from 'electron';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadConfig } from '../../services/config/load.ts';
import { createLogger } from '../../services/logging/logger.ts';
import { createTerminal } from '../../services/terminal.ts';
import { logFileWriter } from './logging/log-file.ts';
import { startKiosk } from './start-kiosk.ts';
import { autoUpdater } from 'electron-updater';
import { startUpdates } from './updates/start-updates.ts';

// The Electron entry (bundled to dist/electron/main.cjs). Only wiring: every step lives in start-kiosk.ts and
// the modules it calls, which take these Electron objects as parameters and are unit-tested with fakes.
void startKiosk(
  { app, BrowserWindow, Menu, ipcMain, protocol, session, powerSaveBlocker },
  {
    process,
    loadConfig,
    // The Printer is built in main (printing/electron-printer.ts) and handed to the composition root, which
    // gives it to services/documents (documents.print); PDFs come from Electron's own printToPDF.
    // safeStorage (DPAPI / keychain / libsecret) seals the store and audit keys (services/security/key-store.ts).
    createTerminal: async (loaded, { printer, pdf }) => {
      const terminal = await createTerminal(loaded, { printer, pdf, safeStorage });
      // Updates (electron-updater, generic provider) only in the packaged app; installed when idle.
      if (app.isPackaged) startUpdates(loaded.config, terminal, autoUpdater, createLogger({ scope: 'updates' }));
      return terminal;
    },
    createLogger: (write) => createLogger({ scope: 'main', write }),
    logWriter: logFileWriter,
    spawn,
    exists: existsSync,
    now: Date.now,
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
  },
).catch((err: unknown) => {
  // Startup itself failed before the logger or window existed: say it on stderr and let the supervisor retry.
  process.stderr.write(`kiosk main: startup failed: ${err instanceof Error ? err.message : String(err)}\n`);
  app.exit(1);
});

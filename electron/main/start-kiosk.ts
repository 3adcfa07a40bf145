import type { App, Menu, PowerSaveBlocker, Protocol, WebContents } from 'electron';
import { isKioskError } from '../../contract/errors.ts';
import { join } from 'node:path';
import type { LoadedConfig } from '../../services/config/load.ts';
import type { Logger } from '../../services/logging/logger.ts';
import type { Terminal } from '../../services/terminal.ts';
import { installCrashGuard, type CrashGuard, type CrashPolicy } from './crash/crash-guard.ts';
import { installMainErrorGuard, type ProcessEvents } from './crash/main-errors.ts';
import { outOfServicePage } from './crash/out-of-service-page.ts';
import { createRelauncher, type RelaunchBudget } from './crash/relaunch.ts';
import { fileRelaunchLedger } from './crash/relaunch-ledger.ts';
import { registerKioskIpc, type IpcRegistrar } from './ipc/kiosk-ipc.ts';
import { APP_DIR_NAME, resolveKioskPaths, type KioskPaths } from './paths.ts';
import { createElectronPrinter, openPrintWindow } from './printing/electron-printer.ts';
import { createPdfSpooler, purgeSpoolDir, type PdfSpoolerOptions } from './printing/pdf-spooler.ts';
import type { Printer } from './printing/printer.ts';
import { createElectronPdfRenderer } from './printing/electron-pdf-renderer.ts';
import type { PdfRenderer } from '../../services/documents/pdf.ts';
import { APP_SCHEME_PRIVILEGES, OUT_OF_SERVICE_PATH, serveApp } from './protocol/app-protocol.ts';
import { APP_ENTRY_URL, APP_ORIGIN } from './protocol/origin.ts';
import { createKioskWindow, type KioskWindow, type WindowConstructor } from './window/kiosk-window.ts';
import { applySessionPolicy, type PolicySession } from './window/session-policy.ts';
import { guardAllWebContents } from './window/web-contents-guard.ts';

const OUT_OF_SERVICE_URL = `${APP_ORIGIN}${OUT_OF_SERVICE_PATH}`;

/** The Electron objects main uses, injected so every step runs against fakes in unit tests. */
export interface ElectronModules {
  app: Pick<App, 'requestSingleInstanceLock' | 'quit' | 'exit' | 'relaunch' | 'on' | 'whenReady' | 'getPath' | 'setPath' | 'getAppPath' | 'isPackaged'>;
  BrowserWindow: WindowConstructor;
  Menu: Pick<typeof Menu, 'setApplicationMenu'>;
  ipcMain: IpcRegistrar;
  protocol: Pick<Protocol, 'registerSchemesAsPrivileged' | 'handle'>;
  session: { defaultSession: PolicySession; fromPartition(partition: string): PolicySession };
  powerSaveBlocker: Pick<PowerSaveBlocker, 'start' | 'stop'>;
}

/** Everything else from the host: the composition root, the clock, the process, the file system. */
export interface HostModules {
  process: ProcessEvents & { env: NodeJS.ProcessEnv; argv: readonly string[]; platform: NodeJS.Platform };
  loadConfig: (options: { path?: string; env: NodeJS.ProcessEnv }) => LoadedConfig;
  /** services/terminal.ts createTerminal, given the Electron Printer (ServiceContext.printer). */
  createTerminal: (loaded: LoadedConfig, platform: { printer: Printer; pdf: PdfRenderer }) => Promise<Pick<Terminal, 'dispatcher' | 'close'>>;
  createLogger: (writeLine: (line: string) => void) => Logger;
  logWriter: (file: string) => (line: string) => void;
  spawn: PdfSpoolerOptions['spawn'];
  exists: (path: string) => boolean;
  now: () => number;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
  crashPolicy?: Partial<CrashPolicy>;
  relaunchBudget?: RelaunchBudget;
}

export interface KioskRuntime {
  paths: KioskPaths;
  log: Logger;
  kioskWindow: KioskWindow;
  /** Null when the configuration could not be loaded (the window then shows the out-of-service page). */
  terminal: Pick<Terminal, 'dispatcher' | 'close'> | null;
  crashGuard: CrashGuard | null;
  printer: Printer;
}

/**
 * The Electron main process, start to finish: single instance, app:// scheme, hardened sessions and web
 * contents, configuration and services, the terminal window, IPC, crash recovery, display sleep on kiosks.
 * Returns null when another instance already runs (this one quits).
 */
export async function startKiosk(electron: ElectronModules, host: HostModules): Promise<KioskRuntime | null> {
  const { app } = electron;
  const env = host.process.env;

  // Before ready: a fixed data folder (whatever productName the installer used), the privileged scheme, no
  // application menu, one instance per machine (the lock lives in the data folder, so it is set first).
  app.setPath('userData', join(app.getPath('appData'), APP_DIR_NAME));
  electron.protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  electron.Menu.setApplicationMenu(null);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }

  const paths = resolveKioskPaths({ platform: host.process.platform, env, userData: app.getPath('userData'), exists: host.exists });
  const log = host.createLogger(host.logWriter(join(paths.logDir, 'main.log')));
  log.info('main-start', { packaged: app.isPackaged, platform: host.process.platform, config: paths.configPath ?? 'demo defaults' });

  let runtime: KioskRuntime | null = null;
  let quitting = false;
  const relauncher = createRelauncher({
    app,
    ledger: fileRelaunchLedger(paths.relaunchLedger),
    log,
    now: host.now,
    env,
    argv: host.process.argv,
    ...(host.relaunchBudget ? { budget: host.relaunchBudget } : {}),
  });
  installMainErrorGuard({
    process: host.process,
    relauncher,
    log,
    giveUp: (reason) => {
      if (runtime?.crashGuard) runtime.crashGuard.outOfService(reason);
      else app.exit(1); // nothing to show it in: leave it to the OS supervisor
    },
  });
  guardAllWebContents(app, log);

  app.on('second-instance', () => {
    const win = runtime?.kioskWindow.window;
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    quitting = true;
    runtime?.kioskWindow.allowClose();
  });

  await app.whenReady();

  applySessionPolicy(electron.session.defaultSession, log);
  applySessionPolicy(electron.session.fromPartition('print'), log);

  let loaded: LoadedConfig | null = null;
  let startupError: string | null = null;
  try {
    loaded = host.loadConfig({ ...(paths.configPath ? { path: paths.configPath } : {}), env: { ...env, KIOSK_DATA_DIR: paths.dataDir } });
  } catch (err) {
    startupError = `配置错误：${err instanceof Error ? err.message : String(err)}`;
    log.error('config-invalid', { err });
  }
  const mode = loaded?.config.mode ?? 'admission'; // a broken configuration gets a closable staff window
  const terminalName = loaded?.config.terminal.name ?? '前台终端';
  let outOfServiceSince = new Date(host.now());

  serveApp(electron.protocol, {
    rendererDir: join(app.getAppPath(), 'dist', 'renderer'),
    outOfServiceHtml: () => outOfServicePage({ terminalName, since: outOfServiceSince, ...(startupError ? { detail: startupError } : {}) }),
  });

  purgeSpoolDir(paths.spoolDir);
  const printer = createElectronPrinter({
    createWindow: (media) => openPrintWindow(electron.BrowserWindow, media),
    deviceName: loaded?.config.printer.name ?? null,
    spooler: createPdfSpooler({ dir: paths.spoolDir, platform: host.process.platform, spawn: host.spawn, log }),
    log,
  });
  const pdf = createElectronPdfRenderer({ createWindow: (media) => openPrintWindow(electron.BrowserWindow, media) });

  // Services and IPC handlers first, so the page's first call never finds a channel without a handler.
  let terminal: Pick<Terminal, 'dispatcher' | 'close'> | null = null;
  if (loaded) {
    try {
      terminal = await host.createTerminal(loaded, { printer, pdf });
    } catch (err) {
      // A refused store (missing, damaged) says what to do next: the recovery steps belong on the page too.
      const guidance = isKioskError(err) && err.guidance.length > 0 ? ` ${err.guidance.join(' ')}` : '';
      startupError = `终端服务启动失败：${err instanceof Error ? err.message : String(err)}${guidance}`;
      log.error('terminal-start-failed', { err });
    }
  }
  let contents: WebContents | null = null;
  const disposeIpc = terminal
    ? registerKioskIpc({
        ipcMain: electron.ipcMain,
        dispatcher: terminal.dispatcher,
        trustedContents: () => (contents && !contents.isDestroyed() ? contents : null),
        log,
      })
    : () => undefined;

  const kioskWindow = createKioskWindow({
    BrowserWindow: electron.BrowserWindow,
    mode,
    preloadPath: join(app.getAppPath(), 'dist', 'electron', 'preload.cjs'),
    allowDevTools: !app.isPackaged && env.KIOSK_DEVTOOLS === '1',
    url: terminal ? APP_ENTRY_URL : OUT_OF_SERVICE_URL,
    log,
  });
  const windowContents = kioskWindow.window.webContents;
  contents = windowContents;

  let crashGuard: CrashGuard | null = null;
  if (terminal) {
    crashGuard = installCrashGuard({
      contents: windowContents,
      relauncher,
      showOutOfService: () => {
        outOfServiceSince = new Date(host.now());
        void windowContents.loadURL(OUT_OF_SERVICE_URL).catch((err: unknown) => log.error('out-of-service-load-failed', { err }));
      },
      showTerminal: () => void windowContents.loadURL(APP_ENTRY_URL).catch((err: unknown) => log.error('renderer-load-failed', { err })),
      quitting: () => quitting,
      log,
      now: host.now,
      setTimer: host.setTimer,
      clearTimer: host.clearTimer,
      ...(host.crashPolicy ? { policy: host.crashPolicy } : {}),
    });
  }

  // Self-service kiosks never let the display sleep; staff desks follow the OS power settings.
  const blockerId = terminal && mode === 'self-service' ? electron.powerSaveBlocker.start('prevent-display-sleep') : null;

  // Close the services (SQLite, serial ports, HID) before the process ends, bounded so a stuck device
  // cannot keep a quitting kiosk alive.
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    if (blockerId !== null) electron.powerSaveBlocker.stop(blockerId);
    disposeIpc();
    const closing = terminal ? terminal.close() : Promise.resolve();
    let timer: unknown = null;
    const timeout = new Promise<void>((resolve) => (timer = host.setTimer(() => resolve(log.warn('terminal-close-timeout')), 5_000)));
    void Promise.race([closing.catch((err: unknown) => log.error('terminal-close-failed', { err })), timeout]).then(() => {
      host.clearTimer(timer);
      closed = true;
      app.quit();
    });
  });

  log.info(terminal ? 'main-ready' : 'main-out-of-service', { mode, terminal: terminalName });
  runtime = { paths, log, kioskWindow, terminal, crashGuard, printer };
  return runtime;
}

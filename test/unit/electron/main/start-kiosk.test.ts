import { EventEmitter } from 'node:events';
import { KioskError } from '../../../../contract/errors.ts';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelOf } from '../../../../contract/define.ts';
import { Reply } from '../../../../contract/wire.ts';
import { startKiosk, type HostModules } from '../../../../electron/main/start-kiosk.ts';
import { loadConfig } from '../../../../services/config/load.ts';
import { createLogger } from '../../../../services/logging/logger.ts';
import {
  fakeEvent,
  FakeApp,
  FakeBrowserWindow,
  FakeIpcMain,
  FakeIpcRenderer,
  FakePowerSaveBlocker,
  FakeProtocol,
  FakeSession,
  manualTime,
  testDispatcher,
} from '../fakes.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kiosk-main-'));
  mkdirSync(join(root, 'app', 'dist', 'renderer'), { recursive: true });
  writeFileSync(join(root, 'app', 'dist', 'renderer', 'index.html'), '<!doctype html><title>kiosk</title>');
  FakeBrowserWindow.created = [];
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function setup(options: { env?: NodeJS.ProcessEnv; gotLock?: boolean; terminalFails?: boolean | Error } = {}) {
  const app = new FakeApp({ appData: join(root, 'appdata'), appPath: join(root, 'app') });
  app.gotLock = options.gotLock ?? true;
  const ipcMain = new FakeIpcMain();
  const protocol = new FakeProtocol();
  const defaultSession = new FakeSession();
  const printSession = new FakeSession();
  const powerSaveBlocker = new FakePowerSaveBlocker();
  const menu = { menus: [] as unknown[], setApplicationMenu(m: unknown) { this.menus.push(m); } };
  const proc = Object.assign(new EventEmitter(), { env: { ...options.env }, argv: ['/opt/kiosk/kiosk'], platform: 'linux' as NodeJS.Platform });
  const time = manualTime();
  const { dispatcher, calls } = testDispatcher();
  const terminal = { closed: 0, printerGiven: null as unknown, pdfGiven: null as unknown };
  const lines: string[] = [];
  const host: HostModules = {
    process: proc,
    loadConfig,
    createTerminal: async (_loaded, platform) => {
      if (options.terminalFails) throw options.terminalFails instanceof Error ? options.terminalFails : new Error('serial port COM3 busy');
      terminal.printerGiven = platform.printer;
      terminal.pdfGiven = platform.pdf;
      return { dispatcher, close: async () => void terminal.closed++ };
    },
    createLogger: (write) => createLogger({ scope: 'main', write }),
    logWriter: () => (line) => lines.push(line),
    spawn: (() => {
      throw new Error('no spawning in this test');
    }) as never,
    exists: () => false,
    now: time.now,
    setTimer: time.setTimer,
    clearTimer: time.clearTimer,
  };
  const started = startKiosk(
    { app: app as never, BrowserWindow: FakeBrowserWindow as never, Menu: menu as never, ipcMain: ipcMain as never, protocol: protocol as never, session: { defaultSession: defaultSession as never, fromPartition: (p: string) => (p === 'print' ? printSession : new FakeSession()) as never }, powerSaveBlocker: powerSaveBlocker as never },
    host,
  );
  return { app, ipcMain, protocol, defaultSession, printSession, powerSaveBlocker, menu, proc, time, calls, terminal, lines, started };
}

const window = () => FakeBrowserWindow.created[0]!;

describe('startKiosk', () => {
  it('quits at once when another instance holds the lock', async () => {
    const s = setup({ gotLock: false });
    expect(await s.started).toBeNull();
    expect(s.app.quitCalls).toBe(1);
    expect(FakeBrowserWindow.created).toEqual([]);
  });

  it('keeps its data in <appData>/jiangsu-kiosk, fixed before the single-instance lock is taken', async () => {
    const s = setup({ gotLock: false });
    await s.started;
    expect(s.app.getPath('userData')).toBe(join(root, 'appdata', 'jiangsu-kiosk'));
  });

  it('logs to <userData>/logs and defaults KIOSK_DATA_DIR to <userData>/data', async () => {
    const s = setup();
    s.app.becomeReady();
    const runtime = (await s.started)!;
    expect(runtime.paths.logDir).toBe(join(root, 'appdata', 'jiangsu-kiosk', 'logs'));
    expect(runtime.paths.dataDir).toBe(join(root, 'appdata', 'jiangsu-kiosk', 'data'));
  });

  it('registers the app:// scheme and removes the menu before the app is ready', async () => {
    const s = setup();
    await Promise.resolve();
    expect(s.protocol.privileged).toEqual([expect.objectContaining({ scheme: 'app' })]);
    expect(s.menu.menus).toEqual([null]);
    expect(s.protocol.handlers.size).toBe(0);
    expect(FakeBrowserWindow.created).toEqual([]);
    s.app.becomeReady();
    await s.started;
    expect(s.protocol.handlers.has('app')).toBe(true);
  });

  it('brings up a self-service kiosk: hardened sessions, kiosk window, IPC, display kept awake', async () => {
    const s = setup({ env: { KIOSK_MODE: 'self-service' } });
    s.app.becomeReady();
    const runtime = (await s.started)!;
    for (const session of [s.defaultSession, s.printSession]) {
      expect(session.permissionRequestHandler).not.toBeNull();
      expect(session.beforeRequest).not.toBeNull();
    }
    expect(window().options).toMatchObject({ kiosk: true, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, preload: join(root, 'app', 'dist', 'electron', 'preload.cjs') } });
    expect(window().webContents.loaded).toEqual(['app://kiosk/index.html']);
    expect(s.ipcMain.handlers.size).toBe(runtime.terminal!.dispatcher.channels.length);
    expect(s.powerSaveBlocker.started).toEqual(['prevent-display-sleep']);
    expect(s.terminal.printerGiven).toBe(runtime.printer);
    // PDFs under Electron come from its own printToPDF, not from a second (system) Chromium.
    expect((s.terminal.pdfGiven as { availability(): unknown }).availability()).toEqual({ ok: true });
    // The page can call the API over IPC; a web contents the app creates later is guarded too.
    const reply = Reply.parse(await new FakeIpcRenderer(s.ipcMain, window().webContents).invoke(channelOf('system', 'status'), {}));
    expect(reply.ok).toBe(true);
    const nav = fakeEvent();
    s.app.emit('web-contents-created', {}, window().webContents);
    window().webContents.emit('will-navigate', nav, 'https://evil.example/');
    expect(nav.defaultPrevented).toBe(true);
  });

  it('maximises a staff desk and leaves display sleep to the OS', async () => {
    const s = setup({ env: { KIOSK_MODE: 'discharge' } });
    s.app.becomeReady();
    await s.started;
    window().emit('ready-to-show');
    expect(window().maximized).toBe(true);
    expect(window().options.kiosk).toBe(false);
    expect(s.powerSaveBlocker.started).toEqual([]);
  });

  it('reloads a crashed renderer through the crash guard', async () => {
    const s = setup();
    s.app.becomeReady();
    await s.started;
    window().webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 11 });
    expect(window().webContents.reloads).toBe(1);
  });

  it('focuses the window when a second instance starts', async () => {
    const s = setup();
    s.app.becomeReady();
    await s.started;
    window().minimized = true;
    s.app.emit('second-instance');
    expect(window().minimized).toBe(false);
    expect(window().focused).toBeGreaterThan(0);
  });

  it('on quit: lets the kiosk window close, closes the services, stops the blocker, then quits', async () => {
    const s = setup({ env: { KIOSK_MODE: 'self-service' } });
    s.app.becomeReady();
    await s.started;
    expect(window().tryClose()).toBe(true); // refused while running
    s.app.emit('before-quit');
    expect(window().tryClose()).toBe(false);
    const willQuit = fakeEvent();
    s.app.emit('will-quit', willQuit);
    expect(willQuit.defaultPrevented).toBe(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(s.terminal.closed).toBe(1);
    expect(s.powerSaveBlocker.stopped).toEqual([42]);
    expect(s.ipcMain.handlers.size).toBe(0);
    expect(s.app.quitCalls).toBe(1);
    const again = fakeEvent();
    s.app.emit('will-quit', again);
    expect(again.defaultPrevented).toBe(false);
  });

  it('shows the out-of-service page with the reason when the configuration is invalid', async () => {
    const s = setup({ env: { KIOSK_MODE: 'bogus' } });
    s.app.becomeReady();
    const runtime = (await s.started)!;
    expect(runtime.terminal).toBeNull();
    expect(window().webContents.loaded).toEqual(['app://kiosk/__out-of-service']);
    expect(s.ipcMain.handlers.size).toBe(0);
    const page = await (await s.protocol.handlers.get('app')!(new Request('app://kiosk/__out-of-service'))).text();
    expect(page).toContain('本机暂停服务');
    expect(page).toContain('配置错误');
    expect(s.lines.some((l) => l.includes('config-invalid'))).toBe(true);
  });

  it('shows the out-of-service page when the services fail to start', async () => {
    const s = setup({ terminalFails: true });
    s.app.becomeReady();
    await s.started;
    expect(window().webContents.loaded).toEqual(['app://kiosk/__out-of-service']);
    const page = await (await s.protocol.handlers.get('app')!(new Request('app://kiosk/__out-of-service'))).text();
    expect(page).toContain('终端服务启动失败');
  });

  it('a refused store shows its recovery steps on the out-of-service page', async () => {
    const s = setup({ terminalFails: new KioskError('STORE_MISSING', '本机数据库文件不见了', ['用最近的备份恢复：停止终端后运行 kiosk store restore']) });
    s.app.becomeReady();
    await s.started;
    const page = await (await s.protocol.handlers.get('app')!(new Request('app://kiosk/__out-of-service'))).text();
    expect(page).toContain('本机数据库文件不见了');
    expect(page).toContain('kiosk store restore');
  });

  it('relaunches the app on an uncaught main-process error', async () => {
    const s = setup();
    s.app.becomeReady();
    await s.started;
    s.proc.emit('uncaughtException', new Error('boom'));
    expect(s.app.relaunches).toEqual([{ args: [] }]);
    expect(s.app.exitCodes).toEqual([0]);
  });
});

import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { BrowserWindowConstructorOptions } from 'electron';
import { kioskContract, type KioskServices } from '../../../contract/api.ts';
import { Dispatcher } from '../../../contract/dispatcher.ts';
import { everyRole } from '../../fakes/fake-services.ts';
import { KioskError } from '../../../contract/errors.ts';
import { memoryLogger } from '../../../services/logging/logger.ts';

/**
 * Fakes of the Electron objects main touches (the VotingWorks kiosk-browser pattern): plain objects with the
 * same method names, recording what was done to them. Only what the code under test calls is implemented.
 */

let nextId = 1;

export class FakeFrame {
  parent: FakeFrame | null = null;
  constructor(
    public url: string,
    public processId = 7,
    public routingId = nextId++,
  ) {}
}

/** A fake `Event` with preventDefault. */
export function fakeEvent() {
  return { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
}

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  mainFrame: FakeFrame;
  destroyed = false;
  reloads = 0;
  crashedByGuard = 0;
  loaded: string[] = [];
  sent: Array<{ channel: string; args: unknown[] }> = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  constructor(url = 'app://kiosk/index.html') {
    super();
    this.mainFrame = new FakeFrame(url);
  }
  isDestroyed() {
    return this.destroyed;
  }
  reload() {
    this.reloads++;
  }
  forcefullyCrashRenderer() {
    this.crashedByGuard++;
  }
  async loadURL(url: string) {
    this.loaded.push(url);
    this.mainFrame.url = url;
  }
  send(channel: string, ...args: unknown[]) {
    this.sent.push({ channel, args: structuredClone(args) });
    this.emit('__sent', channel, ...structuredClone(args));
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  readonly webContents: FakeWebContents;
  menuRemoved = false;
  shown = false;
  maximized = false;
  focused = 0;
  minimized = false;
  destroyed = false;
  constructor(public readonly options: BrowserWindowConstructorOptions) {
    super();
    this.webContents = new FakeWebContents('about:blank');
    FakeBrowserWindow.created.push(this);
  }
  removeMenu() {
    this.menuRemoved = true;
  }
  show() {
    this.shown = true;
  }
  maximize() {
    this.maximized = true;
  }
  focus() {
    this.focused++;
  }
  isMinimized() {
    return this.minimized;
  }
  restore() {
    this.minimized = false;
  }
  isDestroyed() {
    return this.destroyed;
  }
  destroy() {
    this.destroyed = true;
  }
  loadURL(url: string) {
    return this.webContents.loadURL(url);
  }
  /** Emit 'close' as the OS would; returns whether the close was refused. */
  tryClose(): boolean {
    const e = fakeEvent();
    this.emit('close', e);
    return e.defaultPrevented;
  }
}

type Handler = (event: unknown, ...args: unknown[]) => unknown;

export class FakeIpcMain {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, handler: Handler) {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  /** What Electron does on ipcRenderer.invoke: find the handler, call it with the event, clone the result. */
  async invoke(event: { sender: { id: number }; senderFrame: FakeFrame | null }, channel: string, ...args: unknown[]) {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return structuredClone(await handler(event, ...structuredClone(args)));
  }
}

/**
 * The renderer side of an in-memory IPC pair: invoke goes to FakeIpcMain as coming from `frame` of
 * `contents`; events that main sends to `contents` arrive at `on` listeners.
 */
export class FakeIpcRenderer {
  private readonly listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  constructor(
    private readonly ipcMain: FakeIpcMain,
    private readonly contents: FakeWebContents,
    public frame: FakeFrame = contents.mainFrame,
  ) {
    contents.on('__sent', (channel: string, ...args: unknown[]) => {
      for (const l of this.listeners.get(channel) ?? []) l({ sender: this }, ...args);
    });
  }
  invoke(channel: string, ...args: unknown[]) {
    return this.ipcMain.invoke({ sender: this.contents, senderFrame: this.frame }, channel, ...args);
  }
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
    if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
    this.listeners.get(channel)!.add(listener);
    return this;
  }
}

export class FakeSession {
  permissionRequestHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void, details?: unknown) => void) | null = null;
  permissionCheckHandler: ((...args: unknown[]) => boolean) | null = null;
  devicePermissionHandler: ((...args: unknown[]) => boolean) | null = null;
  beforeRequest: { filter: { urls: string[] }; listener: (details: { url: string; resourceType: string }, cb: (r: { cancel: boolean }) => void) => void } | null = null;
  setPermissionRequestHandler(h: FakeSession['permissionRequestHandler']) {
    this.permissionRequestHandler = h;
  }
  setPermissionCheckHandler(h: FakeSession['permissionCheckHandler']) {
    this.permissionCheckHandler = h;
  }
  setDevicePermissionHandler(h: FakeSession['devicePermissionHandler']) {
    this.devicePermissionHandler = h;
  }
  webRequest = {
    onBeforeRequest: (filter: { urls: string[] }, listener: NonNullable<FakeSession['beforeRequest']>['listener']) => {
      this.beforeRequest = { filter, listener };
    },
  };
}

export class FakeApp extends EventEmitter {
  isPackaged = true;
  gotLock = true;
  quitCalls = 0;
  exitCodes: number[] = [];
  relaunches: unknown[] = [];
  private ready!: () => void;
  private readonly readyPromise = new Promise<void>((r) => (this.ready = r));
  readonly paths = new Map<string, string>();
  constructor(dirs: { appData: string; appPath: string }) {
    super();
    this.paths.set('appData', dirs.appData);
    this.paths.set('userData', join(dirs.appData, 'Electron'));
    this.appPath = dirs.appPath;
  }
  private readonly appPath: string;
  requestSingleInstanceLock() {
    return this.gotLock;
  }
  quit() {
    this.quitCalls++;
  }
  exit(code = 0) {
    this.exitCodes.push(code);
  }
  relaunch(options?: unknown) {
    this.relaunches.push(options);
  }
  whenReady() {
    return this.readyPromise;
  }
  becomeReady() {
    this.ready();
  }
  getPath(name: string) {
    const p = this.paths.get(name);
    if (p === undefined) throw new Error(`getPath(${name}) not faked`);
    return p;
  }
  setPath(name: string, path: string) {
    this.paths.set(name, path);
  }
  getAppPath() {
    return this.appPath;
  }
}

export class FakeProtocol {
  privileged: unknown[] = [];
  handlers = new Map<string, (request: Request) => Promise<Response> | Response>();
  registeredBeforeReady: boolean | null = null;
  registerSchemesAsPrivileged(schemes: unknown[]) {
    this.privileged.push(...schemes);
  }
  handle(scheme: string, handler: (request: Request) => Promise<Response> | Response) {
    this.handlers.set(scheme, handler);
  }
}

export class FakePowerSaveBlocker {
  started: string[] = [];
  stopped: number[] = [];
  start(type: string) {
    this.started.push(type);
    return 42;
  }
  stop(id: number) {
    this.stopped.push(id);
  }
}

/** A manual clock and timer queue for the crash guard and relaunch budget. */
export function manualTime(start = Date.parse('2026-03-02T08:00:00+08:00')) {
  let now = start;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let next = 1;
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => {
      const id = next++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimer: (id: unknown) => void timers.delete(id as number),
    advance(ms: number) {
      now += ms;
      for (const [id, t] of [...timers]) {
        if (t.at <= now) {
          timers.delete(id);
          t.fn();
        }
      }
    },
    pending: () => timers.size,
  };
}

export const testLogger = memoryLogger;

/** Parsed log records of a memoryLogger. */
export function records(log: { lines: string[] }): Array<Record<string, unknown>> {
  return log.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

/**
 * A real Dispatcher over the real contract, with services that answer: system.status returns a valid
 * TerminalStatus, admission.get echoes its id, everything else refuses with NOT_AVAILABLE. Calls are
 * recorded so tests can prove that a refused sender never reached a service.
 */
export function testDispatcher() {
  const calls: Array<{ method: string; args: unknown; ctx: unknown }> = [];
  const services: Record<string, Record<string, (args: unknown, ctx: unknown) => Promise<unknown>>> = {};
  for (const [group, methods] of Object.entries(kioskContract)) {
    services[group] = {};
    for (const name of Object.keys(methods)) {
      services[group]![name] = async (args, ctx) => {
        calls.push({ method: `${group}.${name}`, args, ctx });
        throw new KioskError('NOT_AVAILABLE', '该功能尚未接入本终端。', ['请联系信息科。']);
      };
    }
  }
  services.system!.status = async (args, ctx) => {
    calls.push({ method: 'system.status', args, ctx });
    return {
      mode: 'self-service',
      demo: true,
      hospital: { code: 'H32020000001', name: '无锡市第一人民医院', level: 3 },
      terminalName: '前台终端01',
      reader: { state: 'none', name: null, message: null },
      platform: { online: false, checkedAt: null },
      queue: { depth: 0, deadLetters: 0, oldestAgeSeconds: null },
      operator: null,
      idleTimeoutSeconds: 90,
    };
  };
  const dispatcher = new Dispatcher(services as unknown as KioskServices, everyRole, { validateResults: true });
  return { dispatcher, calls };
}

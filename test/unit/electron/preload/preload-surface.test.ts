import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { kioskContract, kioskEvents } from '../../../../contract/api.ts';
import { channelOf, EVENT_CHANNEL } from '../../../../contract/define.ts';
// @ts-expect-error: plain ESM build script without type declarations
import { buildElectron } from '../../../../scripts/build-electron.mjs';

/** The surface window.kiosk must have: every contract group with exactly its methods, plus `on`. */
const expectedShape = () => ({
  ...Object.fromEntries(Object.entries(kioskContract).map(([g, methods]) => [g, Object.keys(methods).sort()])),
  on: 'function',
});

/** The shape of what was exposed: groups → sorted method names; top-level functions → 'function'. */
function shapeOf(api: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(api).map(([k, v]) => {
      if (typeof v === 'function') return [k, 'function'];
      const group = v as Record<string, unknown>;
      for (const fn of Object.values(group)) expect(typeof fn).toBe('function');
      return [k, Object.keys(group).sort()];
    }),
  );
}

/** A fake of what a sandboxed preload sees of 'electron': contextBridge and ipcRenderer. */
function fakeElectron() {
  const exposed: Array<{ key: string; api: Record<string, unknown> }> = [];
  const invoked: Array<{ channel: string; args: unknown[] }> = [];
  const listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
  const ipcRenderer = {
    invoke: async (channel: string, ...args: unknown[]) => {
      invoked.push({ channel, args });
      return { ok: true, value: { ok: true } };
    },
    on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
      listeners.set(channel, listener);
      return ipcRenderer;
    },
    // Present on the real object; the preload must not hand these to the page.
    send: () => undefined,
    sendSync: () => undefined,
  };
  return {
    electron: { contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.push({ key, api }) }, ipcRenderer },
    exposed,
    invoked,
    listeners,
  };
}

function assertExactSurface(exposed: Array<{ key: string; api: Record<string, unknown> }>) {
  expect(exposed.map((e) => e.key)).toEqual(['kiosk']);
  const api = exposed[0]!.api;
  expect(shapeOf(api)).toEqual(expectedShape());
  // Nothing generic leaks: no ipcRenderer, no invoke/send, at any level.
  const names = Object.entries(api).flatMap(([k, v]) => (typeof v === 'function' ? [k] : [k, ...Object.keys(v as object)]));
  for (const forbidden of ['ipcRenderer', 'invoke', 'send', 'sendSync', 'postMessage', 'require']) expect(names).not.toContain(forbidden);
  expect(Object.isFrozen(api)).toBe(true);
  return api;
}

describe('electron/preload/index.ts (source, with a fake electron module)', () => {
  const fake = fakeElectron();
  beforeAll(async () => {
    vi.doMock('electron', () => fake.electron);
    await import('../../../../electron/preload/index.ts');
  });

  it('exposes exactly window.kiosk with the KioskApi groups and methods plus on', () => {
    assertExactSurface(fake.exposed);
  });

  it('sends each method on its own kiosk:<group>.<method> channel with one argument', async () => {
    const api = fake.exposed[0]!.api as { demo: { removeCard(a: unknown): Promise<unknown> } };
    await api.demo.removeCard({});
    expect(fake.invoked).toEqual([{ channel: channelOf('demo', 'removeCard'), args: [{}] }]);
  });

  it('listens on the one event channel only', () => {
    expect([...fake.listeners.keys()]).toEqual([EVENT_CHANNEL]);
  });
});

describe('dist preload bundle (built by scripts/build-electron.mjs, run as a sandboxed preload)', () => {
  let outDir: string;
  let built: { preloadFile: string; preloadRequires: string[]; mainExternals: string[] };
  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'kiosk-electron-build-'));
    built = await buildElectron({ outDir, logLevel: 'silent' });
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('is one file that requires nothing but electron', () => {
    expect(readdirSync(outDir).filter((f) => f.startsWith('preload'))).toEqual(['preload.cjs']);
    expect(built.preloadRequires).toEqual(['electron']);
  });

  it('runs with only `require("electron")` available and exposes exactly the KioskApi', async () => {
    const fake = fakeElectron();
    const required: string[] = [];
    const sandboxRequire = (id: string) => {
      required.push(id);
      if (id === 'electron') return fake.electron;
      throw new Error(`module not found: ${id} (a sandboxed preload can only require electron)`);
    };
    const module = { exports: {} };
    runInNewContext(readFileSync(built.preloadFile, 'utf8'), {
      require: sandboxRequire,
      module,
      exports: module.exports,
      console,
      setTimeout,
      clearTimeout,
      queueMicrotask,
      TextEncoder,
      TextDecoder,
      URL,
    });
    expect(required).toEqual(['electron']);
    const api = assertExactSurface(fake.exposed) as { system: { resetSession(a: unknown): Promise<unknown> }; on: (e: string, l: (p: unknown) => void) => () => void };
    await expect(api.system.resetSession({})).resolves.toEqual({ ok: true });
    const seen: unknown[] = [];
    api.on('qr-scanned', (p) => seen.push(p));
    fake.listeners.get(EVENT_CHANNEL)!({}, 'qr-scanned', { code: 'X' });
    expect(seen).toEqual([{ code: 'X' }]);
    expect(Object.keys(kioskEvents)).toContain('qr-scanned');
  });

  it('gives every bundled source its own location (import.meta) relative to the app root', () => {
    const main = readFileSync(join(outDir, 'main.cjs'), 'utf8');
    expect(main).not.toMatch(/import\.meta/);
    const sources = [...main.matchAll(/__kioskSource(?:Dir|File|Url)\("([^"]+)"\)/g)].map((m) => m[1]!);
    for (const rel of sources) expect(existsSync(new URL(`../../../../${rel}`, import.meta.url)), rel).toBe(true);
  });

  it('keeps native modules and electron out of the main bundle', () => {
    // playwright-core: the browser host's PDF renderer, never loaded under Electron (it injects printToPDF).
    const natives = /^(electron|better-sqlite3-multiple-ciphers|serialport|@serialport\/.*|node-hid|bufferutil|utf-8-validate|playwright-core)$/;
    for (const ext of built.mainExternals) expect(ext.startsWith('node:') || builtinModules.includes(ext) || natives.test(ext), ext).toBe(true);
  });
});

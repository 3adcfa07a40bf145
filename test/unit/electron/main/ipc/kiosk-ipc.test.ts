import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kioskContract } from '../../../../../contract/api.ts';
import { channelOf, EVENT_CHANNEL } from '../../../../../contract/define.ts';
import { Reply } from '../../../../../contract/wire.ts';
import { registerKioskIpc } from '../../../../../electron/main/ipc/kiosk-ipc.ts';
import { checkSender } from '../../../../../electron/main/ipc/sender-check.ts';
import { buildKioskBridge } from '../../../../../electron/preload/kiosk-bridge.ts';
import { FakeFrame, FakeIpcMain, FakeIpcRenderer, FakeWebContents, records, testDispatcher, testLogger } from '../../fakes.ts';

function setup() {
  const ipcMain = new FakeIpcMain();
  const contents = new FakeWebContents('app://kiosk/index.html');
  const { dispatcher, calls } = testDispatcher();
  const log = testLogger();
  let trusted: FakeWebContents | null = contents;
  const dispose = registerKioskIpc({ ipcMain: ipcMain as never, dispatcher, trustedContents: () => trusted as never, log });
  return {
    ipcMain,
    contents,
    dispatcher,
    calls,
    log,
    dispose,
    closeWindow: () => (trusted = null),
    rendererFrom: (frame?: FakeFrame | null, from: FakeWebContents = contents) =>
      new FakeIpcRenderer(ipcMain, from, (frame === undefined ? from.mainFrame : frame) as FakeFrame),
  };
}

const STATUS = channelOf('system', 'status');
const allChannels = Object.entries(kioskContract).flatMap(([g, methods]) => Object.keys(methods).map((m) => channelOf(g, m)));

describe('registerKioskIpc', () => {
  it('registers exactly one handler per contract method, and dispose removes them all', () => {
    const s = setup();
    expect([...s.ipcMain.handlers.keys()].sort()).toEqual([...allChannels].sort());
    s.dispose();
    expect(s.ipcMain.handlers.size).toBe(0);
  });

  it('answers the main frame of our window on app://kiosk', async () => {
    const s = setup();
    const reply = Reply.parse(await s.rendererFrom().invoke(STATUS, {}));
    expect(reply.ok).toBe(true);
    expect(s.calls).toEqual([{ method: 'system.status', args: {}, ctx: { transport: 'ipc' } }]);
  });

  const refusals: Array<[string, (s: ReturnType<typeof setup>) => FakeIpcRenderer | Promise<unknown>, string]> = [
    ['a foreign origin in our main frame', (s) => ((s.contents.mainFrame.url = 'https://evil.example/'), s.rendererFrom()), 'foreign-origin'],
    ['a look-alike host (app://kiosk.evil)', (s) => ((s.contents.mainFrame.url = 'app://kiosk.evil/index.html'), s.rendererFrom()), 'foreign-origin'],
    ['a file:// page', (s) => ((s.contents.mainFrame.url = 'file:///C:/kiosk/index.html'), s.rendererFrom()), 'foreign-origin'],
    [
      'a sub-frame, even on our origin',
      (s) => {
        const sub = new FakeFrame('app://kiosk/index.html');
        sub.parent = s.contents.mainFrame;
        return s.rendererFrom(sub);
      },
      'sub-frame',
    ],
    ['another window (a print window)', (s) => s.rendererFrom(undefined, new FakeWebContents('app://kiosk/index.html')), 'foreign-window'],
    ['a top frame that is not our main frame', (s) => s.rendererFrom(new FakeFrame('app://kiosk/index.html')), 'not-main-frame'],
    ['a frame already gone (senderFrame null)', (s) => s.rendererFrom(null), 'no-frame'],
    ['any sender once the window is closed', (s) => (s.closeWindow(), s.rendererFrom()), 'no-window'],
  ];

  for (const [what, make, verdict] of refusals) {
    it(`refuses ${what} with UNAUTHORIZED and never calls a service`, async () => {
      const s = setup();
      const renderer = (await make(s)) as FakeIpcRenderer;
      const reply = Reply.parse(await renderer.invoke(channelOf('admission', 'get'), { admissionId: 'A1' }));
      expect(reply).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      if (!reply.ok) expect(reply.error.message).toMatch(/[\u4e00-\u9fff]/);
      expect(s.calls).toEqual([]);
      expect(records(s.log).find((r) => r.msg === 'ipc-sender-refused')).toMatchObject({ verdict, channel: 'kiosk:admission.get' });
    });
  }

  it('lets the dispatcher reject junk arguments with INVALID_ARGUMENT before any service runs', async () => {
    const s = setup();
    const renderer = s.rendererFrom();
    for (const junk of [{ admissionId: 42 }, 'drop table', [1, 2, 3], null, { admissionId: '' }, { admissionId: 'x'.repeat(10_000) }]) {
      const reply = Reply.parse(await renderer.invoke(channelOf('admission', 'get'), junk));
      expect(reply, JSON.stringify(junk).slice(0, 40)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    }
    expect(s.calls).toEqual([]);
  });

  it('strips keys the contract does not know before the service sees the arguments', async () => {
    const s = setup();
    await s.rendererFrom().invoke(channelOf('admission', 'get'), { admissionId: 'A1', isAdmin: true });
    expect(s.calls).toEqual([{ method: 'admission.get', args: { admissionId: 'A1' }, ctx: { transport: 'ipc' } }]);
  });

  it('refuses calls with more than one argument', async () => {
    const s = setup();
    const reply = Reply.parse(await s.rendererFrom().invoke(STATUS, {}, { sneaky: true }));
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(s.calls).toEqual([]);
  });

  it('answers any argument on any channel with a well-formed Reply, and services only see parsed arguments', async () => {
    const s = setup();
    const renderer = s.rendererFrom();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...allChannels), fc.anything(), async (channel, args) => {
        const before = s.calls.length;
        let cloneable = true;
        try {
          structuredClone(args);
        } catch {
          cloneable = false; // Electron's IPC would refuse to send it at all
        }
        fc.pre(cloneable);
        const reply = Reply.parse(await renderer.invoke(channel, args));
        if (!reply.ok && reply.error.code === 'INVALID_ARGUMENT') expect(s.calls.length).toBe(before);
      }),
      { numRuns: 300 },
    );
  });

  it('sends service events to our window only, while it shows our page', () => {
    const s = setup();
    const status = { ...statusPayload() };
    s.dispatcher.emit('status', status);
    expect(s.contents.sent).toEqual([{ channel: EVENT_CHANNEL, args: ['status', status] }]);
    s.contents.mainFrame.url = 'https://evil.example/';
    s.dispatcher.emit('status', status);
    s.contents.mainFrame.url = 'app://kiosk/index.html';
    s.contents.destroyed = true;
    s.dispatcher.emit('status', status);
    expect(s.contents.sent).toHaveLength(1);
    s.dispose();
    s.contents.destroyed = false;
    s.dispatcher.emit('status', status);
    expect(s.contents.sent).toHaveLength(1);
  });
});

describe('IPC round trip through the preload bridge (in-memory ipcMain/ipcRenderer pair)', () => {
  it('calls a real method and gets the parsed result', async () => {
    const s = setup();
    const api = buildKioskBridge(s.rendererFrom() as never);
    const status = await api.system.status({});
    expect(status.terminalName).toBe('前台终端01');
    expect(status.mode).toBe('self-service');
  });

  it('rejects with a plain error object that keeps code, Chinese message and guidance across contextBridge', async () => {
    const s = setup();
    const api = buildKioskBridge(s.rendererFrom() as never);
    const err = await api.admission.get({ admissionId: 'A1' }).catch((e: unknown) => e);
    expect(err).toEqual({ name: 'KioskError', code: 'NOT_AVAILABLE', message: '该功能尚未接入本终端。', guidance: ['请联系信息科。'] });
    expect(Object.getPrototypeOf(err)).toBe(Object.prototype); // contextBridge copies plain objects whole
    expect(structuredClone(err)).toEqual(err);
  });

  it('turns a refused sender into an UNAUTHORIZED rejection in the page', async () => {
    const s = setup();
    const sub = new FakeFrame('app://kiosk/index.html');
    sub.parent = s.contents.mainFrame;
    const api = buildKioskBridge(s.rendererFrom(sub) as never);
    await expect(api.system.status({})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('delivers events to subscribers and stops after unsubscribe', () => {
    const s = setup();
    const api = buildKioskBridge(s.rendererFrom() as never);
    const seen: unknown[] = [];
    const off = api.on('qr-scanned', (p) => seen.push(p));
    s.dispatcher.emit('qr-scanned', { code: 'QR-1' });
    s.dispatcher.emit('card-removed', { readerId: 'r1' });
    off();
    s.dispatcher.emit('qr-scanned', { code: 'QR-2' });
    expect(seen).toEqual([{ code: 'QR-1' }]);
  });

  it('refuses a subscription to an unknown event with a plain error object', () => {
    const s = setup();
    const api = buildKioskBridge(s.rendererFrom() as never);
    expect(() => api.on('no-such-event' as never, () => undefined)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as never);
  });

  it('maps a failure of IPC itself (no handler while main restarts) to a Chinese INTERNAL error', async () => {
    const s = setup();
    s.dispose();
    const api = buildKioskBridge(s.rendererFrom() as never);
    const err = (await api.system.status({}).catch((e: unknown) => e)) as { code: string; message: string };
    expect(err.code).toBe('INTERNAL');
    expect(err.message).toMatch(/[\u4e00-\u9fff]/);
    expect(err.message).not.toMatch(/handler/);
  });
});

describe('checkSender', () => {
  it('compares frames by processId and routingId, not by object identity', () => {
    const contents = new FakeWebContents('app://kiosk/index.html');
    const sameFrameOtherObject = new FakeFrame('app://kiosk/index.html', contents.mainFrame.processId, contents.mainFrame.routingId);
    expect(checkSender({ sender: contents, senderFrame: sameFrameOtherObject as never }, contents as never)).toBe('trusted');
  });
});

function statusPayload() {
  return {
    mode: 'self-service' as const,
    demo: true,
    hospital: { code: 'H32020000001', name: '无锡市第一人民医院', level: 3 as const },
    terminalName: '前台终端01',
    reader: { state: 'none' as const, name: null, message: null },
    platform: { online: false, checkedAt: null },
    queue: { depth: 0, deadLetters: 0, oldestAgeSeconds: null },
    operator: null,
    idleTimeoutSeconds: 90,
  };
}

import { describe, expect, it } from 'vitest';
import type { WebContentsPrintOptions } from 'electron';
import { createElectronPrinter, documentDataUrl, openPrintWindow, withPrintCsp } from '../../../../../electron/main/printing/electron-printer.ts';
import type { SpoolRequest, SpoolResult } from '../../../../../electron/main/printing/pdf-spooler.ts';
import { PRINT_MESSAGES } from '../../../../../electron/main/printing/printer.ts';
import { FakeBrowserWindow, records, testLogger } from '../../fakes.ts';

type PrintBehaviour = { success: boolean; reason?: string } | 'never-answers' | 'throws';

function fakeWindowFactory(behaviour: PrintBehaviour, opts: { pdfFails?: boolean; heightPx?: number } = {}) {
  const windows: Array<{ media: unknown; url?: string; printed?: WebContentsPrintOptions; pdfOptions?: unknown; destroyed: boolean }> = [];
  const createWindow = (media: unknown) => {
    const rec: (typeof windows)[number] = { media, destroyed: false };
    windows.push(rec);
    return {
      webContents: {
        loadURL: async (url: string) => void (rec.url = url),
        executeJavaScript: async () => opts.heightPx ?? 600,
        print: (o: WebContentsPrintOptions, cb: (success: boolean, reason: string) => void) => {
          rec.printed = o;
          if (behaviour === 'throws') throw new Error('printing is not available');
          if (behaviour === 'never-answers') return;
          setTimeout(() => cb(behaviour.success, behaviour.reason ?? ''), 1);
        },
        printToPDF: async (o: unknown) => {
          rec.pdfOptions = o;
          if (opts.pdfFails) throw new Error('printToPDF failed');
          return Buffer.from('%PDF-1.7 fake');
        },
      },
      destroy: () => void (rec.destroyed = true),
      isDestroyed: () => rec.destroyed,
    };
  };
  return { windows, createWindow };
}

function fakeSpooler(result: SpoolResult) {
  const spooled: Array<{ pdf: string; request: SpoolRequest }> = [];
  return { spooled, spooler: { spool: async (pdf: Uint8Array, request: SpoolRequest) => (spooled.push({ pdf: Buffer.from(pdf).toString(), request }), result) } };
}

const receipt = { title: '预交金收据', html: '<!doctype html><html><head><title>x</title></head><body>收据</body></html>', media: 'roll-80mm' as const };
const sheet = { title: '住院结算单', html: '<p>结算单</p>', media: 'a4' as const };

describe('ElectronPrinter', () => {
  it('prints silently to the configured printer with an explicit 80 mm page sized to the content', async () => {
    const w = fakeWindowFactory({ success: true }, { heightPx: 960 });
    const s = fakeSpooler({ ok: true });
    const printer = createElectronPrinter({ createWindow: w.createWindow as never, deviceName: 'XP_80C', spooler: s.spooler, log: testLogger() });
    await expect(printer.print(receipt)).resolves.toEqual({ status: 'printed', message: PRINT_MESSAGES.printed });
    const [win] = w.windows;
    expect(win!.printed).toMatchObject({ silent: true, deviceName: 'XP_80C', printBackground: true, pageSize: { width: 80_000, height: 262_000 }, margins: { marginType: 'none' } });
    expect(win!.url).toMatch(/^data:text\/html;charset=utf-8;base64,/);
    expect(win!.destroyed).toBe(true);
    expect(s.spooled).toEqual([]);
  });

  it('prints A4 by name and leaves deviceName out for the default printer', async () => {
    const w = fakeWindowFactory({ success: true });
    const printer = createElectronPrinter({ createWindow: w.createWindow as never, deviceName: null, spooler: fakeSpooler({ ok: true }).spooler, log: testLogger() });
    await printer.print(sheet);
    expect(w.windows[0]!.printed).toMatchObject({ silent: true, pageSize: 'A4' });
    expect(w.windows[0]!.printed).not.toHaveProperty('deviceName');
  });

  it('falls back to a PDF spooled to the OS when silent printing fails', async () => {
    const w = fakeWindowFactory({ success: false, reason: 'Invalid deviceName provided' }, { heightPx: 960 });
    const s = fakeSpooler({ ok: true });
    const log = testLogger();
    const printer = createElectronPrinter({ createWindow: w.createWindow as never, deviceName: 'XP_80C', spooler: s.spooler, log });
    await expect(printer.print(receipt)).resolves.toEqual({ status: 'spooled-pdf', message: PRINT_MESSAGES.spooled });
    expect(s.spooled).toEqual([{ pdf: '%PDF-1.7 fake', request: { media: 'roll-80mm', rollLengthMicrons: 262_000, deviceName: 'XP_80C' } }]);
    const pdfOptions = w.windows[0]!.pdfOptions as { pageSize: { width: number; height: number } };
    expect(pdfOptions.pageSize.width).toBeCloseTo(80 / 25.4, 6); // inches for printToPDF
    expect(records(log).find((r) => r.msg === 'print-failed-trying-pdf')).toMatchObject({ reason: 'Invalid deviceName provided' });
    expect(w.windows[0]!.destroyed).toBe(true);
  });

  it('treats a print call that throws like a failed print', async () => {
    const w = fakeWindowFactory('throws');
    const s = fakeSpooler({ ok: true });
    const printer = createElectronPrinter({ createWindow: w.createWindow as never, deviceName: null, spooler: s.spooler, log: testLogger() });
    await expect(printer.print(sheet)).resolves.toMatchObject({ status: 'spooled-pdf' });
  });

  it('treats a print that never calls back as failed after the timeout', async () => {
    const w = fakeWindowFactory('never-answers');
    const s = fakeSpooler({ ok: true });
    const printer = createElectronPrinter({ createWindow: w.createWindow as never, deviceName: null, spooler: s.spooler, log: testLogger(), timeoutMs: 20 });
    await expect(printer.print(receipt)).resolves.toMatchObject({ status: 'spooled-pdf' });
  });

  it('reports failed (in Chinese) when both printing and spooling fail', async () => {
    const w = fakeWindowFactory({ success: false, reason: 'Print job failed' });
    const printer = createElectronPrinter({ createWindow: w.createWindow as never, deviceName: null, spooler: fakeSpooler({ ok: false, reason: 'lpr exited with 1' }).spooler, log: testLogger() });
    const out = await printer.print(receipt);
    expect(out).toEqual({ status: 'failed', message: PRINT_MESSAGES.failed });
    expect(out.message).toMatch(/[\u4e00-\u9fff]/);
    expect(w.windows[0]!.destroyed).toBe(true);
  });

  it('reports failed when printToPDF itself fails', async () => {
    const w = fakeWindowFactory({ success: false }, { pdfFails: true });
    const s = fakeSpooler({ ok: true });
    const printer = createElectronPrinter({ createWindow: w.createWindow as never, deviceName: null, spooler: s.spooler, log: testLogger() });
    await expect(printer.print(receipt)).resolves.toMatchObject({ status: 'failed' });
    expect(s.spooled).toEqual([]);
  });

  it('runs jobs one at a time', async () => {
    let active = 0;
    let maxActive = 0;
    const createWindow = () => ({
      webContents: {
        loadURL: async () => undefined,
        executeJavaScript: async () => 100,
        print: (_o: unknown, cb: (ok: boolean, r: string) => void) => {
          active++;
          maxActive = Math.max(maxActive, active);
          setTimeout(() => (active--, cb(true, '')), 5);
        },
        printToPDF: async () => Buffer.alloc(0),
      },
      destroy: () => undefined,
      isDestroyed: () => false,
    });
    const printer = createElectronPrinter({ createWindow: createWindow as never, deviceName: null, spooler: fakeSpooler({ ok: true }).spooler, log: testLogger() });
    const outcomes = await Promise.all([printer.print(receipt), printer.print(sheet), printer.print(receipt)]);
    expect(outcomes.map((o) => o.status)).toEqual(['printed', 'printed', 'printed']);
    expect(maxActive).toBe(1);
  });
});

describe('print window', () => {
  it('is hidden, sandboxed, without preload, in its own session, laid out at paper width', () => {
    const o = (openPrintWindow(FakeBrowserWindow as never, 'roll-80mm') as unknown as FakeBrowserWindow).options;
    expect(o).toMatchObject({ show: false, width: 302, webPreferences: { partition: 'print', sandbox: true, contextIsolation: true, nodeIntegration: false, devTools: false } });
    expect(o.webPreferences).not.toHaveProperty('preload');
  });

  it('blocks the document’s own scripts with a CSP in its head, keeping the doctype first', () => {
    const withHead = withPrintCsp('<!doctype html><html><head><title>x</title></head><body><script>alert(1)</script></body></html>');
    expect(withHead).toMatch(/^<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; [^"]*"><title>/);
    expect(withPrintCsp('<!DOCTYPE html><p>x</p>')).toMatch(/^<!DOCTYPE html><head><meta http-equiv="Content-Security-Policy"/);
    expect(withPrintCsp('<p>x</p>')).toMatch(/^<!doctype html><head><meta /);
    const decoded = Buffer.from(documentDataUrl('<p>结算单</p>').split(',')[1]!, 'base64').toString('utf8');
    expect(decoded).toContain('<p>结算单</p>');
    expect(decoded).toContain("default-src 'none'");
  });
});

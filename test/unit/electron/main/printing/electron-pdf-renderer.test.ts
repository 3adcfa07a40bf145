import { describe, expect, it } from 'vitest';
import { createElectronPdfRenderer } from '../../../../../electron/main/printing/electron-pdf-renderer.ts';

function fakeWindows(opts: { heightPx?: number; pdfFails?: boolean } = {}) {
  const made: Array<{ media: unknown; url?: string; pdfOptions?: { pageSize: unknown; margins: unknown }; destroyed: boolean }> = [];
  const createWindow = (media: unknown) => {
    const rec: (typeof made)[number] = { media, destroyed: false };
    made.push(rec);
    return {
      webContents: {
        loadURL: async (url: string) => void (rec.url = url),
        executeJavaScript: async () => opts.heightPx ?? 600,
        print: () => undefined,
        printToPDF: async (o: { pageSize: unknown; margins: unknown }) => {
          rec.pdfOptions = o;
          if (opts.pdfFails) throw new Error('printToPDF failed');
          return Buffer.from('%PDF-1.7 electron');
        },
      },
      destroy: () => void (rec.destroyed = true),
      isDestroyed: () => rec.destroyed,
    };
  };
  return { made, createWindow };
}

describe('Electron PDF renderer (printToPDF in a hidden print window)', () => {
  it('renders A4 by name with margins, through the no-script CSP data URL, and closes the window', async () => {
    const w = fakeWindows();
    const pdf = createElectronPdfRenderer({ createWindow: w.createWindow as never });
    expect(pdf.availability()).toEqual({ ok: true });
    const out = await pdf.render('<!doctype html><html><head></head><body>结算单</body></html>', 'a4');
    expect(out.toString()).toBe('%PDF-1.7 electron');
    expect(w.made[0]).toMatchObject({ media: 'a4', destroyed: true, pdfOptions: { pageSize: 'A4', margins: { top: 0.4 } } });
    expect(Buffer.from(w.made[0]!.url!.split(',')[1]!, 'base64').toString()).toContain("default-src 'none'");
  });

  it('sizes an 80 mm roll to the content, in inches', async () => {
    const w = fakeWindows({ heightPx: 960 });
    await createElectronPdfRenderer({ createWindow: w.createWindow as never }).render('<p>收据</p>', 'roll-80mm');
    const size = w.made[0]!.pdfOptions!.pageSize as { width: number; height: number };
    expect(size.width).toBeCloseTo(80 / 25.4, 6);
    expect(size.height).toBeCloseTo(262_000 / 25_400, 6); // 960 px content + tail, as the printer sizes it
  });

  it('closes the window when printToPDF fails, and lets the error through', async () => {
    const w = fakeWindows({ pdfFails: true });
    await expect(createElectronPdfRenderer({ createWindow: w.createWindow as never }).render('<p>x</p>', 'a4')).rejects.toThrow('printToPDF failed');
    expect(w.made[0]!.destroyed).toBe(true);
  });
});

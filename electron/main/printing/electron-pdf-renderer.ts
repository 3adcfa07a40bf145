import type { PdfRenderer } from '../../../services/documents/pdf.ts';
import { documentDataUrl, measureHeight, type PrintWindow } from './electron-printer.ts';
import { pdfPageSize, rollLengthMicrons, type PrintMedia } from './printer.ts';

/**
 * PDF of a document under Electron: the same hidden, sandboxed print window as printing, then printToPDF.
 * Electron is Chromium already, so the packaged app needs no second browser (the browser host's renderer
 * drives a system Chromium through playwright-core, which is not shipped in the app).
 */
export function createElectronPdfRenderer(options: { createWindow: (media: PrintMedia) => PrintWindow }): PdfRenderer {
  return {
    availability: () => ({ ok: true }),
    async render(html, media) {
      const win = options.createWindow(media);
      try {
        await win.webContents.loadURL(documentDataUrl(html));
        const height = media === 'roll-80mm' ? await measureHeight(win) : null;
        const pdf = await win.webContents.printToPDF({
          pageSize: pdfPageSize(media, media === 'roll-80mm' ? rollLengthMicrons(height) : 0),
          printBackground: true,
          margins: media === 'a4' ? { top: 0.4, bottom: 0.4, left: 0.4, right: 0.4 } : { top: 0, bottom: 0, left: 0, right: 0 }, // inches
        });
        return Buffer.from(pdf);
      } finally {
        if (!win.isDestroyed()) win.destroy();
      }
    },
    close: async () => undefined,
  };
}

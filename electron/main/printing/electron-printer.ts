import type { BrowserWindow, BrowserWindowConstructorOptions, WebContents, WebContentsPrintOptions } from 'electron';
import type { Logger } from '../../../services/logging/logger.ts';
import type { PdfSpooler } from './pdf-spooler.ts';
import {
  layoutWidthPx,
  pdfPageSize,
  PRINT_MESSAGES,
  printPageSize,
  rollLengthMicrons,
  type PrintJob,
  type PrintMedia,
  type PrintOutcome,
  type Printer,
} from './printer.ts';

/** The hidden window a document is laid out in. */
export interface PrintWindow {
  webContents: Pick<WebContents, 'loadURL' | 'print' | 'printToPDF' | 'executeJavaScript'>;
  destroy(): void;
  isDestroyed(): boolean;
}

export interface ElectronPrinterOptions {
  /** openPrintWindow(BrowserWindow, media) in production. */
  createWindow: (media: PrintMedia) => PrintWindow;
  /** System printer name (config printer.name), or null for the default printer. */
  deviceName: string | null;
  spooler: PdfSpooler;
  log: Logger;
  /** A silent print that has not called back by then counts as failed (it can hang on a stuck driver). */
  timeoutMs?: number;
}

/**
 * A print window: never shown, sandboxed, no preload, its own session (with the same deny-all policy), laid
 * out at paper width. A literal in `new BrowserWindow({…})` so Electronegativity checks it too.
 */
export function openPrintWindow(BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow, media: PrintMedia): PrintWindow {
  return new BrowserWindow({
    show: false,
    width: layoutWidthPx(media),
    height: 800,
    useContentSize: true,
    webPreferences: {
      partition: 'print',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      devTools: false,
      disableBlinkFeatures: 'Auxclick',
      // Needed only for main's executeJavaScript (content height); the document's own scripts are blocked by
      // the CSP that withPrintCsp puts in its head.
      javascript: true,
    },
  });
}

const PRINT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:";

/** Puts a no-script CSP into the document's head (after the doctype, so standards mode is kept). */
export function withPrintCsp(html: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${PRINT_CSP}">`;
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (head) return html.slice(0, head.index + head[0].length) + meta + html.slice(head.index + head[0].length);
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html);
  if (doctype) return doctype[0] + `<head>${meta}</head>` + html.slice(doctype[0].length);
  return `<!doctype html><head>${meta}</head>${html}`;
}

export function documentDataUrl(html: string): string {
  return `data:text/html;charset=utf-8;base64,${Buffer.from(withPrintCsp(html), 'utf8').toString('base64')}`;
}

/**
 * Printing under Electron. Each job is laid out in a hidden window at paper width, then printed silently to
 * the configured printer with an explicit page size (80 mm roll sized to the content, or A4). When that
 * fails (no such printer, driver error, no callback) the same page is rendered with printToPDF and handed
 * to the OS spooler (lpr; the Windows shell), and the outcome says which happened. Jobs run one at a time.
 */
export function createElectronPrinter(options: ElectronPrinterOptions): Printer {
  const timeoutMs = options.timeoutMs ?? 60_000;
  let queue: Promise<unknown> = Promise.resolve();

  const printOne = async (job: PrintJob): Promise<PrintOutcome> => {
    const { log } = options;
    let win: PrintWindow | null = null;
    try {
      win = options.createWindow(job.media);
      await win.webContents.loadURL(documentDataUrl(job.html));
      const rollLength = job.media === 'roll-80mm' ? rollLengthMicrons(await measureHeight(win)) : 0;

      const silent = await silentPrint(win, {
        silent: true,
        printBackground: true,
        ...(options.deviceName ? { deviceName: options.deviceName } : {}),
        pageSize: printPageSize(job.media, rollLength),
        margins: { marginType: job.media === 'a4' ? 'default' : 'none' },
        copies: 1,
      }, timeoutMs);
      if (silent.ok) {
        log.info('print-done', { title: job.title, media: job.media });
        return { status: 'printed', message: PRINT_MESSAGES.printed };
      }
      log.warn('print-failed-trying-pdf', { title: job.title, media: job.media, reason: silent.reason });

      const pdf = await win.webContents.printToPDF({
        pageSize: pdfPageSize(job.media, rollLength),
        printBackground: true,
        margins: job.media === 'a4' ? { top: 0.4, bottom: 0.4, left: 0.4, right: 0.4 } : { top: 0, bottom: 0, left: 0, right: 0 }, // inches
      });
      const spooled = await options.spooler.spool(pdf, { media: job.media, rollLengthMicrons: rollLength, deviceName: options.deviceName });
      if (spooled.ok) {
        log.info('print-spooled-pdf', { title: job.title, media: job.media });
        return { status: 'spooled-pdf', message: PRINT_MESSAGES.spooled };
      }
      log.error('print-failed', { title: job.title, media: job.media, reason: spooled.reason });
      return { status: 'failed', message: PRINT_MESSAGES.failed };
    } catch (err) {
      log.error('print-failed', { title: job.title, media: job.media, err });
      return { status: 'failed', message: PRINT_MESSAGES.failed };
    } finally {
      if (win && !win.isDestroyed()) win.destroy();
    }
  };

  return {
    print(job) {
      const run = queue.then(() => printOne(job));
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

/** Content height in CSS px of the laid-out document (null when it cannot be read). */
export async function measureHeight(win: PrintWindow): Promise<number | null> {
  try {
    const h = await win.webContents.executeJavaScript('Math.ceil(document.documentElement.scrollHeight)');
    return typeof h === 'number' ? h : null;
  } catch {
    return null;
  }
}

function silentPrint(win: PrintWindow, printOptions: WebContentsPrintOptions, timeoutMs: number): Promise<{ ok: true } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, reason: `no answer from the printer within ${timeoutMs} ms` }), timeoutMs);
    try {
      win.webContents.print(printOptions, (success, failureReason) => {
        clearTimeout(timer);
        resolve(success ? { ok: true } : { ok: false, reason: failureReason || 'print failed' });
      });
    } catch (err) {
      clearTimeout(timer);
      resolve({ ok: false, reason: err instanceof Error ? err.message : String(err) });
    }
  });
}

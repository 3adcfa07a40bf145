import type { Size } from 'electron';

/**
 * The printing port, as services/context.ts declares it (ServiceContext.printer): services/documents renders a
 * document to HTML and hands it to a Printer; under Electron the main process passes ElectronPrinter
 * (electron-printer.ts) to createTerminal(loaded, { printer }). The outcome is what documents.print returns
 * to the renderer, so its message is Chinese and shown as is. Declared here too (structurally identical,
 * checked by the compiler in index.ts) so this folder reads on its own.
 */
export type PrintMedia = 'roll-80mm' | 'a4';

export interface PrintJob {
  /** For logs and the print window title; keep it free of personal data (e.g. "住院结算单"). */
  title: string;
  /** A complete HTML document; styled for the media (80 mm: `@page { size: 80mm auto; margin: 0 }`). */
  html: string;
  media: PrintMedia;
}

export type PrintStatus = 'printed' | 'spooled-pdf' | 'failed';

export interface PrintOutcome {
  status: PrintStatus;
  /** Chinese, for the screen. */
  message: string;
}

export interface Printer {
  print(job: PrintJob): Promise<PrintOutcome>;
}

export const PRINT_MESSAGES = {
  printed: '单据已打印，请取走。',
  spooled: '单据已发送到系统打印队列，请稍候取单。',
  failed: '打印失败：请检查打印机纸张与连接后重试，或到人工窗口补打。',
} as const;

/** 80 mm thermal roll: the paper width in microns, as webContents.print wants it. */
export const ROLL_WIDTH_MICRONS = 80_000;
/** Length used when the content cannot be measured: one A4 length, cut by the printer's auto-cutter. */
export const ROLL_DEFAULT_LENGTH_MICRONS = 297_000;
const ROLL_MIN_LENGTH_MICRONS = 50_000;
const ROLL_MAX_LENGTH_MICRONS = 2_000_000; // 2 m: a very long fee list still prints, a runaway one does not
const ROLL_TAIL_MICRONS = 8_000; // feed past the last line so the cutter does not cut through it
export const MICRONS_PER_CSS_PX = 25_400 / 96;
const MICRONS_PER_INCH = 25_400;

/** Roll length from the measured content height (CSS px), bounded; unknown → one A4 length. */
export function rollLengthMicrons(contentHeightPx: number | null): number {
  if (contentHeightPx === null || !Number.isFinite(contentHeightPx) || contentHeightPx <= 0) return ROLL_DEFAULT_LENGTH_MICRONS;
  const microns = Math.ceil(contentHeightPx * MICRONS_PER_CSS_PX) + ROLL_TAIL_MICRONS;
  return Math.min(ROLL_MAX_LENGTH_MICRONS, Math.max(ROLL_MIN_LENGTH_MICRONS, microns));
}

/**
 * The page size for webContents.print: always explicit, because since Electron 25 an absent pageSize means
 * A4 (electron/electron#39670) and a thermal printer then scales the receipt down or cuts it.
 * print() takes microns; A4 is passed by name so the driver matches its own ISO A4 media.
 */
export function printPageSize(media: PrintMedia, rollLength: number): 'A4' | Size {
  return media === 'a4' ? 'A4' : { width: ROLL_WIDTH_MICRONS, height: rollLength };
}

/** The same page for printToPDF, which takes inches (not microns). */
export function pdfPageSize(media: PrintMedia, rollLength: number): 'A4' | Size {
  return media === 'a4' ? 'A4' : { width: ROLL_WIDTH_MICRONS / MICRONS_PER_INCH, height: rollLength / MICRONS_PER_INCH };
}

/** Width of the hidden print window in CSS px, so the content is laid out (and measured) at paper width. */
export function layoutWidthPx(media: PrintMedia): number {
  return Math.round((media === 'a4' ? 210_000 : ROLL_WIDTH_MICRONS) / MICRONS_PER_CSS_PX);
}

import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { KioskError } from '../../contract/errors.ts';
import type { Logger } from '../logging/logger.ts';
import { PAGE, type Media } from './html.ts';

/**
 * HTML → PDF without Electron. We chose headless Chromium driven by playwright-core (already a dependency
 * for the end-to-end tests) over a hand-written PDF writer: the same engine that prints the HTML in Electron
 * lays out the PDF, so the two never differ, and CJK text shapes with the system's Noto CJK fonts with no
 * font embedding code of our own. The price is a Chromium binary on the machine (Debian: `apt-get install
 * chromium`); without one, PDF is refused with a clear message and the HTML still prints.
 */
export interface PdfRenderer {
  /** Whether PDF can be produced here; the reason in Chinese when not. */
  availability(): { ok: true } | { ok: false; reason: string };
  /** Throws KioskError NOT_AVAILABLE when PDF cannot be produced. */
  render(html: string, media: Media): Promise<Buffer>;
  close(): Promise<void>;
}

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The Chromium to use: KIOSK_CHROMIUM_PATH, else the usual Debian/Ubuntu locations. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const configured = env.KIOSK_CHROMIUM_PATH;
  if (configured) return existsSync(configured) ? configured : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

export function pdfUnavailable(reason: string): KioskError {
  return new KioskError('NOT_AVAILABLE', `本终端无法生成 PDF：${reason}`, [
    '可直接打印（HTML 版本不受影响）。',
    '如需 PDF，请信息科在本机安装 Chromium 浏览器（Debian：apt-get install chromium），或设置 KIOSK_CHROMIUM_PATH。',
  ]);
}

/** Headless Chromium, launched on first use and kept for later documents (a launch costs about a second). */
export class ChromiumPdfRenderer implements PdfRenderer {
  private browser: Promise<Browser> | null = null;
  private readonly executablePath: string | null;
  private readonly log: Logger | undefined;

  constructor(options: { executablePath?: string | null; log?: Logger } = {}) {
    this.executablePath = options.executablePath === undefined ? findChromium() : options.executablePath;
    this.log = options.log;
  }

  availability(): { ok: true } | { ok: false; reason: string } {
    if (!this.executablePath) return { ok: false, reason: '未找到 Chromium 浏览器' };
    return { ok: true };
  }

  async render(html: string, media: Media): Promise<Buffer> {
    const available = this.availability();
    if (!available.ok) throw pdfUnavailable(available.reason);
    let browser: Browser;
    try {
      browser = await this.launch();
    } catch (e) {
      this.browser = null;
      this.log?.error('pdf: chromium did not start', { error: e instanceof Error ? e.message : String(e) });
      throw pdfUnavailable('Chromium 启动失败');
    }
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    try {
      const page = await context.newPage();
      // A document is self-contained: nothing may be fetched while it renders.
      await page.route('**/*', (route) => route.abort());
      const p = PAGE[media];
      const pxPerMm = 96 / 25.4;
      await page.setViewportSize({ width: Math.ceil(p.widthMm * pxPerMm), height: 800 });
      await page.setContent(html, { waitUntil: 'load' });
      const margin = `${p.marginMm}mm`;
      if (p.heightMm !== null) {
        return await page.pdf({ width: `${p.widthMm}mm`, height: `${p.heightMm}mm`, printBackground: true, margin: { top: margin, bottom: margin, left: margin, right: margin } });
      }
      // A roll: one page as long as the content.
      await page.emulateMedia({ media: 'print' });
      const contentPx = await page.evaluate('Math.ceil(document.documentElement.scrollHeight)');
      const heightMm = Math.max(40, Math.ceil(Number(contentPx) / pxPerMm + 2 * p.marginMm + 2));
      return await page.pdf({ width: `${p.widthMm}mm`, height: `${heightMm}mm`, printBackground: true, margin: { top: margin, bottom: margin, left: margin, right: margin } });
    } finally {
      await context.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const b = this.browser;
    this.browser = null;
    if (b) await (await b.catch(() => null))?.close().catch(() => undefined);
  }

  private launch(): Promise<Browser> {
    this.browser ??= (async () => {
      const { chromium } = await import('playwright-core');
      const args = ['--disable-gpu', '--no-first-run', '--disable-extensions'];
      // Chromium refuses to run as root with its sandbox; the terminal runs as a user, CI containers as root.
      if (process.getuid?.() === 0) args.push('--no-sandbox');
      return chromium.launch({ executablePath: this.executablePath!, headless: true, args });
    })();
    return this.browser;
  }
}

/** For hosts that must never produce PDF: every call is refused with the reason. */
export class NoPdfRenderer implements PdfRenderer {
  constructor(private readonly reason = '本终端未配置 PDF 生成') {}
  availability(): { ok: false; reason: string } {
    return { ok: false, reason: this.reason };
  }
  async render(): Promise<Buffer> {
    throw pdfUnavailable(this.reason);
  }
  async close(): Promise<void> {}
}

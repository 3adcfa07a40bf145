import type { Browser } from 'playwright-core';
import { KioskError } from '../../contract/errors.ts';
import { baseArgs, chromiumAvailable, resolveChromium, type ChromiumLaunch } from '../browser/chromium.ts';
import type { Logger } from '../logging/logger.ts';
import { PAGE, type Media } from './html.ts';

/**
 * HTML → PDF without Electron. We chose headless Chromium driven by playwright-core (already a dependency
 * for the end-to-end tests) over a hand-written PDF writer: the same engine that prints the HTML in Electron
 * lays out the PDF, so the two never differ. The Chromium comes from services/browser/chromium.ts: a system
 * one where installed, else the headless build bundled in the npm package @sparticuz/chromium, so `npm install`
 * alone is enough. Chinese text shapes with the Noto Sans SC subsets the document embeds (document-fonts.ts),
 * never with system fonts. Without any Chromium, PDF is refused with a clear message and the HTML still prints.
 */
export interface PdfRenderer {
  /** Whether PDF can be produced here; the reason in Chinese when not. */
  availability(): { ok: true } | { ok: false; reason: string };
  /** Throws KioskError NOT_AVAILABLE when PDF cannot be produced. */
  render(html: string, media: Media): Promise<Buffer>;
  close(): Promise<void>;
}

export function pdfUnavailable(reason: string): KioskError {
  return new KioskError('NOT_AVAILABLE', `本终端无法生成 PDF：${reason}`, [
    '可直接打印（HTML 版本不受影响）。',
    '如需 PDF，请信息科重新执行 npm install（自带 Chromium，Linux x64），或在本机安装 Chromium 浏览器（Debian：apt-get install chromium），或设置 KIOSK_CHROMIUM_PATH。',
  ]);
}

type Resolve = () => Promise<ChromiumLaunch | null>;

/** Headless Chromium, launched on first use and kept for later documents (a launch costs about a second). */
export class ChromiumPdfRenderer implements PdfRenderer {
  private browser: Promise<Browser> | null = null;
  private readonly resolve: Resolve | null;
  private readonly log: Logger | undefined;
  /** Which Chromium the last launch used (for logs and the hidden-system-Chromium test). */
  launched: ChromiumLaunch | null = null;

  /** `resolve: null` = no Chromium on this host (PDF refused); default = services/browser/chromium.ts. */
  constructor(options: { resolve?: Resolve | null; log?: Logger } = {}) {
    this.resolve = options.resolve === undefined ? (chromiumAvailable() ? () => resolveChromium() : null) : options.resolve;
    this.log = options.log;
  }

  availability(): { ok: true } | { ok: false; reason: string } {
    if (!this.resolve) return { ok: false, reason: '未找到 Chromium 浏览器' };
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
      // A document is self-contained (its fonts are embedded): nothing may be fetched while it renders.
      await page.route('**/*', (route) => route.abort());
      const p = PAGE[media];
      const pxPerMm = 96 / 25.4;
      await page.setViewportSize({ width: Math.ceil(p.widthMm * pxPerMm), height: 800 });
      await page.setContent(html, { waitUntil: 'load' });
      await page.evaluate('document.fonts.ready');
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
      const found = await this.resolve!();
      if (!found) throw new Error('no Chromium found');
      this.launched = found;
      this.log?.info('pdf: starting chromium', { source: found.source, executablePath: found.executablePath });
      const { chromium } = await import('playwright-core');
      return chromium.launch({ executablePath: found.executablePath, env: { ...process.env, ...found.env }, headless: true, args: [...baseArgs(found), '--disable-extensions'] });
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

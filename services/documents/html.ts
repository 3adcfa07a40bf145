/**
 * HTML building blocks for printed documents. Every document is one self-contained page (inline CSS, no
 * scripts, no external resources), so the same string prints from Electron, renders to PDF in Chromium and
 * shows as a preview in the renderer. Page size is explicit per medium: A4 for the 结算单 and 费用清单, an
 * 80 mm roll (or A4, per configuration) for receipts and slips.
 */
import { DOCUMENT_FONT_FAMILY, documentFontCss } from './document-fonts.ts';

export type Media = 'roll-80mm' | 'a4';

export const PAGE: Record<Media, { widthMm: number; heightMm: number | null; marginMm: number }> = {
  a4: { widthMm: 210, heightMm: 297, marginMm: 12 },
  // A roll has no page height: the PDF is cut to the content (pdf.ts measures it).
  'roll-80mm': { widthMm: 80, heightMm: null, marginMm: 3 },
};

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and attribute values. Every value from the store passes through it. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Integer fen → "1,234.50" (thousands grouped for reading; documents only, never the wire). */
export function yuan(fenValue: number): string {
  const abs = Math.abs(fenValue);
  const int = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${fenValue < 0 ? '-' : ''}${int}.${String(abs % 100).padStart(2, '0')}`;
}

// Noto Sans SC is embedded in the document (document-fonts.ts); the rest are fallbacks for a glyph it lacks.
const FONT = `"${DOCUMENT_FONT_FAMILY}", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimSun", sans-serif`;

export function page(args: { title: string; media: Media; body: string; extraCss?: string }): string {
  const p = PAGE[args.media];
  const size = p.heightMm === null ? `${p.widthMm}mm 297mm` : `${p.widthMm}mm ${p.heightMm}mm`;
  const roll = args.media === 'roll-80mm';
  // Text added after page() (documents-service's reprint mark) must find its glyphs too.
  const fonts = documentFontCss(`${args.title}${args.body}（补打）`);
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(args.title)}</title>
<style>
${fonts}
@page { size: ${size}; margin: ${p.marginMm}mm; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font-family: ${FONT}; color: #000; font-size: ${roll ? '9pt' : '10pt'}; line-height: 1.45;
  width: ${p.widthMm - 2 * p.marginMm}mm; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1 { font-size: ${roll ? '11pt' : '15pt'}; text-align: center; margin: 0 0 ${roll ? '2mm' : '4mm'}; letter-spacing: 0.1em; }
.sub { text-align: center; margin: -2mm 0 3mm; font-size: ${roll ? '8pt' : '9pt'}; }
table { width: 100%; border-collapse: collapse; }
table.grid td, table.grid th { border: 0.3mm solid #000; padding: 1mm 1.5mm; vertical-align: top; }
table.grid th { background: #eee; font-weight: 600; text-align: left; white-space: nowrap; }
table.lines th, table.lines td { border-bottom: 0.2mm solid #444; padding: 0.8mm 1mm; }
table.lines thead th { border-bottom: 0.4mm solid #000; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: 700; border-top: 0.4mm solid #000; }
.kv { display: flex; justify-content: space-between; gap: 2mm; }
.kv span:first-child { white-space: nowrap; }
.rule { border-top: 0.3mm dashed #000; margin: 2mm 0; }
.foot { margin-top: 4mm; font-size: ${roll ? '7.5pt' : '8.5pt'}; }
.sign { display: flex; justify-content: space-between; margin-top: 8mm; }
.strong { font-weight: 700; }
.void { color: #b00; font-weight: 700; text-align: center; border: 0.5mm solid #b00; padding: 1mm; margin-bottom: 3mm; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
${args.extraCss ?? ''}
</style></head>
<body data-media="${args.media}">
${args.body}
</body></html>`;
}

/** A two-column key/value grid for A4 headers: [label, value] pairs laid out `columns` pairs per row. */
export function grid(pairs: Array<[string, string]>, columns = 3): string {
  const rows: string[] = [];
  for (let i = 0; i < pairs.length; i += columns) {
    const cells = pairs.slice(i, i + columns);
    const tds = cells.map(([k, v]) => `<th>${esc(k)}</th><td>${esc(v)}</td>`).join('');
    const pad = columns - cells.length > 0 ? `<td colspan="${(columns - cells.length) * 2}"></td>` : '';
    rows.push(`<tr>${tds}${pad}</tr>`);
  }
  return `<table class="grid">${rows.join('')}</table>`;
}

/** Key/value lines for the 80 mm roll. */
export function kvLines(pairs: Array<[string, string]>): string {
  return pairs.map(([k, v]) => `<div class="kv"><span>${esc(k)}</span><span>${esc(v)}</span></div>`).join('\n');
}

/** "2026-11-20 08:30:00" → "2026年11月20日 08:30:00": a moment on a document, its day the Chinese way. */
export function chineseDateTime(dateTime: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)/.exec(dateTime);
  return m ? `${chineseDay(m[1]!)} ${m[2]}` : chineseDay(dateTime);
}

/** "2026-11-20 08:30:00" → "2026年11月20日": documents write dates the Chinese way. */
export function chineseDay(dateTime: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(dateTime);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : dateTime;
}

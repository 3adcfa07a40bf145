import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The CJK font a printed document carries inside itself, so a 结算单 looks the same from Electron, from the
 * bundled headless Chromium (which has no CJK font) and on a machine without fonts-noto-cjk. The font is Noto
 * Sans SC from the npm package @fontsource/noto-sans-sc, already cut into ~100 subsets by unicode-range; a
 * document embeds (as data: URLs) only the subsets its own characters fall in, regular and bold — a few
 * hundred KB rather than the whole 8 MB font.
 */
interface Subset {
  file: string;
  ranges: Array<[number, number]>;
}

export const DOCUMENT_FONT_FAMILY = 'Noto Sans SC';
const WEIGHTS = [400, 700] as const;

function parseRange(part: string): [number, number] {
  const [lo, hi] = part.trim().replace(/^U\+/i, '').split('-');
  const from = Number.parseInt(lo!, 16);
  return [from, hi === undefined ? from : Number.parseInt(hi, 16)];
}

/** The @font-face blocks of one weight's CSS: each woff2 file with its unicode-range. */
function parseSubsets(css: string, dir: string): Subset[] {
  const out: Subset[] = [];
  for (const block of css.split('@font-face').slice(1)) {
    const file = /url\(\.\/(files\/[^)]+\.woff2)\)/.exec(block)?.[1];
    const range = /unicode-range:\s*([^;]+);/.exec(block)?.[1];
    if (file && range) out.push({ file: join(dir, file), ranges: range.split(',').map(parseRange) });
  }
  return out;
}

let cache: Map<number, Subset[]> | null = null;
function subsets(): Map<number, Subset[]> {
  if (cache) return cache;
  const require = createRequire(import.meta.url);
  cache = new Map();
  for (const weight of WEIGHTS) {
    const cssPath = require.resolve(`@fontsource/noto-sans-sc/${weight}.css`);
    cache.set(weight, parseSubsets(readFileSync(cssPath, 'utf8'), dirname(cssPath)));
  }
  return cache;
}

const covers = (s: Subset, cp: number) => s.ranges.some(([lo, hi]) => cp >= lo && cp <= hi);

/** @font-face rules embedding the subsets needed for `text` (every character of the document). */
export function documentFontCss(text: string): string {
  const codePoints = new Set<number>();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp > 0x7f) codePoints.add(cp);
  }
  const rules: string[] = [];
  for (const [weight, list] of subsets()) {
    for (const s of list) {
      if (![...codePoints].some((cp) => covers(s, cp))) continue;
      const data = readFileSync(s.file).toString('base64');
      const range = s.ranges.map(([lo, hi]) => (lo === hi ? `U+${lo.toString(16)}` : `U+${lo.toString(16)}-${hi.toString(16)}`)).join(',');
      rules.push(`@font-face{font-family:'${DOCUMENT_FONT_FAMILY}';font-style:normal;font-weight:${weight};src:url(data:font/woff2;base64,${data}) format('woff2');unicode-range:${range};}`);
    }
  }
  return rules.join('\n');
}

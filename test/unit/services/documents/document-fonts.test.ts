import { describe, expect, it } from 'vitest';
import { documentFontCss } from '../../../../services/documents/document-fonts.ts';
import { page } from '../../../../services/documents/html.ts';

/** Printed documents carry their CJK font (no system font is needed), but only the subsets they use. */
describe('document fonts', () => {
  const ranges = (css: string) => [...css.matchAll(/unicode-range:([^;]+);/g)].map((m) => m[1]!);
  const covers = (range: string, ch: string) => {
    const cp = ch.codePointAt(0)!;
    return range.split(',').some((part) => {
      const [lo, hi] = part.replace(/^U\+/i, '').split('-');
      const from = Number.parseInt(lo!, 16);
      return cp >= from && cp <= (hi === undefined ? from : Number.parseInt(hi, 16));
    });
  };

  it('embeds, regular and bold, the subsets that cover every Chinese character of the text', () => {
    const text = '住院结算单医保统筹支付';
    const css = documentFontCss(text);
    expect(css).toContain("font-family:'Noto Sans SC'");
    expect(css).toMatch(/font-weight:400/);
    expect(css).toMatch(/font-weight:700/);
    for (const ch of text) expect(ranges(css).some((r) => covers(r, ch)), ch).toBe(true);
    // Each rule is a real woff2 (wOF2 magic once base64-decoded).
    const first = /base64,([^)]+)\)/.exec(css)![1]!;
    expect(Buffer.from(first, 'base64').subarray(0, 4).toString('latin1')).toBe('wOF2');
  });

  it('embeds a small part of the font, and nothing for ASCII-only text', () => {
    expect(documentFontCss('ABC 123')).toBe('');
    const ruleCount = documentFontCss('结算').split('@font-face').length - 1;
    expect(ruleCount).toBeGreaterThan(0);
    expect(ruleCount).toBeLessThan(10);
  });

  it('every printed page embeds the font for its own text, including the reprint mark', () => {
    const html = page({ title: '住院结算单', media: 'a4', body: '<h1>结算单</h1>' });
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    for (const ch of '住院结算单补打') expect(ranges(css).some((r) => covers(r, ch)), ch).toBe(true);
    expect(html).toMatch(/font-family: "Noto Sans SC"/);
  });
});

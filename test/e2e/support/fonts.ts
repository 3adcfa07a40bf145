import type { Page } from 'playwright-core';

export interface DrawnFont {
  familyName: string;
  isCustomFont: boolean;
  glyphCount: number;
}

/**
 * The fonts Chromium drew an element's text with, and how many glyphs each drew (DevTools protocol
 * `CSS.getPlatformFontsForNode`). A screenshot cannot tell a word drawn blank from a word left out; this can.
 */
export async function fontsDrawing(page: Page, testId: string): Promise<DrawnFont[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: `[data-testid="${testId}"]` });
    if (!nodeId) throw new Error(`no element with data-testid ${testId}`);
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    return fonts.map((f) => ({ familyName: f.familyName, isCustomFont: f.isCustomFont, glyphCount: f.glyphCount }));
  } finally {
    await cdp.detach();
  }
}

/** Han characters and CJK punctuation (、。「」（）：…), the glyphs only a CJK font has. */
const CJK = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/gu;

/**
 * How many of an element's CJK characters there are, and how many glyphs the terminal's own (bundled, web)
 * font drew: the bundled font is the one CJK font the terminal can count on (CI hides every system font), so
 * fewer glyphs than characters means some words were drawn by a font without them, blank or as boxes.
 */
export async function cjkGlyphs(page: Page, testId: string): Promise<{ characters: number; drawnByBundledFont: number }> {
  const text = (await page.getByTestId(testId).textContent()) ?? '';
  const fonts = await fontsDrawing(page, testId);
  return {
    characters: text.match(CJK)?.length ?? 0,
    drawnByBundledFont: fonts.filter((f) => f.isCustomFont).reduce((n, f) => n + f.glyphCount, 0),
  };
}

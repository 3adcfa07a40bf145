import type { Page } from 'playwright-core';

/**
 * The words of an element's text that the browser broke across two lines: an amount with its unit
 * (10,000.00 元) or a phone number (0510-12345678). A picture shows it; this says it, whatever the markup:
 * each match is measured as a Range over the text nodes, and a word on two lines has rects at two heights.
 */
export async function brokenWords(page: Page, testId: string): Promise<string[]> {
  return page.evaluate((id) => {
    const root = document.querySelector(`[data-testid="${id}"]`);
    if (!root) throw new Error(`no element with data-testid ${id}`);
    const nodes: Array<{ node: Text; start: number }> = [];
    let text = '';
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      nodes.push({ node: n as Text, start: text.length });
      text += (n as Text).data;
    }
    const at = (offset: number, end: boolean) => {
      const i = nodes.findLastIndex((x) => (end ? x.start < offset : x.start <= offset));
      const hit = nodes[i]!;
      return { node: hit.node, offset: offset - hit.start };
    };
    const broken: string[] = [];
    for (const m of text.matchAll(/-?\d[\d,]*(?:\.\d+)?\s?元|\d{3,4}-\d{7,8}/g)) {
      const range = document.createRange();
      const a = at(m.index, false);
      const b = at(m.index + m[0].length, true);
      range.setStart(a.node, a.offset);
      range.setEnd(b.node, b.offset);
      const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (tops.size > 1) broken.push(m[0]);
    }
    return broken;
  }, testId);
}

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The stylesheets are flat CSS: a rule nested in another is only ever an unclosed brace (a merge once left
 * `.pay-code-entry {` open, and CSS nesting silently scoped every later rule — the whole 适老化 section — under
 * it). Only at-rules (@media, @supports, @keyframes …) may hold rules.
 */
function nestedRules(css: string): string[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const open: string[] = [];
  const problems: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '{') {
      const prelude = text.slice(start, i).trim();
      if (open.length > 0 && !open[open.length - 1]!.startsWith('@')) problems.push(`"${prelude}" inside "${open[open.length - 1]}"`);
      open.push(prelude);
      start = i + 1;
    } else if (ch === '}') {
      open.pop();
      start = i + 1;
    } else if (ch === ';') {
      start = i + 1;
    }
  }
  if (open.length > 0) problems.push(`unclosed: ${open.join(' > ')}`);
  return problems;
}

describe('renderer stylesheets', () => {
  for (const file of ['renderer/styles.css', 'renderer/fonts.css']) {
    it(`${file} has no rule nested in another rule and no unclosed block`, () => {
      expect(nestedRules(readFileSync(resolve(import.meta.dirname, '../../..', file), 'utf8'))).toEqual([]);
    });
  }
  it('finds the unclosed brace that hid the elderly mode', () => {
    expect(nestedRules('.a { color: red;\n.b { color: blue; }')).toEqual(['".b" inside ".a"', 'unclosed: .a']);
    expect(nestedRules('@media print { .a { color: red; } }')).toEqual([]);
  });
});

import { Fragment } from 'react';

/**
 * An amount with its unit (10,000.00 元) and a phone number (0510-12345678) are read as one word: a line
 * must not break inside them. The browser breaks at the space before 元 and after the hyphen, so a narrow
 * column (大字模式, portrait) left "10,000.00" at the end of one line and "元" at the start of the next,
 * "0510-" above "12345678". The text is unchanged; only those words are kept on one line.
 */
const UNBREAKABLE = /-?\d[\d,]*(?:\.\d+)?\s?元|\d{3,4}-\d{7,8}/g;

export function KeepTogether({ text }: { text: string }) {
  const parts: Array<string | { word: string }> = [];
  let last = 0;
  for (const m of text.matchAll(UNBREAKABLE)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push({ word: m[0] });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return (
    <>
      {parts.map((p, i) =>
        typeof p === 'string' ? (
          <Fragment key={i}>{p}</Fragment>
        ) : (
          <span key={i} className="keep-together">
            {p.word}
          </span>
        ),
      )}
    </>
  );
}

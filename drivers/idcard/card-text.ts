import { decoded, rejected, type Decoded } from '../decoded.ts';

/**
 * The text rules common to every layout (idcard-link.md §7): UCS-2 little-endian, 2 bytes per character; a
 * surrogate cannot be a UCS-2 character and is damaged data; fields are left-aligned and padded, with U+0020 on
 * real cards and U+0000 on some, so both are stripped from both ends.
 */
export function decodeUcs2Field(text: Uint8Array, offset: number, bytes: number): Decoded<string> {
  if (offset + bytes > text.length || bytes % 2 !== 0) return rejected(`field at ${offset} is outside the text`);
  let s = '';
  for (let i = offset; i < offset + bytes; i += 2) {
    const unit = (text[i] as number) | ((text[i + 1] as number) << 8);
    if (unit >= 0xd800 && unit <= 0xdfff) return rejected(`surrogate U+${unit.toString(16).toUpperCase()} at byte ${i}`);
    s += String.fromCharCode(unit);
  }
  return decoded(stripPadding(s));
}

export function stripPadding(s: string): string {
  return s.replace(/^[\u0020\u0000]+/, '').replace(/[\u0020\u0000]+$/, '');
}

/** `YYYYMMDD` that is a real calendar date → `YYYY-MM-DD`. */
export function decodeDate(s: string): Decoded<string> {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return rejected(`not a date: "${s}"`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d); // not Date.UTC, which reads years 0–99 as 1900–1999
  if (y < 1 || date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return rejected(`not a calendar date: "${s}"`);
  return decoded(`${m[1]}-${m[2]}-${m[3]}`);
}

/** The end of validity: a date, or 长期 (long-term) → null. */
export function decodeValidTo(s: string): Decoded<string | null> {
  if (s === '长期') return decoded(null);
  return decodeDate(s);
}

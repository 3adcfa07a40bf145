/**
 * The exact text of one member's value in a JSON object, as it was sent: Alipay signs the `*_response`
 * object's JSON text byte for byte ("同步返回验签": the string between `"xxx_response":` and `,"sign"`), so
 * it must be cut out of the raw body before any parse/re-serialise could change spacing, escapes or order.
 *
 * A small scanner over the top-level object (strings and nesting respected), not a search for the key text,
 * so a value that happens to contain `"sign"` or the key name cannot move the cut.
 */
export function memberText(raw: string, key: string): string | null {
  let i = skipSpace(raw, 0);
  if (raw[i] !== '{') return null;
  i++;
  for (;;) {
    i = skipSpace(raw, i);
    if (raw[i] === '}') return null;
    if (raw[i] !== '"') return null;
    const keyEnd = endOfString(raw, i);
    if (keyEnd < 0) return null;
    const name = JSON.parse(raw.slice(i, keyEnd)) as string;
    i = skipSpace(raw, keyEnd);
    if (raw[i] !== ':') return null;
    i = skipSpace(raw, i + 1);
    const valueEnd = endOfValue(raw, i);
    if (valueEnd < 0) return null;
    if (name === key) return raw.slice(i, valueEnd);
    i = skipSpace(raw, valueEnd);
    if (raw[i] === ',') {
      i++;
      continue;
    }
    return null;
  }
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && (s[i] === ' ' || s[i] === '\n' || s[i] === '\r' || s[i] === '\t')) i++;
  return i;
}

/** Index just after the string starting at s[i] === '"', or -1. */
function endOfString(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === '"') return j + 1;
  }
  return -1;
}

/** Index just after the JSON value starting at i, or -1. */
function endOfValue(s: string, i: number): number {
  if (s[i] === '"') return endOfString(s, i);
  if (s[i] === '{' || s[i] === '[') {
    let depth = 0;
    for (let j = i; j < s.length; j++) {
      const c = s[j];
      if (c === '"') {
        j = endOfString(s, j) - 1;
        if (j < 0) return -1;
      } else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  while (j < s.length && !',}] \n\r\t'.includes(s[j]!)) j++;
  return j > i ? j : -1;
}

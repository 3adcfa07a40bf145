/**
 * The deepest nesting of objects and arrays in a JSON text, found in one pass without parsing (brackets inside
 * strings do not count). A platform reply is at most a few levels deep; a hostile or broken gateway can send
 * 100,000 nested brackets, which JSON.parse accepts but every recursive consumer after it (JSON.stringify when
 * the outbox stores the output, zod, structured clone) overflows the stack on. Stops counting past `limit`.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  // Nesting is never deeper than the number of opening brackets: a reply with no more than `limit` of them (every
  // reply a platform sends) is cleared by counting them with native searches, without a walk in JavaScript.
  if (openingBracketsAtMost(text, limit)) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > limit) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}

function openingBracketsAtMost(text: string, limit: number): boolean {
  let n = 0;
  for (const bracket of ['{', '[']) {
    for (let i = text.indexOf(bracket); i !== -1; i = text.indexOf(bracket, i + 1)) if (++n > limit) return false;
  }
  return true;
}

/** Deeper than any national-interface reply (they nest 3–5 levels); far below any stack limit. */
export const MAX_REPLY_DEPTH = 64;

/**
 * Decimal text → scaled BigInt, exactly. The wire carries numbers as JSON numbers or strings ("12.50",
 * 0.1, "3"); a binary float never takes part: the shortest decimal form JavaScript prints for a JSON number
 * is the number the sender wrote.
 */

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Parses `value` (a JSON number or a decimal string) scaled by 10^scale. Returns null when it is not a plain
 * decimal or has more fractional digits than `scale` (after dropping trailing zeros).
 */
export function parseScaledDecimal(value: unknown, scale: number): bigint | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    text = numberToPlainString(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return null;
  }
  const m = DECIMAL.exec(text);
  if (!m) return null;
  const [, sign, whole, fracRaw = ''] = m;
  const frac = fracRaw.replace(/0+$/, '');
  if (frac.length > scale) return null;
  const digits = BigInt((whole ?? '0') + frac.padEnd(scale, '0'));
  return sign ? -digits : digits;
}

/** 1e-7 → "0.0000001": JSON numbers in exponent form, written out. */
function numberToPlainString(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  // toFixed handles up to 100 digits; 20 covers every amount the wire can carry at 16,6.
  return n.toFixed(20).replace(/\.?0+$/, '');
}

/** Fen → the wire's yuan with 2 decimals, as a JSON number (123456 → 1234.56). */
export function fenToYuanNumber(fen: number): number {
  return fen / 100;
}

/** A 10^4-scaled rate → the wire's 5,4 number (8800 → 0.88). */
export function e4ToNumber(e4: number): number {
  return e4 / 10_000;
}

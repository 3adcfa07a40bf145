/**
 * Money inside the project is integer fen in a branded type, so a yuan number can never be passed where fen
 * are meant without going through `fen()` or the wire parsers here. The platform wire carries yuan: we send
 * strings with exactly 2 decimals, and read whatever a platform sends (numbers, strings, exponents) exactly.
 */
declare const fenBrand: unique symbol;
export type Fen = number & { readonly [fenBrand]: 'fen' };

/** Brands an integer number of fen. Throws on fractions, NaN and unsafe magnitudes (a programming error). */
export function fen(amount: number): Fen {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`fen must be a safe integer, got ${amount}`);
  return (Object.is(amount, -0) ? 0 : amount) as Fen;
}

/** Integer fen → the wire's yuan string with 2 decimals: 123456 → "1234.56", -5 → "-0.05". */
export function fenToYuan(amount: Fen | number): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`fen must be a safe integer, got ${amount}`);
  const abs = Math.abs(amount);
  const yuan = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  return amount < 0 ? `-${yuan}` : yuan;
}

/** An integer fen unit price → the wire's 16,6 pric: same digits as money ("12.50"), valid for 6 decimals. */
export const fenToPric = fenToYuan;

// sign, integer digits, fraction digits, exponent. Exponents appear when a platform serialises a double.
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,3}))?$/;
const PLAIN_YUAN = /^(-?)(\d{1,13})(?:\.(\d{1,2}))?$/;
// "1,234.56": thousands separators, seen in hand-made test data and some gateways.
const GROUPED = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$/;

/**
 * Reads a yuan amount from untrusted platform JSON as integer fen, exactly (no binary floating point):
 * numbers (`23442.46`, `1e3`), strings (`"23442.46"`, `" -3379.26 "`, `"1,234.5"`, `".5"`). More than 2
 * decimals are rounded half away from zero to the fen. Returns null for anything that is not an amount
 * (empty string, null, NaN, Infinity, booleans, objects, magnitudes beyond a safe integer of fen).
 */
export function parseYuan(value: unknown): Fen | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    // Fast path: a double that is within a millionth of a fen of a whole fen rounds to that fen whichever way
    // its decimal digits are read; anything nearer a half goes through the exact path below.
    const scaled = value * 100;
    const whole = Math.round(scaled);
    if (Math.abs(scaled - whole) < 1e-6 && Math.abs(whole) <= Number.MAX_SAFE_INTEGER / 1024) return (whole === 0 ? 0 : whole) as Fen;
    text = String(value); // shortest round-trip form: 1.005 → "1.005", 0.1 + 0.2 → "0.30000000000000004"
  } else if (typeof value === 'string') {
    const plain = PLAIN_YUAN.exec(value);
    if (plain) {
      // Fast path for the usual "1234.5" / "-0.05": at most 13 integer digits, no BigInt needed.
      const [, minus, int = '', frac = ''] = plain;
      const n = Number(int) * 100 + Number(frac.padEnd(2, '0'));
      return (minus && n !== 0 ? -n : n) as Fen;
    }
    text = value.trim();
    if (GROUPED.test(text)) text = text.replace(/,/g, '');
  } else {
    return null;
  }
  const m = DECIMAL.exec(text);
  if (!m) return null;
  const [, sign = '', intDigits = '', fracDigits = '', expText] = m;
  if (intDigits === '' && fracDigits === '') return null;
  const exponent = expText === undefined ? 0 : Number(expText);
  // value = digits × 10^-(scale) yuan; fen = digits × 10^(2 - scale)
  const digits = BigInt((intDigits + fracDigits).replace(/^0+(?=\d)/, '') || '0');
  const shift = 2 - (fracDigits.length - exponent);
  let fenValue: bigint;
  if (shift >= 0) {
    fenValue = digits * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    fenValue = digits / divisor;
    if ((digits % divisor) * 2n >= divisor) fenValue += 1n; // half away from zero (sign applied after)
  }
  if (fenValue > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  const n = Number(fenValue);
  return (sign === '-' && n !== 0 ? -n : n) as Fen;
}

/** Sums fen without leaving the brand. */
export function sumFen(amounts: Iterable<Fen>): Fen {
  let total = 0;
  for (const a of amounts) total += a;
  return fen(total);
}

/**
 * Exact money arithmetic for the policy engine. Money is integer fen; prices, counts and ratios are scaled
 * integers (BigInt where a product could pass 2^53), so no float ever decides a fen.
 * `round()` of settlement-rules is half-up to a whole fen; for the negative amounts of refund lines it is
 * applied to the magnitude (half away from zero), so a refund line is the exact mirror of its original.
 */

/** Integer fen (分). */
export type Fen = number;

/** Ratios and proportions are carried as integers scaled by 10^4 (the wire's 5,4): 0.88 → 8800. */
export const RATE_SCALE = 10_000;

/** n / d rounded half away from zero; d > 0. */
export function roundDiv(n: bigint, d: bigint): bigint {
  if (d <= 0n) throw new RangeError('roundDiv: divisor must be positive');
  const neg = n < 0n;
  const m = neg ? -n : n;
  const q = (m * 2n + d) / (2n * d);
  return neg ? -q : q;
}

/** round(fen × rate), rate scaled by 10^4. */
export function applyRate(fen: Fen, rateE4: number): Fen {
  return Number(roundDiv(BigInt(fen) * BigInt(rateE4), BigInt(RATE_SCALE)));
}

/**
 * round(pric × cnt) in fen, with pric in yuan scaled by 10^6 (the wire's 16,6) and cnt scaled by 10^4
 * (16,4): the product is in units of 10^-10 yuan = 10^-8 fen.
 */
export function priceTimesCountFen(pricE6: bigint, cntE4: bigint): Fen {
  return Number(roundDiv(pricE6 * cntE4, 100_000_000n));
}

/** A parameters.json figure in yuan (at most 2 decimals) as fen. */
export function yuanToFen(yuan: number): Fen {
  const fen = Math.round(yuan * 100);
  if (Math.abs(fen - yuan * 100) > 1e-6) throw new RangeError(`amount ${yuan} has more than 2 decimals`);
  return fen;
}

/** A parameters.json fraction (at most 4 decimals) scaled by 10^4. */
export function fractionToE4(fraction: number): number {
  const e4 = Math.round(fraction * RATE_SCALE);
  if (Math.abs(e4 - fraction * RATE_SCALE) > 1e-6) throw new RangeError(`ratio ${fraction} has more than 4 decimals`);
  return e4;
}

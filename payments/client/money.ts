/**
 * Amounts at the Alipay wire are yuan strings with at most two decimals ("88.88", total_amount, refund_amount);
 * everywhere else they are integer fen. These two functions are the only crossing.
 */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`amount must be a non-negative integer fen, got ${fen}`);
  const yuan = Math.floor(fen / 100);
  const cents = fen % 100;
  return `${yuan}.${String(cents).padStart(2, '0')}`;
}

/** Parses a wire amount; null when it is not a plain non-negative decimal with at most two places. */
export function yuanToFen(text: unknown): number | null {
  if (typeof text !== 'string' && typeof text !== 'number') return null;
  const s = String(text).trim();
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

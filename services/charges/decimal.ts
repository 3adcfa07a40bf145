/**
 * Exact decimal reading for HIS input: amounts in yuan become integer fen, quantities keep their decimal text
 * (the wire's cnt 16,4). No binary floating point anywhere: "0.1 × 3" must be 30 fen, not 30.000000000000004.
 */

import type { Result } from '../../base/result.ts';

const PLAIN_DECIMAL = /^(\d{1,12})(?:\.(\d+))?$/;

/** A parse outcome: the value, or the reason in Chinese for the clerk. */
export type Parsed<T> = Result<T, string>;

/** "12.5" → 1250 fen. Refuses signs, exponents, separators and more than 2 decimals (a fen is the smallest unit). */
export function parseYuanToFen(text: string): Parsed<number> {
  const t = text.trim();
  const m = PLAIN_DECIMAL.exec(t);
  if (!m) return { ok: false, error: `“${clip(t)}”不是有效金额（元，最多两位小数）` };
  const frac = m[2] ?? '';
  if (frac.length > 2 && /[1-9]/.test(frac.slice(2))) return { ok: false, error: `金额“${clip(t)}”超过两位小数（分以下）` };
  const fenValue = Number(m[1]) * 100 + Number((frac + '00').slice(0, 2));
  if (!Number.isSafeInteger(fenValue)) return { ok: false, error: `金额“${clip(t)}”过大` };
  return { ok: true, value: fenValue };
}

/** A positive quantity with at most 4 decimals, normalised ("2.50" → "2.5", "3" → "3"); ten-thousandths as well. */
export function parseCount(text: string, max = 100_000): Parsed<{ text: string; tenThousandths: number }> {
  const t = text.trim();
  const m = PLAIN_DECIMAL.exec(t);
  if (!m) return { ok: false, error: `数量“${clip(t)}”不是有效数字` };
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > 4) return { ok: false, error: `数量“${clip(t)}”超过四位小数` };
  const units = Number(m[1]) * 10_000 + Number((frac + '0000').slice(0, 4));
  if (units <= 0) return { ok: false, error: '数量必须大于0' };
  if (units > max * 10_000) return { ok: false, error: `数量“${clip(t)}”超过上限${max}` };
  const intPart = String(Number(m[1]));
  return { ok: true, value: { text: frac ? `${intPart}.${frac}` : intPart, tenThousandths: units } };
}

/** A number from JSON (or the contract's cnt) as count text, exactly as JavaScript prints it, then parsed. */
export function countFromNumber(n: number): Parsed<{ text: string; tenThousandths: number }> {
  if (!Number.isFinite(n)) return { ok: false, error: '数量不是有效数字' };
  // String(n) is the shortest round-trip form: 0.1 → "0.1", 1e-7 → "1e-7" (refused: more than 4 decimals).
  const s = String(n);
  if (/e/i.test(s)) return { ok: false, error: `数量“${s}”超过四位小数或过大` };
  return parseCount(s);
}

/** round(pric × cnt) in fen, half-up, exactly: pric in fen, cnt in ten-thousandths. */
export function lineAmountFen(pricFen: number, cntTenThousandths: number): number {
  const product = BigInt(pricFen) * BigInt(cntTenThousandths);
  const q = product / 10_000n;
  const r = product % 10_000n;
  return Number(r * 2n >= 10_000n ? q + 1n : q);
}

/** fen → "12.50" for screens and documents (never for arithmetic). */
export function formatYuan(fenValue: number): string {
  const abs = Math.abs(fenValue);
  const s = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  return fenValue < 0 ? `-${s}` : s;
}

function clip(s: string): string {
  return s.length > 20 ? `${s.slice(0, 20)}…` : s;
}

import { z } from 'zod';
import { fen, parseYuan, type Fen } from '../../base/fen.ts';

/**
 * zod pieces for reading platform output (untrusted). Platforms differ in small ways — numbers as strings,
 * null for absent, codes as numbers — so readers accept those and normalise; anything else is a typed
 * bad-response error, never a crash.
 *
 * Each reader is one transform over z.unknown() with the checks written out: a 2,000-line 2301 answer has
 * ~40,000 such fields, and zod unions cost several times more per field than a typeof test.
 * Keys are optional in zod 4 only when the schema is `.optional()`, hence the `.optional()` on the absent-able.
 */

type Ctx = z.RefinementCtx;

function fail(ctx: Ctx, message: string): never {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER as never;
}

const isAbsent = (v: unknown): v is null | undefined | '' => v === null || v === undefined || v === '';

/** A required yuan amount → integer fen. */
export const yuan = z.unknown().transform((value, ctx): Fen => {
  if (typeof value !== 'number' && typeof value !== 'string') return fail(ctx, 'not a yuan amount');
  return parseYuan(value) ?? fail(ctx, 'not a yuan amount');
});

/** A yuan amount that may be absent (null, "", missing): absent reads as 0 fen (a fund that paid nothing). */
export const yuanOrZero = z
  .unknown()
  .optional()
  .transform((value, ctx): Fen => {
    if (isAbsent(value) || (typeof value === 'string' && value.trim() === '')) return fen(0);
    if (typeof value !== 'number' && typeof value !== 'string') return fail(ctx, 'not a yuan amount');
    return parseYuan(value) ?? fail(ctx, 'not a yuan amount');
  });

/** A yuan amount whose absence means "not told" (e.g. 个人账户余额), not zero: absent → null. */
export const optYuan = z
  .unknown()
  .optional()
  .transform((value, ctx): Fen | null => {
    if (isAbsent(value) || (typeof value === 'string' && value.trim() === '')) return null;
    if (typeof value !== 'number' && typeof value !== 'string') return fail(ctx, 'not a yuan amount');
    return parseYuan(value) ?? fail(ctx, 'not a yuan amount');
  });

/** A code or identifier: strings, and numbers some platforms send for numeric codes. */
export const code = z.unknown().transform((value, ctx): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return fail(ctx, 'expected a code (string or number)');
});

/** An optional text: absent, null or "" → null. */
export const optText = z
  .unknown()
  .optional()
  .transform((value, ctx): string | null => {
    if (isAbsent(value)) return null;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    return fail(ctx, 'expected a text, a number or null');
  });

const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function readDecimal(value: unknown, ctx: Ctx): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : fail(ctx, 'not a decimal');
  if (typeof value !== 'string') return fail(ctx, 'not a decimal');
  const text = value.trim();
  return DECIMAL_TEXT.test(text) ? text : fail(ctx, 'not a decimal');
}

/** A decimal quantity or ratio (cnt 16,4, pric 16,6, selfpay_prop 5,4) as its decimal text, unrounded. */
export const decimalText = z.unknown().transform((value, ctx): string => readDecimal(value, ctx));

export const optDecimalText = z
  .unknown()
  .optional()
  .transform((value, ctx): string | null => (isAbsent(value) ? null : readDecimal(value, ctx)));

/** A list that some platforms omit or send as null when empty. */
export function list<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);
}

/** Optional strings in an input node are sent as "" (what real clients send for an absent field). */
export function orEmpty(value: string | undefined | null): string {
  return value ?? '';
}

/** A quantity (cnt 16,4) for the wire: finite, at most 4 decimals, as a plain decimal string. */
export function quantityText(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`cnt must be finite, got ${value}`);
  if (Number.isInteger(value)) return String(value);
  const rounded = Math.round(value * 10_000) / 10_000;
  if (Math.abs(rounded - value) > 1e-9) throw new RangeError(`cnt has more than 4 decimals: ${value}`);
  return rounded.toFixed(4).replace(/\.?0+$/, '');
}

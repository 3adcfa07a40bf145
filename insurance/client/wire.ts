import { z } from 'zod';
import { fen, parseYuan, type Fen } from './money.ts';

/**
 * zod pieces for reading platform output (untrusted). Platforms differ in small ways — numbers as strings,
 * null for absent, codes as numbers — so readers accept those and normalise; anything else is a typed
 * bad-response error, never a crash.
 */

/** A required yuan amount → integer fen. */
export const yuan = z.union([z.number(), z.string()]).transform((value, ctx): Fen => {
  const amount = parseYuan(value);
  if (amount === null) {
    ctx.addIssue({ code: 'custom', message: 'not a yuan amount' });
    return z.NEVER;
  }
  return amount;
});

// Keys are optional in zod 4 only when the schema is `.optional()`; a union with z.undefined() is not.

/** A yuan amount that may be absent (null, "", missing): absent reads as 0 fen (a fund that paid nothing). */
export const yuanOrZero = z
  .union([z.number(), z.string(), z.null()])
  .optional()
  .transform((value, ctx): Fen => {
    if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) return fen(0);
    const amount = parseYuan(value);
    if (amount === null) {
      ctx.addIssue({ code: 'custom', message: 'not a yuan amount' });
      return z.NEVER;
    }
    return amount;
  });

/** A code or identifier: strings, and numbers some platforms send for numeric codes. */
export const code = z.union([z.string(), z.number().finite()]).transform((v) => String(v));

/** An optional text: absent, null or "" → null. */
export const optText = z
  .union([z.string(), z.number().finite(), z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined || v === '' ? null : String(v)));

/** A decimal quantity or ratio (cnt 16,4, pric 16,6, selfpay_prop 5,4) as its decimal text, unrounded. */
export const decimalText = z.union([z.string(), z.number().finite()]).transform((value, ctx) => {
  const text = String(value).trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    ctx.addIssue({ code: 'custom', message: 'not a decimal' });
    return z.NEVER;
  }
  return text;
});

export const optDecimalText = z
  .union([z.string(), z.number().finite(), z.null()])
  .optional()
  .transform((value, ctx) => {
    if (value === null || value === undefined || value === '') return null;
    const text = String(value).trim();
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
      ctx.addIssue({ code: 'custom', message: 'not a decimal' });
      return z.NEVER;
    }
    return text;
  });

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
  const rounded = Math.round(value * 10_000) / 10_000;
  if (Math.abs(rounded - value) > 1e-9) throw new RangeError(`cnt has more than 4 decimals: ${value}`);
  return rounded.toFixed(4).replace(/\.?0+$/, '');
}

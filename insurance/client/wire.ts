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

/** Why a field cannot be read (thrown by a reader, turned into a zod issue at the field's path). */
class FieldProblem extends Error {}

function fail(message: string): never {
  throw new FieldProblem(message);
}

const isAbsent = (v: unknown): v is null | undefined | '' => v === null || v === undefined || v === '';
/** An amount the platform left out: absent, or text of spaces only (some platforms pad empty amounts). */
const isBlankAmount = (v: unknown): boolean => isAbsent(v) || (typeof v === 'string' && v.trim() === '');

const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function readDecimal(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : fail('not a decimal');
  if (typeof value !== 'string') return fail('not a decimal');
  const text = value.trim();
  return DECIMAL_TEXT.test(text) ? text : fail('not a decimal');
}

function readYuan(value: unknown): Fen {
  if (typeof value !== 'number' && typeof value !== 'string') return fail('not a yuan amount');
  return parseYuan(value) ?? fail('not a yuan amount');
}

/**
 * The field readers as plain functions: the value read, or a FieldProblem thrown with the reason. The zod
 * pieces below wrap them one field at a time; `fields` reads a whole object with them in one transform.
 */
export const read = {
  /** A required yuan amount → integer fen. */
  yuan: readYuan,
  /** A yuan amount that may be absent (null, "", missing): absent reads as 0 fen (a fund that paid nothing). */
  yuanOrZero(value: unknown): Fen {
    if (isBlankAmount(value)) return fen(0);
    return readYuan(value);
  },
  /** A yuan amount whose absence means "not told" (e.g. 个人账户余额), not zero: absent → null. */
  optYuan(value: unknown): Fen | null {
    if (isBlankAmount(value)) return null;
    return readYuan(value);
  },
  /** A code or identifier: strings, and numbers some platforms send for numeric codes. */
  code(value: unknown): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    return fail('expected a code (string or number)');
  },
  /** An optional text: absent, null or "" → null. */
  optText(value: unknown): string | null {
    if (isAbsent(value)) return null;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    return fail('expected a text, a number or null');
  },
  /** A required text that is not empty (zod's `z.string().min(1)`, with its messages). */
  nonEmptyString(value: unknown): string {
    if (typeof value !== 'string') return fail(`Invalid input: expected string, received ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`);
    return value.length >= 1 ? value : fail('Too small: expected string to have >=1 characters');
  },
  /** A decimal quantity or ratio (cnt 16,4, pric 16,6, selfpay_prop 5,4) as its decimal text, unrounded. */
  decimalText: readDecimal,
  optDecimalText(value: unknown): string | null {
    return isAbsent(value) ? null : readDecimal(value);
  },
} as const;

/** A reader's value, or its problem as an issue of the value being parsed (at `path` below it). */
function readInto<T>(reader: (value: unknown) => T, value: unknown, ctx: z.RefinementCtx, path?: PropertyKey[]): T | typeof z.NEVER {
  try {
    return reader(value);
  } catch (err) {
    if (!(err instanceof FieldProblem)) throw err;
    ctx.addIssue({ code: 'custom', message: err.message, ...(path ? { path } : {}) });
    return z.NEVER;
  }
}

export const yuan = z.unknown().transform((value, ctx): Fen => readInto(read.yuan, value, ctx));
export const yuanOrZero = z
  .unknown()
  .optional()
  .transform((value, ctx): Fen => readInto(read.yuanOrZero, value, ctx));
export const optYuan = z
  .unknown()
  .optional()
  .transform((value, ctx): Fen | null => readInto(read.optYuan, value, ctx));
export const code = z.unknown().transform((value, ctx): string => readInto(read.code, value, ctx));
export const optText = z
  .unknown()
  .optional()
  .transform((value, ctx): string | null => readInto(read.optText, value, ctx));
export const decimalText = z.unknown().transform((value, ctx): string => readInto(read.decimalText, value, ctx));
export const optDecimalText = z
  .unknown()
  .optional()
  .transform((value, ctx): string | null => readInto(read.optDecimalText, value, ctx));

/**
 * An object read field by field with plain readers (`read.*`), in ONE transform: what `z.object` of the zod
 * pieces reads (the same checks, issues at the same paths, unknown keys dropped), for the objects an answer
 * repeats per line (a 2301 answer: ≈ 20 fields a fee line). zod runs a pipe, a payload and a context per field;
 * with 20 fields a line that was most of the relay's cost of reading a fee batch's answer.
 */
export function fields<S extends Record<string, (value: unknown) => unknown>>(shape: S) {
  const keys = Object.keys(shape) as Array<keyof S & string>;
  return z.unknown().transform((value, ctx): { [K in keyof S]: ReturnType<S[K]> } => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      ctx.addIssue({ code: 'custom', message: `Invalid input: expected object, received ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}` });
      return z.NEVER;
    }
    const record = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    let ok = true;
    for (const key of keys) {
      const v = readInto(shape[key]!, record[key], ctx, [key]);
      if (v === z.NEVER) ok = false;
      else out[key] = v;
    }
    return ok ? (out as { [K in keyof S]: ReturnType<S[K]> }) : z.NEVER;
  });
}

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

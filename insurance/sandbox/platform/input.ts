import { z } from 'zod';
import { parseScaledDecimal } from '../policy/decimal.ts';
import { refuse } from './refusal.ts';

/**
 * Reading a transaction's input node: zod schemas whose failures become a Chinese refusal naming the
 * national field, and exact money/decimal fields.
 */

/** A wire text field: string or number, trimmed. */
export const wireText = z.union([z.string(), z.number()]).transform((v) => String(v).trim());
export const requiredText = wireText.pipe(z.string().min(1, '不能为空'));
export const optionalText = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? '' : String(v).trim()));
/** A number or decimal string, kept as given for exact parsing later. */
export const wireDecimal = z.union([z.number(), z.string()], '应为数值');
export const wireDateTime = requiredText.pipe(z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, '应为yyyy-MM-dd HH:mm:ss'));
/** A node that regions send as an object or as a one-element list. */
export function objectOrList<T extends z.ZodType>(schema: T) {
  return z.union([schema, z.array(schema).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);
}

/** A zod issue in Chinese: missing, wrong type, or the schema's own (Chinese) message. */
export function issueText(i: z.core.$ZodIssue): string {
  if ((i.code === 'invalid_type' || i.code === 'invalid_union') && i.input === undefined) return '缺失';
  if (i.code === 'invalid_type' || i.code === 'invalid_union') return '类型错误';
  return i.message;
}

/** Parses `value` (the node `node` of the input) or refuses with the first problem. */
export function parseNode<T extends z.ZodType>(schema: T, value: unknown, node: string): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const i = r.error.issues[0]!;
  const path = [node, ...i.path.map(String)].join('.');
  return refuse(`交易输入错误：${path} ${issueText(i)}`);
}

/** Yuan with at most 2 decimals → fen, or a refusal naming the field. */
export function fenOf(value: unknown, field: string): number {
  const v = parseScaledDecimal(value, 2);
  if (v === null) return refuse(`交易输入错误：${field} 应为金额（最多2位小数）`);
  return Number(v);
}

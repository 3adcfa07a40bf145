import { timingSafeEqual } from 'node:crypto';

/** Compares a presented secret (launch code, session cookie) with ours in constant time. */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

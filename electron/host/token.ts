import { randomBytes, timingSafeEqual } from 'node:crypto';

/** A per-launch secret put in the page URL, so other pages on this machine cannot drive the terminal. */
export function newLaunchToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Full-jitter exponential backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * sleep = random(0, min(cap, base × 2^attempt)). Spreads the retries of many terminals that lost the same
 * network at the same moment, so they do not come back in lockstep.
 */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 5 * 60_000 };

/** `attempt` counts from 0 (the delay after the first failure). `random` returns [0, 1). */
export function fullJitterDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  if (!(policy.baseMs > 0) || !(policy.capMs >= policy.baseMs)) throw new RangeError('backoff needs 0 < baseMs <= capMs');
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(Math.max(0, attempt), 52));
  const r = random();
  return Math.floor(Math.min(Math.max(r, 0), 1 - Number.EPSILON) * exp);
}

/**
 * Equal jitter: sleep = half of min(cap, base × 2^attempt) plus a random share of the other half. Used where a
 * retry must never come back at once (a reversal after a committed 2401 the gateway garbled): the floor paces
 * it, the jitter still spreads terminals apart.
 */
export function equalJitterDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  if (!(policy.baseMs > 0) || !(policy.capMs >= policy.baseMs)) throw new RangeError('backoff needs 0 < baseMs <= capMs');
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(Math.max(0, attempt), 52));
  const r = Math.min(Math.max(random(), 0), 1 - Number.EPSILON);
  return Math.min(exp - 1, Math.floor(exp / 2 + r * (exp / 2)));
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { equalJitterDelay } from '../../../../services/sync/backoff.ts';

describe('equal-jitter backoff (reversal pacing)', () => {
  it('never comes back sooner than half the doubled base, never later than the cap', () => {
    const policy = { baseMs: 10_000, capMs: 300_000 };
    fc.assert(
      fc.property(fc.nat(60), fc.double({ min: 0, max: 1, noNaN: true }), (n, r) => {
        const d = equalJitterDelay(n, policy, () => r);
        const exp = Math.min(policy.capMs, policy.baseMs * 2 ** n);
        return Number.isInteger(d) && d >= exp / 2 && d < exp;
      }),
    );
    // The production pacing: at most 4 admit-and-reverse cycles in the first minute (floors 5 + 10 + 20 s).
    const floors = [0, 1, 2].map((k) => equalJitterDelay(k, policy, () => 0));
    expect(floors).toEqual([5_000, 10_000, 20_000]);
  });
});

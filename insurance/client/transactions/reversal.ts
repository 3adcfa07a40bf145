import { z } from 'zod';
import type { CallOptions, PlatformClient, PlatformReply } from '../platform-client.ts';

/**
 * 2601 冲正交易 sent by hand: for a transaction the platform took but the hospital did not (S5: "医保已经结算
 * 而his没有结算"). Unknown outcomes of the client's own reversible calls are reversed automatically; use
 * `client.reverseUnknownOutcome` for those found after a crash, so they are journaled and retried.
 */
export function reverse(
  client: PlatformClient,
  input: { psn_no: string; omsgid: string; oinfno: string; insuplc_admdvs: string },
  options: Omit<CallOptions, 'visitKey'> = {},
): Promise<PlatformReply<Record<string, never>>> {
  return client.call(
    {
      ...options,
      infno: '2601',
      insuplc_admdvs: input.insuplc_admdvs,
      input: { data: { psn_no: input.psn_no, omsgid: input.omsgid, oinfno: input.oinfno } },
    },
    z.unknown().transform((): Record<string, never> => ({})),
  );
}

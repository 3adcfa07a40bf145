import type { Operator } from '../envelope.ts';
import type { CallOptions, PlatformClient } from '../platform-client.ts';
import type { SignInRecord } from '../sign-in-store.ts';

/**
 * 9001 签到 and 9002 签退. The client signs in by itself before an operator's first transaction of the day
 * (cached in the SignInStore); call these for an explicit sign-in at a desk and the day-end sign-out.
 */

/** 9001 签到 now, replacing today's cached sign_no of the operator. */
export function signIn(client: PlatformClient, operator?: Operator): Promise<SignInRecord> {
  return client.signIn(operator);
}

/** 9002 签退 of today's sign-in; null when the operator has not signed in today. */
export function signOut(client: PlatformClient, operator?: Operator, options: Omit<CallOptions, 'operator' | 'visitKey'> = {}): Promise<{ sign_time: string } | null> {
  return client.signOut(operator, options);
}

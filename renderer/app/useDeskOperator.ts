import { useEffect, useState } from 'react';
import type { TerminalStatus } from '../../contract/dto/status.ts';
import type { Operator } from '../components/SignIn.tsx';

/**
 * The operator a staff desk works for: the one signed in when it opened (or who signs in on it). When the
 * terminal no longer has one (signed out elsewhere, account disabled, a new day), the desk goes back to the
 * sign-in screen instead of showing a desk whose every request would be refused.
 */
export function useDeskOperator(status: TerminalStatus) {
  const [operator, setOperator] = useState<Operator | null>(status.operator);
  const signedIn = status.operator !== null;
  useEffect(() => {
    if (!signedIn) setOperator(null);
  }, [signedIn]);
  return [operator, setOperator] as const;
}

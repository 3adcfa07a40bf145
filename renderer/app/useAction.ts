import { useCallback, useEffect, useRef, useState } from 'react';
import { toShownError, type ShownError } from './errors.ts';

/**
 * One call to the terminal with its busy flag and its error, for a screen. A result that arrives after the
 * screen is gone (idle timeout, a new patient) is dropped, so no personal data outlives its screen.
 */
export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const live = useRef(true);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);
  const run = useCallback(async (...args: A): Promise<R | undefined> => {
    setBusy(true);
    setError(null);
    try {
      const r = await fnRef.current(...args);
      return live.current ? r : undefined;
    } catch (e) {
      if (live.current) setError(toShownError(e));
      return undefined;
    } finally {
      if (live.current) setBusy(false);
    }
  }, []);
  const clear = useCallback(() => setError(null), []);
  return { run, busy, error, clear, setError };
}

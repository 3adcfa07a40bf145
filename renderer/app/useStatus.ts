import { useEffect, useState } from 'react';
import type { TerminalStatus } from '../../contract/dto/status.ts';
import { useKiosk } from './kiosk-context.tsx';

/** The terminal's status: fetched once, then kept current by the host's `status` events (and a slow poll). */
export function useStatus(): { status: TerminalStatus | null; error: string | null } {
  const kiosk = useKiosk();
  const [status, setStatus] = useState<TerminalStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const refresh = () =>
      kiosk.system
        .status({})
        .then((s) => {
          if (live) {
            setStatus(s);
            setError(null);
          }
        })
        .catch((e: Error) => live && setError(e.message));
    refresh();
    const off = kiosk.on('status', (s) => live && setStatus(s));
    const timer = setInterval(refresh, 10_000);
    return () => {
      live = false;
      off();
      clearInterval(timer);
    };
  }, [kiosk]);
  return { status, error };
}

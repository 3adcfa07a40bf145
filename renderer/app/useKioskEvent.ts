import { useEffect, useRef } from 'react';
import type { KioskEventName, KioskEventPayloads } from '../../contract/api.ts';
import { useKiosk } from './kiosk-context.tsx';

/** Subscribes a screen to one terminal event for as long as it is shown. */
export function useKioskEvent<E extends KioskEventName>(event: E, listener: (payload: KioskEventPayloads[E]) => void, enabled = true): void {
  const kiosk = useKiosk();
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => {
    if (!enabled) return;
    return kiosk.on(event, (p) => ref.current(p));
  }, [kiosk, event, enabled]);
}

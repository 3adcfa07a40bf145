import { createContext, useContext, useEffect } from 'react';

/**
 * Something on screen that must not be wiped by the idle timeout while it lasts: a payment QR the patient is
 * paying on the phone (no touches for minutes). Its own countdown governs, and when it ends the screen says
 * what happened (closed, where to pay) before the idle timer runs again. Holds are counted.
 */
export const IdleHoldContext = createContext<(delta: 1 | -1) => void>(() => undefined);

export function useIdleHold(active: boolean): void {
  const hold = useContext(IdleHoldContext);
  useEffect(() => {
    if (!active) return;
    hold(1);
    return () => hold(-1);
  }, [active, hold]);
}

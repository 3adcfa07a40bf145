import { useEffect, useRef } from 'react';

/**
 * Calls onIdle after `seconds` without a touch, click or key. Kiosks return to the start screen this way so
 * the next patient never sees the previous one's data.
 */
export function useIdleTimeout(seconds: number, onIdle: () => void, enabled = true): void {
  const callback = useRef(onIdle);
  callback.current = onIdle;
  useEffect(() => {
    if (!enabled) return;
    let timer = setTimeout(() => callback.current(), seconds * 1000);
    const reset = () => {
      clearTimeout(timer);
      timer = setTimeout(() => callback.current(), seconds * 1000);
    };
    const events = ['pointerdown', 'keydown', 'touchstart', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, reset, { passive: true });
    return () => {
      clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, reset);
    };
  }, [seconds, enabled]);
}

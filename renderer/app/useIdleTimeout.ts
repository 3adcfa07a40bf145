import { useEffect, useRef, useState } from 'react';

/**
 * Calls onIdle after `seconds` without a touch, click or key. Kiosks return to the start screen this way so
 * the next patient never sees the previous one's data. With `warnSeconds`, the last seconds are counted down
 * (the returned number) so a patient who is still there can touch the screen and keep going.
 */
export function useIdleTimeout(seconds: number, onIdle: () => void, enabled = true, warnSeconds = 0): number | null {
  const callback = useRef(onIdle);
  callback.current = onIdle;
  const [remaining, setRemaining] = useState<number | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let last = Date.now();
    let fired = false;
    const tick = () => {
      const left = seconds - (Date.now() - last) / 1000;
      if (left <= 0) {
        if (!fired) {
          fired = true;
          setRemaining(null);
          callback.current();
        }
        return;
      }
      setRemaining(warnSeconds > 0 && left <= warnSeconds ? Math.ceil(left) : null);
    };
    const timer = setInterval(tick, 250);
    const reset = () => {
      last = Date.now();
      fired = false;
      setRemaining(null);
    };
    const events = ['pointerdown', 'keydown', 'touchstart', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, reset, { passive: true });
    return () => {
      clearInterval(timer);
      for (const e of events) window.removeEventListener(e, reset);
    };
  }, [seconds, enabled, warnSeconds]);
  return remaining;
}

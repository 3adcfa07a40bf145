import { useEffect, useRef } from 'react';

/**
 * Esc cancels the current step on the staff desks. Bound on the window so it works wherever focus is, but
 * ignored while a modal dialog handles its own Esc.
 */
export function useEscape(onEscape: (() => void) | null): void {
  const ref = useRef(onEscape);
  ref.current = onEscape;
  useEffect(() => {
    const h = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || !ref.current) return;
      e.preventDefault();
      ref.current();
    };
    window.addEventListener('keydown', h);
    return () => window.removeEventListener('keydown', h);
  }, []);
}

import { useEffect, useRef } from 'react';
import { DEFAULT_WEDGE, WedgeDetector, type WedgeOptions } from './wedge.ts';

/**
 * Listens to every keystroke (capture phase) and calls onScan when a keyboard-wedge scanner finished a code.
 * The scanner's characters may have landed in a focused text field; they are taken back out, and its Enter
 * does not submit the form, so a scan never looks like something the operator typed.
 */
export function useWedgeScanner(onScan: (code: string) => void, enabled = true, options: WedgeOptions = DEFAULT_WEDGE): void {
  const ref = useRef(onScan);
  ref.current = onScan;
  useEffect(() => {
    if (!enabled) return;
    const detector = new WedgeDetector(options);
    let field: { el: HTMLInputElement | HTMLTextAreaElement; value: string } | null = null;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.altKey || e.metaKey || e.isComposing) {
        detector.reset();
        return;
      }
      const result = detector.feed(e.key, e.timeStamp);
      if (result.kind === 'none') {
        if (result.newBurst) {
          const el = document.activeElement;
          field = el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? { el, value: el.value } : null;
        }
        return;
      }
      e.preventDefault();
      e.stopPropagation();
      if (field) restoreValue(field.el, field.value);
      field = null;
      ref.current(result.code);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [enabled, options]);
}

/** Sets a React-controlled field's value the way typing would, so React's state follows. */
function restoreValue(el: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  const proto = el instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLTextAreaElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(el, value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

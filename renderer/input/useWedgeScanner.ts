import { useEffect, useRef } from 'react';
import { restoreValue } from './field-value.ts';
import { DEFAULT_WEDGE, WedgeDetector, type WedgeOptions } from './wedge.ts';

/**
 * Listens to every keystroke (capture phase) and calls onScan when a keyboard-wedge scanner finished an
 * e-voucher code, onIdNumber when a fast burst was a valid ID number (a keyboard-style ID card reader, a
 * numeric keypad). Those characters may have landed in a focused text field; they are taken back out, and the
 * Enter does not submit the form, so the code is looked up once, as what it is. Without onIdNumber, a fast ID
 * number stays in its field and its Enter submits the field's form as typing would.
 */
export function useWedgeScanner(onScan: (code: string) => void, enabled = true, options: WedgeOptions = DEFAULT_WEDGE, onIdNumber?: (certNo: string) => void): void {
  const ref = useRef(onScan);
  ref.current = onScan;
  const idRef = useRef(onIdNumber);
  idRef.current = onIdNumber;
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
      if (result.kind === 'id-number' && !idRef.current) return;
      e.preventDefault();
      e.stopPropagation();
      if (field) restoreValue(field.el, field.value);
      field = null;
      if (result.kind === 'scan') ref.current(result.code);
      else idRef.current?.(result.certNo);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [enabled, options]);
}

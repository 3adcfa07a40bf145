import { useEffect, useRef } from 'react';
import { focusedTextField, restoreValue } from './field-value.ts';
import { PaymentCodeReader } from './payment-code-reader.ts';

/**
 * A payment screen's scanner: every keystroke (capture phase) goes through a PaymentCodeReader. A 付款码 calls
 * onCode once (its characters are taken back out of a focused field and its Enter submits nothing); a burst
 * that ended in Enter with no text field focused but is no 付款码 calls onUnread, so the screen asks for the code
 * again instead of staying silent.
 */
export function usePaymentCodeScanner(onCode: (code: string) => void, onUnread: () => void, enabled: boolean): void {
  const codeRef = useRef(onCode);
  codeRef.current = onCode;
  const unreadRef = useRef(onUnread);
  unreadRef.current = onUnread;
  useEffect(() => {
    if (!enabled) return;
    const reader = new PaymentCodeReader();
    let field: { el: HTMLInputElement | HTMLTextAreaElement; value: string } | null = null;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.altKey || e.metaKey || e.isComposing) {
        reader.reset();
        return;
      }
      const typingIn = focusedTextField();
      const read = reader.feed(e.key, e.timeStamp, typingIn !== null);
      if (read.kind === 'none') {
        if (read.newBurst) field = typingIn ? { el: typingIn, value: typingIn.value } : null;
        return;
      }
      e.preventDefault();
      e.stopPropagation();
      if (field) restoreValue(field.el, field.value);
      field = null;
      if (read.kind === 'code') codeRef.current(read.code);
      else unreadRef.current();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [enabled]);
}

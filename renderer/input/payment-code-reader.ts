import { isPaymentCode } from './code-kind.ts';
import { atScannerSpeed, DEFAULT_WEDGE, type WedgeOptions } from './wedge.ts';

/**
 * What a payment screen reads from the keyboard-wedge scanner: the patient's 付款码, by its content alone.
 *
 * Two things the identify screens' WedgeDetector does are wrong here, and each dropped a 付款码 without a word:
 * - it asks "a valid ID number?" first, and one 18-digit 付款码 in eleven carries a valid check digit; with no
 *   ID-number handler the burst was ignored. Here a 付款码-shaped burst is a 付款码, whatever its check digit.
 * - it decides by speed, and a burst split by a busy machine was read as typing and ignored. Speed only tells
 *   a scanner from a person typing into a text field; with no text field focused (the kiosk has no keyboard:
 *   the scanner is the only thing that types) the content decides, and a burst that is not a 付款码 is
 *   reported as `unread`, so the screen can say 请重新扫码 instead of nothing.
 * In a focused text field (the desk's 付款码 field, or any other) a slow burst is left to that field: its own
 * Enter submits what was typed there, as a person typing expects.
 */
export type PaymentRead = { kind: 'none'; newBurst: boolean } | { kind: 'code'; code: string } | { kind: 'unread' };

/** A scanner never pauses this long inside one code: keys older than this are another attempt. */
export const STALE_GAP_MS = 2_000;
/** Longer than any 付款码 (24 digits): a run beyond this is not one code. */
const MAX_KEYS = 64;

export class PaymentCodeReader {
  private keys: string[] = [];
  private times: number[] = [];
  constructor(private readonly options: WedgeOptions = DEFAULT_WEDGE) {}

  /**
   * One keydown: a printable character (length 1) or 'Enter'; any other key ends the burst.
   * `inTextField`: a text field has the focus, so the keys may be a person typing there.
   */
  feed(key: string, timeMs: number, inTextField: boolean): PaymentRead {
    const last = this.times[this.times.length - 1];
    const gap = last === undefined ? 0 : timeMs - last;
    const broken = gap > (inTextField ? this.options.burstGapMs : STALE_GAP_MS);
    if (key === 'Enter') {
      const read = !broken ? this.read(timeMs, inTextField) : !inTextField && this.keys.length >= this.options.minLength ? ({ kind: 'unread' } as const) : null;
      this.reset();
      return read ?? { kind: 'none', newBurst: false };
    }
    if (key.length !== 1) {
      this.reset();
      return { kind: 'none', newBurst: false };
    }
    const newBurst = this.keys.length === 0 || broken || this.keys.length >= MAX_KEYS;
    if (newBurst) this.reset();
    this.keys.push(key);
    this.times.push(timeMs);
    return { kind: 'none', newBurst };
  }

  reset(): void {
    this.keys = [];
    this.times = [];
  }

  private read(enterTime: number, inTextField: boolean): PaymentRead | null {
    if (this.keys.length < this.options.minLength) return null;
    const code = this.keys.join('').trim();
    if (inTextField) return atScannerSpeed([...this.times, enterTime], this.options) && isPaymentCode(code) ? { kind: 'code', code } : null;
    return isPaymentCode(code) ? { kind: 'code', code } : { kind: 'unread' };
  }
}

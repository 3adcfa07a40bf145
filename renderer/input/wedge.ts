import { kindOfCode } from './code-kind.ts';

/**
 * Keyboard-wedge scanners (医保电子凭证 / 电子社保卡 QR readers in USB keyboard mode) type the code as
 * keystrokes and press Enter. node-hid cannot read them. A fast burst ending in Enter is only a candidate:
 * numeric keypads, practised clerks and keyboard-style ID card readers are as fast. What the burst IS comes
 * from its content (code-kind.ts): an e-voucher or a 付款码 is a scan, a valid ID number is an ID number (looked up as
 * one), anything else stays typed where it landed. Pure logic here; the DOM hook is useWedgeScanner.
 */
export interface WedgeOptions {
  /** Shortest code a scanner sends (医保电子凭证 tokens are far longer). */
  minLength: number;
  /** A burst whose median gap between keys is at most this is a scanner (scanners: 1–10 ms; people: 80 ms and up). */
  maxMedianGapMs: number;
  /** A longer pause than this starts a new burst (a person resumed typing). */
  burstGapMs: number;
}

export const DEFAULT_WEDGE: WedgeOptions = { minLength: 6, maxMedianGapMs: 50, burstGapMs: 150 };

export type WedgeResult = { kind: 'none'; newBurst: boolean } | { kind: 'scan'; code: string } | { kind: 'id-number'; certNo: string };

export class WedgeDetector {
  private keys: string[] = [];
  private times: number[] = [];
  constructor(private readonly options: WedgeOptions = DEFAULT_WEDGE) {}

  /** One keydown: a printable character (length 1) or 'Enter'; any other key ends the burst. */
  feed(key: string, timeMs: number): WedgeResult {
    const last = this.times[this.times.length - 1];
    const gapTooLong = last !== undefined && timeMs - last > this.options.burstGapMs;
    if (key === 'Enter') {
      const result = gapTooLong ? null : this.classify(timeMs);
      this.reset();
      return result ?? { kind: 'none', newBurst: false };
    }
    if (key.length !== 1) {
      this.reset();
      return { kind: 'none', newBurst: false };
    }
    const newBurst = this.keys.length === 0 || gapTooLong;
    if (gapTooLong) this.reset();
    this.keys.push(key);
    this.times.push(timeMs);
    return { kind: 'none', newBurst };
  }

  reset(): void {
    this.keys = [];
    this.times = [];
  }

  private classify(enterTime: number): WedgeResult | null {
    if (this.keys.length < this.options.minLength) return null;
    if (!atScannerSpeed([...this.times, enterTime], this.options)) return null;
    const code = this.keys.join('');
    switch (kindOfCode(code)) {
      case 'e-voucher':
      case 'payment-code':
        return { kind: 'scan', code };
      case 'id-number':
        return { kind: 'id-number', certNo: code.toUpperCase() };
      case 'other':
        return null;
    }
  }
}

/** The keys' times (Enter's last) came at a scanner's pace: the median gap, so one hiccup does not break a burst. */
export function atScannerSpeed(times: readonly number[], options: WedgeOptions): boolean {
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push(times[i]! - times[i - 1]!);
  if (gaps.length === 0) return false;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)]! <= options.maxMedianGapMs;
}

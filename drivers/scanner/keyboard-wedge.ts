import { parseScannedCode } from './scanned-code.ts';

/**
 * Tells a keyboard-wedge scanner from a person at the keyboard by timing. A scanner "types" a whole code in a
 * burst, keys a few milliseconds apart, ended by Enter; people type tens to hundreds of milliseconds apart.
 * Pure and DOM-free: feed it key events (key name, event time in ms) from wherever keystrokes are captured
 * (Electron main's before-input-event, or the renderer).
 */
export interface KeyboardWedgeOptions {
  /** Longest gap between two keys of one scan (default 35 ms; 2D scanners at USB full speed send every 8–16 ms). */
  maxInterKeyMs?: number;
  /** Shortest burst that counts as a scan (default 16, as parseScannedCode). */
  minLength?: number;
}

export type WedgeResult = { kind: 'scan'; code: string } | { kind: 'invalid-scan'; reason: string } | null;

export class KeyboardWedgeDetector {
  private readonly maxGap: number;
  private readonly minLength: number;
  private buffer = '';
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(options: KeyboardWedgeOptions = {}) {
    this.maxGap = options.maxInterKeyMs ?? 35;
    this.minLength = options.minLength ?? 16;
  }

  /** True while the keys so far look like a scan in progress (a host may hold them back from the focused field). */
  get scanning(): boolean {
    return this.buffer.length >= 4;
  }

  /** One key (KeyboardEvent.key) at time `atMs`. Returns a result when Enter ends a burst, else null. */
  feed(key: string, atMs: number): WedgeResult {
    const gap = atMs - this.lastAt;
    this.lastAt = atMs;
    if (key === 'Enter') {
      const burst = this.buffer;
      this.buffer = '';
      if (gap > this.maxGap || burst.length < this.minLength) return null;
      const code = parseScannedCode(burst);
      return code.ok ? { kind: 'scan', code: code.value } : { kind: 'invalid-scan', reason: code.reason };
    }
    if (key.length !== 1) return null; // Shift and other named keys carry no character
    if (this.buffer.length > 0 && gap > this.maxGap) {
      // A pause: whatever came before was typed by a person; this key may start a scan.
      this.buffer = '';
    }
    if (this.buffer.length < 4096) this.buffer += key;
    return null;
  }

  reset(): void {
    this.buffer = '';
    this.lastAt = Number.NEGATIVE_INFINITY;
  }
}

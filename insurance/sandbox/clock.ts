import { parseIsoInstant } from './china-time.ts';

/**
 * The sandbox's settable clock (--now, POST /admin/clock). Set to an instant it keeps running from there
 * (so timestamps still advance), or stays frozen at it when asked. Not persisted: a restarted sandbox takes
 * --now again.
 */
export class SandboxClock {
  private offsetMs = 0;
  private frozenAt: number | null = null;

  constructor(start?: Date, frozen = false) {
    if (start) this.set(start, frozen);
  }

  now(): Date {
    return new Date(this.frozenAt ?? Date.now() + this.offsetMs);
  }

  set(at: Date, frozen = false): void {
    if (frozen) {
      this.frozenAt = at.getTime();
    } else {
      this.frozenAt = null;
      this.offsetMs = at.getTime() - Date.now();
    }
  }

  /** Back to the host's time. */
  reset(): void {
    this.frozenAt = null;
    this.offsetMs = 0;
  }

  get frozen(): boolean {
    return this.frozenAt !== null;
  }

  static parse(iso: string): Date {
    const d = parseIsoInstant(iso);
    if (!d) throw new RangeError(`not an ISO time: ${iso}`);
    return d;
  }
}

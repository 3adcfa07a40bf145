import type { IdCardReaderStatus } from '../../contract/dto/status.ts';
import type { KioskError } from '../../contract/errors.ts';

/**
 * How often a ready reader is asked whether it is still there, and a failed one whether it is back. The probe
 * is one `11 FF` (about 6 ms of the reader's time at 115200, idcard-link.md §5), far from the vendors' "no
 * faster than 300 ms" for card polling; every 2 s an unplugged reader is shown unusable within one or two
 * probes (a mute one needs the §2 rate probe, 5 × 300 ms, to give up). It was 60 s: a reader pulled out
 * showed 就绪 for up to a minute.
 */
export const HEALTH_INTERVAL_MS = { ready: 2_000, failed: 2_000 } as const;

/** Failures of the reader itself (not of the card on it): the staff status bar says the reader is unusable. */
const READER_FAULTS: ReadonlySet<string> = new Set(['READER_NOT_FOUND', 'READER_LINK_ERROR']);

/**
 * The ID card reader's state for the staff status bar: 检测中 until the first probe, then ready or unusable
 * with the reason, from the probe (every minute; every 10 s while unusable, so a replugged reader shows
 * ready soon) and from every read (a read that found a card, or failed on the card, proves the reader works).
 */
export class IdCardReaderHealth {
  private current: IdCardReaderStatus = { state: 'checking', message: null };

  constructor(private readonly onChange: () => void) {}

  status(): IdCardReaderStatus {
    return this.current;
  }

  /** When the next probe is due after the current state. */
  nextCheckMs(): number {
    return this.current.state === 'error' ? HEALTH_INTERVAL_MS.failed : HEALTH_INTERVAL_MS.ready;
  }

  reading(): void {
    this.set({ state: 'reading', message: null });
  }

  /** A probe answered, or a read ended with a card or with the card's own failure. */
  works(): void {
    this.set({ state: 'ready', message: null });
  }

  /** A probe or a read failed: a fault of the reader makes it unusable; a card's failure says it works. */
  failed(error: KioskError): void {
    if (READER_FAULTS.has(error.code)) this.set({ state: 'error', message: error.message, guidance: error.guidance[0] ?? null });
    else this.works();
  }

  private set(next: IdCardReaderStatus): void {
    if (next.state === this.current.state && next.message === this.current.message && (next.guidance ?? null) === (this.current.guidance ?? null)) return;
    this.current = next;
    this.onChange();
  }
}

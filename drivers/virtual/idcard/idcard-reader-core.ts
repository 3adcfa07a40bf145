import { concatBytes } from '../../../base/bytes.ts';
import { encodeAnswer } from '../../idcard/frame.ts';
import type { LineSettings } from '../pty.ts';
import { runAt, type PreciseTimer } from '../precise-timer.ts';
import { HostFrameReceiver } from './host-frame-receiver.ts';
import type { IdCardCatalog } from './idcard-catalog.ts';
import type { IdCardDefinition } from './idcard-definition.ts';
import { LATE_CARD_MS, NOISE_BYTES, REMOVED_READ_MS, type IdCardQuirk } from './idcard-quirks.ts';
import { lineMs, processingMs } from './idcard-timing.ts';

const RATES_BY_PARA = [115200, 57600, 38400, 19200, 9600] as const;

export interface IdCardReaderState {
  card: string | null;
  quirks: IdCardQuirk[];
  baudRate: number;
  /** Every command received, as `CMD PARA` hex (no card data): what a test asserts the driver sent. */
  commands: string[];
  /** Span from the first complete command to the last answer byte written (§10.1), ms. */
  spanMs: number | null;
}

/**
 * The virtual ID card reader (idcard-link.md §2–§5, §10): a SAM module at 115200 8N1 (9600 with `baud9600`,
 * or what `60 pp` set), the state rules of §5 (select only right after a find; read only while selected; a
 * card read once per presentation), the timing model of §10.1 and the quirks of §10.2. Bytes the host sends
 * at other line settings are discarded unanswered, as a UART at another speed sees only framing errors.
 */
export class VirtualIdCardReaderCore {
  private readonly receiver = new HostFrameReceiver();
  private card: IdCardDefinition | null = null;
  private quirks = new Set<IdCardQuirk>();
  private rate = 115200;
  private busyUntil = 0;
  private readonly timers = new Set<PreciseTimer>();
  // §5 state
  private justFound = false;
  private selected = false;
  private readThisPresentation = false;
  // quirk state, per session (a session starts with setQuirks or a new card)
  private firstFindAt: number | null = null;
  private readFailedOnce = false;
  private removedAfterSelect = false;
  private noiseFirstSent = false;
  private noiseReadSent = false;
  private readonly commandLog: string[] = [];
  private spanStart: number | null = null;
  private spanEnd: number | null = null;

  constructor(
    private readonly catalog: IdCardCatalog,
    private readonly send: (bytes: Uint8Array) => void,
    private readonly timeScale = 1,
  ) {}

  place(cardId: string): void {
    const card = this.catalog.get(cardId);
    if (!card) throw new Error(`no ID card "${cardId}"`);
    this.card = card;
    this.justFound = false;
    this.selected = false;
    this.readThisPresentation = false;
  }

  remove(): void {
    this.card = null;
    this.selected = false;
    this.justFound = false;
  }

  /** Sets the quirks and starts a new session (§10.2 "the first … of the session"). */
  setQuirks(quirks: IdCardQuirk[]): void {
    this.quirks = new Set(quirks);
    this.rate = this.quirks.has('baud9600') ? 9600 : 115200;
    this.firstFindAt = null;
    this.readFailedOnce = false;
    this.removedAfterSelect = false;
    this.noiseFirstSent = false;
    this.noiseReadSent = false;
    this.commandLog.length = 0;
    this.spanStart = null;
    this.spanEnd = null;
  }

  state(): IdCardReaderState {
    return {
      card: this.card?.id ?? null,
      quirks: [...this.quirks],
      baudRate: this.rate,
      commands: [...this.commandLog],
      spanMs: this.spanStart !== null && this.spanEnd !== null ? this.spanEnd - this.spanStart : null,
    };
  }

  /** Bytes from the host, with the line settings it had set (null: unknown, taken as matching). */
  receive(chunk: Uint8Array, line: LineSettings | null): void {
    if (line && (line.baudRate !== this.rate || line.dataBits !== 8 || line.parity)) return;
    const now = performance.now();
    for (const e of this.receiver.push(chunk, now)) {
      if (e.type === 'bad-length') this.answer(now, 10, 0x11, new Uint8Array(0), 0);
      else if (e.type === 'bad-checksum') this.answer(now, 10, 0x10, new Uint8Array(0), 0);
      else this.command(now, e.cmd, e.para, e.dataLength);
    }
  }

  dispose(): void {
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }

  private command(now: number, cmd: number, para: number, dataLength: number): void {
    const key = `${hex(cmd)} ${hex(para)}`;
    this.commandLog.push(key);
    if (this.spanStart === null) this.spanStart = now;
    if (this.quirks.has('mute')) return;
    const hostBytes = 10 + dataLength;
    const p = processingMs(cmd, para);
    if (this.quirks.has('sam-fault')) return this.answer(now, hostBytes, 0x60, new Uint8Array(0), p);
    const known = ['10 FF', '11 FF', '12 FF', '20 01', '20 02', '30 01', '30 10', '30 03'].includes(key) || cmd === 0x60;
    if (!known) return this.answer(now, hostBytes, 0x21, new Uint8Array(0), p);
    if (dataLength > 0) return this.answer(now, hostBytes, 0x11, new Uint8Array(0), p);
    // `20 02` succeeds only straight after a successful `20 01` (§5): any other command in between spoils it.
    if (key !== '20 02' && key !== '20 01') this.justFound = false;
    switch (key) {
      case '10 FF':
        this.selected = false;
        this.justFound = false;
        this.readThisPresentation = false;
        return this.answer(now, hostBytes, 0x90, new Uint8Array(0), p);
      case '11 FF':
        return this.answer(now, hostBytes, 0x90, new Uint8Array(0), p);
      case '12 FF':
        return this.answer(now, hostBytes, 0x90, Uint8Array.of(5, 0, 1, 0, 0xac, 0x4b, 0x34, 0x01, 0x40, 0xe2, 0x01, 0x00, 0x01, 0xca, 0x9a, 0x3b), p);
      case '20 01':
        return this.find(now, hostBytes, p);
      case '20 02':
        return this.select(now, hostBytes, p);
      case '30 01':
      case '30 10':
        return this.read(now, hostBytes, p, key === '30 10');
      case '30 03':
        return this.readNewAddress(now, hostBytes, p);
      default:
        return this.setRate(now, hostBytes, p, para);
    }
  }

  private cardInField(now: number): boolean {
    if (!this.card || this.quirks.has('no-card') || this.removedAfterSelect) return false;
    if (this.quirks.has('late-card') && (this.firstFindAt === null || now < this.firstFindAt + LATE_CARD_MS * this.timeScale)) return false;
    return true;
  }

  private find(now: number, hostBytes: number, p: number): void {
    this.firstFindAt ??= now;
    this.selected = false;
    if (!this.cardInField(now) || this.readThisPresentation) {
      this.justFound = false;
      return this.answer(now, hostBytes, 0x80, new Uint8Array(0), p);
    }
    this.justFound = true;
    this.answer(now, hostBytes, 0x9f, new Uint8Array(4), p);
  }

  private select(now: number, hostBytes: number, p: number): void {
    const ok = this.justFound && this.cardInField(now);
    this.justFound = false;
    if (!ok) return this.answer(now, hostBytes, 0x81, new Uint8Array(0), p);
    this.selected = true;
    this.answer(now, hostBytes, 0x90, new Uint8Array(8), p);
    if (this.quirks.has('card-removed') && !this.removedAfterSelect) this.removedAfterSelect = true;
  }

  private read(now: number, hostBytes: number, p: number, withFingerprints: boolean): void {
    const card = this.card;
    if (!this.selected || !card) return this.failRead(now, hostBytes, p);
    if (this.removedAfterSelect) return this.failRead(now, hostBytes, REMOVED_READ_MS);
    if (this.quirks.has('read-fail-once') && !this.readFailedOnce) {
      this.readFailedOnce = true;
      return this.failRead(now, hostBytes, p);
    }
    this.readThisPresentation = true;
    const lengths = withFingerprints ? Uint8Array.of(1, 0, 4, 0, 0, 0) : Uint8Array.of(1, 0, 4, 0);
    const noise = this.quirks.has('noise') && !this.noiseReadSent;
    this.noiseReadSent ||= noise;
    this.answer(now, hostBytes, 0x90, concatBytes(lengths, card.text, card.photo), p, noise);
  }

  private failRead(now: number, hostBytes: number, p: number): void {
    this.selected = false;
    this.answer(now, hostBytes, 0x41, new Uint8Array(0), p);
  }

  private readNewAddress(now: number, hostBytes: number, p: number): void {
    if (!this.selected || !this.card || this.removedAfterSelect) return this.failRead(now, hostBytes, p);
    if (!this.card.newAddress) return this.answer(now, hostBytes, 0x91, new Uint8Array(0), p);
    this.answer(now, hostBytes, 0x90, this.card.newAddress, p);
  }

  private setRate(now: number, hostBytes: number, p: number, para: number): void {
    const rate = RATES_BY_PARA[para];
    if (rate === undefined) return this.answer(now, hostBytes, 0x21, new Uint8Array(0), p);
    // The answer goes out at the old rate; then the reader listens at the new one (§5).
    this.answer(now, hostBytes, 0x90, new Uint8Array(0), p);
    this.rate = rate;
  }

  /** Schedules an answer: command line time, processing, answer line time (noise counts as answer bytes). */
  private answer(now: number, hostBytes: number, sw3: number, data: Uint8Array, processing: number, readNoise = false): void {
    let frame = encodeAnswer(sw3, data);
    const firstNoise = this.quirks.has('noise') && !this.noiseFirstSent;
    this.noiseFirstSent = true;
    if (firstNoise || readNoise) frame = concatBytes(NOISE_BYTES, frame);
    const rate = this.rate;
    const start = Math.max(now, this.busyUntil);
    const at = start + (lineMs(hostBytes, rate) + processing + lineMs(frame.length, rate)) * this.timeScale;
    this.busyUntil = at;
    const timer = runAt(at, () => {
      this.timers.delete(timer);
      this.spanEnd = performance.now();
      this.send(frame);
    });
    this.timers.add(timer);
  }
}

function hex(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}

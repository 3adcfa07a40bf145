import { readUint32LE } from '../../base/bytes.ts';

/**
 * Serial framing of reader-link.md §2 (the GemPC Twin framing of LudovicRousseau/CCID `ccid_serial.c`):
 * `SYNC 0x03 | CTRL | message | LRC`, LRC = XOR of every preceding byte of the frame. Pure: no I/O, no timers;
 * time comes in as an argument so the 100 ms inter-byte rule is testable.
 */
export const SYNC = 0x03;
export const CTRL_ACK = 0x06;
export const CTRL_NAK = 0x15;
/** The NAK frame `03 15 16`. */
export const NAK_FRAME: Uint8Array = Uint8Array.of(SYNC, CTRL_NAK, SYNC ^ CTRL_NAK);
export const INTER_BYTE_TIMEOUT_MS = 100;
/** CCID header length; every message but the 2-byte NotifySlotChange starts with one. */
export const CCID_HEADER_LENGTH = 10;
/** dwMaxCCIDMessageLength of the GemPC (271): a short-APDU answer (256 + SW) plus the header fits. */
export const MAX_MESSAGE_LENGTH = 271;
export const NOTIFY_SLOT_CHANGE = 0x50;

export function lrc(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= bytes[i] as number;
  return x;
}

/** Wraps one CCID message (header message or 2-byte notification) in a frame. */
export function encodeSerialFrame(message: Uint8Array): Uint8Array {
  const frame = new Uint8Array(message.length + 3);
  frame[0] = SYNC;
  frame[1] = CTRL_ACK;
  frame.set(message, 2);
  frame[frame.length - 1] = lrc(frame, 0, frame.length - 1);
  return frame;
}

/** Bytes a message occupies on the line once framed (used by the timing model). */
export function serialFrameLength(messageLength: number): number {
  return messageLength + 3;
}

export type SerialFrameEvent =
  | { type: 'message'; message: Uint8Array }
  /** The peer asks us to resend our last frame. */
  | { type: 'nak' }
  /** A bad LRC or a byte where a frame should start: the receiver answers with a NAK frame. */
  | { type: 'bad'; reason: string }
  /** A partial frame dropped because its bytes were more than 100 ms apart (no NAK: §2). */
  | { type: 'stale'; discarded: number };

type State = 'start' | 'ctrl' | 'nak-lrc' | 'body' | 'lrc' | 'discard';

/**
 * Incremental decoder. Feed it whatever the transport delivers; it returns complete events. Never throws, and
 * its work is linear in the input (each byte is looked at once), whatever the bytes.
 */
export class SerialFrameDecoder {
  private state: State = 'start';
  private body = new Uint8Array(MAX_MESSAGE_LENGTH);
  private bodyLength = 0;
  /** Total message length once known (2 for a notification, 10 + dwLength otherwise); 0 until known. */
  private expected = 0;
  private check = 0;
  private lastByteAt = Number.NEGATIVE_INFINITY;
  private partialBytes = 0;

  constructor(private readonly interByteTimeoutMs = INTER_BYTE_TIMEOUT_MS) {}

  /** True while a frame has started and is not complete: the owner may arm a timer to call `expire`. */
  get inFrame(): boolean {
    return this.state === 'ctrl' || this.state === 'nak-lrc' || this.state === 'body' || this.state === 'lrc';
  }

  push(chunk: Uint8Array, nowMs: number): SerialFrameEvent[] {
    const events: SerialFrameEvent[] = [];
    if (chunk.length === 0) return events;
    this.expire(nowMs, events);
    for (let i = 0; i < chunk.length; i++) this.byte(chunk[i] as number, events);
    this.lastByteAt = nowMs;
    return events;
  }

  /** Drops a partial frame whose last byte is older than the inter-byte timeout. */
  expire(nowMs: number, events: SerialFrameEvent[] = []): SerialFrameEvent[] {
    if (this.inFrame && nowMs - this.lastByteAt > this.interByteTimeoutMs) {
      events.push({ type: 'stale', discarded: this.partialBytes });
      this.reset('start');
    }
    return events;
  }

  private reset(state: State): void {
    this.state = state;
    this.bodyLength = 0;
    this.expected = 0;
    this.check = 0;
    this.partialBytes = 0;
  }

  private fail(reason: string, byte: number, events: SerialFrameEvent[], restartOnSync: boolean): void {
    events.push({ type: 'bad', reason });
    // "discards input up to the next SYNC": a SYNC that broke the frame (e.g. as CTRL) may start the next one.
    if (restartOnSync && byte === SYNC) this.startFrame();
    else this.reset('discard');
  }

  private startFrame(): void {
    this.reset('ctrl');
    this.check = SYNC;
    this.partialBytes = 1;
  }

  private byte(b: number, events: SerialFrameEvent[]): void {
    switch (this.state) {
      case 'start':
        if (b === SYNC) this.startFrame();
        else this.fail(`byte ${hex(b)} where a frame should start`, b, events, false);
        return;
      case 'discard':
        if (b === SYNC) this.startFrame();
        return;
      case 'ctrl':
        this.partialBytes++;
        this.check ^= b;
        if (b === CTRL_ACK) this.state = 'body';
        else if (b === CTRL_NAK) this.state = 'nak-lrc';
        else this.fail(`unknown CTRL ${hex(b)}`, b, events, true);
        return;
      case 'nak-lrc':
        if (b === this.check) {
          events.push({ type: 'nak' });
          this.reset('start');
        } else this.fail('bad LRC on a NAK frame', b, events, false);
        return;
      case 'body':
        this.partialBytes++;
        this.check ^= b;
        this.body[this.bodyLength++] = b;
        if (this.bodyLength === 1 && b === NOTIFY_SLOT_CHANGE) this.expected = 2;
        else if (this.bodyLength === 5 && this.expected === 0) {
          const dwLength = readUint32LE(this.body, 1);
          if (dwLength > MAX_MESSAGE_LENGTH - CCID_HEADER_LENGTH) {
            this.fail(`message length ${dwLength} exceeds ${MAX_MESSAGE_LENGTH - CCID_HEADER_LENGTH}`, b, events, false);
            return;
          }
          this.expected = CCID_HEADER_LENGTH + dwLength;
        }
        if (this.expected !== 0 && this.bodyLength === this.expected) this.state = 'lrc';
        return;
      case 'lrc':
        if (b === this.check) {
          events.push({ type: 'message', message: this.body.slice(0, this.bodyLength) });
          this.reset('start');
        } else this.fail(`bad LRC ${hex(b)}, expected ${hex(this.check)}`, b, events, false);
        return;
    }
  }
}

function hex(b: number): string {
  return `0x${b.toString(16).padStart(2, '0').toUpperCase()}`;
}

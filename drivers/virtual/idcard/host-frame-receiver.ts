import { FRAME_OVERHEAD, PREAMBLE, xorChecksum } from '../../idcard/frame.ts';

/** What the reader makes of the host's bytes (idcard-link.md §3, "the reader's side"). */
export type HostFrameEvent = { type: 'command'; cmd: number; para: number; dataLength: number } | { type: 'bad-length' } | { type: 'bad-checksum' };

/** LEN of a host frame: CMD PARA CHK at least; over `04 00` is refused. */
const MIN_LEN = 3;
const MAX_LEN = 0x400;
/** A partial frame is dropped after this much silence. */
export const PARTIAL_FRAME_SILENCE_MS = 100;

/**
 * The reader's receiver: skips bytes before a preamble, answers (through its events) `11` to a LEN under 3 or
 * over `04 00` and `10` to a checksum error, and drops a partial frame after 100 ms of silence.
 */
export class HostFrameReceiver {
  private buffer: number[] = [];
  private lastByteAt = -Infinity;

  push(chunk: Uint8Array, now: number): HostFrameEvent[] {
    if (now - this.lastByteAt > PARTIAL_FRAME_SILENCE_MS) this.buffer = [];
    this.lastByteAt = now;
    for (const b of chunk) this.buffer.push(b);
    const events: HostFrameEvent[] = [];
    for (;;) {
      const start = this.preambleAt();
      if (start < 0) break;
      this.buffer.splice(0, start);
      if (this.buffer.length < FRAME_OVERHEAD) break;
      const len = ((this.buffer[5] as number) << 8) | (this.buffer[6] as number);
      if (len < MIN_LEN || len > MAX_LEN) {
        events.push({ type: 'bad-length' });
        this.buffer.splice(0, FRAME_OVERHEAD);
        continue;
      }
      if (this.buffer.length < FRAME_OVERHEAD + len) break;
      const frame = Uint8Array.from(this.buffer.splice(0, FRAME_OVERHEAD + len));
      if (xorChecksum(frame, 5, frame.length - 1) !== frame[frame.length - 1]) events.push({ type: 'bad-checksum' });
      else events.push({ type: 'command', cmd: frame[7] as number, para: frame[8] as number, dataLength: len - 3 });
    }
    return events;
  }

  /** Index of the first full preamble; -1 when none (then only a possible partial preamble at the end is kept). */
  private preambleAt(): number {
    const b = this.buffer;
    for (let i = 0; i < b.length; i++) {
      let k = 0;
      while (k < PREAMBLE.length && i + k < b.length && b[i + k] === PREAMBLE[k]) k++;
      if (k === PREAMBLE.length) return i;
      if (i + k === b.length) {
        b.splice(0, i);
        return -1;
      }
    }
    this.buffer = [];
    return -1;
  }
}

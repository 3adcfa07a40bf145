import { FRAME_OVERHEAD, MAX_ANSWER_LEN, MIN_ANSWER_LEN, PREAMBLE, xorChecksum } from './frame.ts';

/** One valid answer frame: the three status bytes and the data. The driver decides on SW3 alone (§4). */
export interface IdCardAnswer {
  sw1: number;
  sw2: number;
  sw3: number;
  data: Uint8Array;
}

/**
 * The host's receiver (idcard-link.md §3, receiving rules 1–3). Bytes arrive in any chunks; the parser
 * searches for the preamble one byte at a time, keeps a trailing partial preamble, rejects a LEN outside
 * 4..2400 and a bad CHK by dropping ONE byte and searching again, so a frame that starts inside noise
 * (`… 55 AA AA AA AA 96 69 …`) is still found. It never throws: line bytes are untrusted.
 */
export class AnswerParser {
  private buffer = new Uint8Array(0);

  /** Appends a chunk and returns every complete valid frame now in the buffer, in order. */
  push(chunk: Uint8Array): IdCardAnswer[] {
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer, 0);
    joined.set(chunk, this.buffer.length);
    const answers: IdCardAnswer[] = [];
    let start = 0;
    for (;;) {
      start = findPreamble(joined, start);
      const available = joined.length - start;
      if (available < FRAME_OVERHEAD) break;
      const len = ((joined[start + 5] as number) << 8) | (joined[start + 6] as number);
      if (len < MIN_ANSWER_LEN || len > MAX_ANSWER_LEN) {
        start++;
        continue;
      }
      if (available < FRAME_OVERHEAD + len) break;
      const end = start + FRAME_OVERHEAD + len;
      if (xorChecksum(joined, start + 5, end - 1) !== joined[end - 1]) {
        start++;
        continue;
      }
      answers.push({ sw1: joined[start + 7] as number, sw2: joined[start + 8] as number, sw3: joined[start + 9] as number, data: joined.slice(start + 10, end - 1) });
      start = end;
    }
    this.buffer = joined.slice(start);
    return answers;
  }

  /** Drops everything buffered (rule 4: input that arrived while no command was waiting). */
  clear(): void {
    this.buffer = new Uint8Array(0);
  }

  get buffered(): number {
    return this.buffer.length;
  }
}

/**
 * Index of the first full preamble at or after `from`; when there is none, the index of a trailing run that
 * may be the start of one (`AA`, `AA AA`, `AA AA AA`, `AA AA AA 96`), else the end of the buffer.
 */
function findPreamble(bytes: Uint8Array, from: number): number {
  for (let i = from; i < bytes.length; i++) {
    let k = 0;
    while (k < PREAMBLE.length && i + k < bytes.length && bytes[i + k] === PREAMBLE[k]) k++;
    if (k === PREAMBLE.length) return i;
    if (i + k === bytes.length) return i; // a prefix that runs to the end: wait for more bytes
  }
  return bytes.length;
}

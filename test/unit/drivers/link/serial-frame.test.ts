import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../base/bytes.ts';
import { MAX_MESSAGE_LENGTH, NAK_FRAME, SerialFrameDecoder, encodeSerialFrame, lrc, type SerialFrameEvent } from '../../../../drivers/link/serial-frame.ts';

const messages = (events: SerialFrameEvent[]) => events.filter((e) => e.type === 'message').map((e) => toHex((e as { message: Uint8Array }).message));
const kinds = (events: SerialFrameEvent[]) => events.map((e) => e.type);

/** A CCID header message with `n` data bytes. */
function ccid(type: number, data: number[] = [], seq = 0): Uint8Array {
  const m = new Uint8Array(10 + data.length);
  m[0] = type;
  m[1] = data.length & 0xff;
  m[2] = data.length >> 8;
  m[6] = seq;
  m.set(data, 10);
  return m;
}

describe('serial frame encoding (reader-link.md §2)', () => {
  it('is SYNC 03, CTRL 06, the message, and the XOR of every preceding byte', () => {
    // IccPowerOn slot 0 seq 0: 62 00000000 00 00 00 00 00 → LRC = 03^06^62 = 0x67
    expect(toHex(encodeSerialFrame(ccid(0x62)))).toBe('0306620000000000000000' + '0067');
    expect(toHex(encodeSerialFrame(fromHex('5003')))).toBe('0306500356');
  });

  it('has the NAK frame 03 15 16', () => {
    expect(toHex(NAK_FRAME)).toBe('031516');
    expect(lrc(Uint8Array.of(0x03, 0x15))).toBe(0x16);
  });
});

describe('serial frame decoding', () => {
  it('decodes header messages and 2-byte notifications back to back', () => {
    const d = new SerialFrameDecoder();
    const a = ccid(0x80, [0x90, 0x00], 7);
    const stream = new Uint8Array([...encodeSerialFrame(fromHex('5002')), ...encodeSerialFrame(a)]);
    expect(messages(d.push(stream, 0))).toEqual(['5002', toHex(a)]);
  });

  it('reports a NAK frame from the peer', () => {
    expect(kinds(new SerialFrameDecoder().push(NAK_FRAME, 0))).toEqual(['nak']);
  });

  it('answers a bad LRC with "bad" and resynchronises on the next SYNC', () => {
    const d = new SerialFrameDecoder();
    const good = encodeSerialFrame(ccid(0x81, [], 1));
    const bad = good.slice();
    bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 0x01;
    const events = d.push(new Uint8Array([...bad, ...good]), 0);
    expect(kinds(events)).toEqual(['bad', 'message']);
  });

  it('answers garbage where a frame should start with one "bad", then skips to the next SYNC', () => {
    const d = new SerialFrameDecoder();
    const good = encodeSerialFrame(ccid(0x81));
    const events = d.push(new Uint8Array([0xaa, 0x55, 0x99, ...good]), 0);
    expect(kinds(events)).toEqual(['bad', 'message']);
  });

  it('rejects a message longer than the CCID maximum without waiting for its bytes', () => {
    const d = new SerialFrameDecoder();
    // SYNC ACK, DataBlock with dwLength 0x0000FFFF.
    const events = d.push(fromHex('0306 80 FFFF0000'), 0);
    expect(kinds(events)).toEqual(['bad']);
    expect(MAX_MESSAGE_LENGTH).toBe(271);
  });

  it('accepts the longest legal message (header + 261 bytes)', () => {
    const m = ccid(0x80, Array.from({ length: 261 }, (_, i) => i & 0xff));
    expect(messages(new SerialFrameDecoder().push(encodeSerialFrame(m), 0))).toEqual([toHex(m)]);
  });

  it('drops a partial frame when its next byte comes more than 100 ms later', () => {
    const d = new SerialFrameDecoder();
    const frame = encodeSerialFrame(ccid(0x81));
    expect(d.push(frame.subarray(0, 6), 0)).toEqual([]);
    const late = d.push(frame.subarray(6), 150);
    expect(late[0]).toEqual({ type: 'stale', discarded: 6 });
    // The rest of the old frame is now garbage where a frame should start.
    expect(kinds(late).slice(1)).toEqual(['bad']);
    expect(messages(d.push(frame, 160))).toEqual([toHex(ccid(0x81))]);
  });

  it('keeps a frame whose bytes are 100 ms apart or less', () => {
    const d = new SerialFrameDecoder();
    const frame = encodeSerialFrame(ccid(0x81));
    const events: SerialFrameEvent[] = [];
    frame.forEach((b, i) => events.push(...d.push(Uint8Array.of(b), i * 100)));
    expect(messages(events)).toEqual([toHex(ccid(0x81))]);
  });

  it('expire() drops a stalled partial frame without new bytes', () => {
    const d = new SerialFrameDecoder();
    d.push(encodeSerialFrame(ccid(0x81)).subarray(0, 4), 0);
    expect(d.inFrame).toBe(true);
    expect(kinds(d.expire(101))).toEqual(['stale']);
    expect(d.inFrame).toBe(false);
  });

  it('restarts a frame on a SYNC found where CTRL was expected', () => {
    const d = new SerialFrameDecoder();
    const frame = encodeSerialFrame(ccid(0x81));
    expect(kinds(d.push(new Uint8Array([0x03, ...frame]), 0))).toEqual(['bad', 'message']);
  });
});

const messageArb = fc.oneof(
  fc.integer({ min: 0, max: 255 }).map((s) => Uint8Array.of(0x50, s)),
  fc
    .record({ type: fc.constantFrom(0x80, 0x81, 0x83, 0x62, 0x6f), seq: fc.integer({ min: 0, max: 255 }), data: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 261 }) })
    .map(({ type, seq, data }) => ccid(type, data, seq)),
);

describe('serial frame decoder properties', () => {
  it('never throws on random bytes, and its events are bounded by the input', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 20 }), (chunks, gaps) => {
        const d = new SerialFrameDecoder();
        let t = 0;
        let total = 0;
        let events = 0;
        chunks.forEach((c, i) => {
          t += gaps[i] ?? 1;
          total += c.length;
          events += d.push(c, t).length;
        });
        expect(events).toBeLessThanOrEqual(total + chunks.length);
      }),
      { numRuns: 500 },
    );
  });

  it('decodes any sequence of frames, however the stream is chunked', () => {
    fc.assert(
      fc.property(fc.array(messageArb, { minLength: 1, maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 50 }), (msgs, cuts) => {
        const stream = new Uint8Array(msgs.flatMap((m) => [...encodeSerialFrame(m)]));
        const d = new SerialFrameDecoder();
        const got: string[] = [];
        let at = 0;
        let i = 0;
        while (at < stream.length) {
          const n = cuts[i++ % cuts.length] as number;
          got.push(...messages(d.push(stream.subarray(at, at + n), i)));
          at += n;
        }
        expect(got).toEqual(msgs.map((m) => toHex(m)));
      }),
      { numRuns: 300 },
    );
  });

  it('recovers the frames that follow a corrupted one', () => {
    fc.assert(
      fc.property(messageArb, fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 255 }), messageArb, (first, pos, flip, second) => {
        const bad = encodeSerialFrame(first);
        const at = pos % bad.length;
        bad[at] = (bad[at] as number) ^ flip;
        const d = new SerialFrameDecoder();
        const events = d.push(bad, 0);
        // Corruption may leave the decoder waiting for bytes of a frame that claims a longer message;
        // the 100 ms rule ends that wait, then the next frame decodes.
        const after = d.push(encodeSerialFrame(second), 1000);
        const all = [...events, ...after];
        expect(messages(all)).toContain(toHex(second));
      }),
      { numRuns: 500 },
    );
  });
});

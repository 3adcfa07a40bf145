import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../base/bytes.ts';
import type { LinkError } from '../../../../drivers/link/message-link.ts';
import { NAK_FRAME, encodeSerialFrame } from '../../../../drivers/link/serial-frame.ts';
import { SerialLink } from '../../../../drivers/link/serial-link.ts';
import { MemoryTransport } from './memory-transport.ts';

const tick = () => new Promise((r) => setImmediate(r));
const SLOT_STATUS = fromHex('81000000000000000002');

function setup(realClock = false) {
  let now = 0;
  const transport = new MemoryTransport();
  const link = new SerialLink(transport, realClock ? () => performance.now() : () => now);
  const received: string[] = [];
  const errors: LinkError[] = [];
  link.onMessage((m) => received.push(toHex(m)));
  link.onError((e) => errors.push(e));
  return { transport, link, received, errors, advance: (ms: number) => (now += ms) };
}

describe('SerialLink (host side of reader-link.md §2)', () => {
  it('frames what it sends', async () => {
    const { transport, link } = setup();
    await link.send(fromHex('65000000000001000000'));
    expect(transport.written.map((b) => toHex(b))).toEqual([toHex(encodeSerialFrame(fromHex('65000000000001000000')))]);
  });

  it('answers a bad frame with a NAK and still takes the good frame after it', async () => {
    const { transport, received } = setup();
    transport.deliver(new Uint8Array([0x42, ...encodeSerialFrame(SLOT_STATUS)]));
    await tick();
    expect(transport.written.map((b) => toHex(b))).toEqual([toHex(NAK_FRAME)]);
    expect(received).toEqual([toHex(SLOT_STATUS)]);
  });

  it('resends its last frame on each NAK, three times at most, then reports a link error', async () => {
    const { transport, link, errors } = setup();
    await link.send(fromHex('65000000000001000000'));
    for (let i = 0; i < 4; i++) transport.deliver(NAK_FRAME);
    await tick();
    expect(transport.written.length).toBe(1 + 3);
    expect(new Set(transport.written.map((b) => toHex(b))).size).toBe(1);
    expect(errors.map((e) => e.kind)).toEqual(['nak-limit']);
    expect(link.stats.resends).toBe(3);
  });

  it('counts resends per frame: a new frame gets three again', async () => {
    const { transport, link, errors } = setup();
    await link.send(fromHex('65000000000001000000'));
    transport.deliver(NAK_FRAME);
    transport.deliver(NAK_FRAME);
    await link.send(fromHex('65000000000002000000'));
    transport.deliver(NAK_FRAME);
    transport.deliver(NAK_FRAME);
    transport.deliver(NAK_FRAME);
    await tick();
    expect(errors).toEqual([]);
  });

  it('drops a partial frame after 100 ms of silence and asks for the frame again', async () => {
    const { transport, link, received, advance } = setup();
    const frame = encodeSerialFrame(SLOT_STATUS);
    transport.deliver(frame.subarray(0, 5));
    advance(120);
    transport.deliver(frame.subarray(5));
    await tick();
    expect(received).toEqual([]);
    // A NAK after the stale drop, so the reader resends; the tail of the old frame is garbage (NAK too).
    expect(transport.written.map((b) => toHex(b))).toEqual([toHex(NAK_FRAME), toHex(NAK_FRAME)]);
    expect(link.stats.staleFramesDropped).toBe(1);
    transport.deliver(frame);
    expect(received).toEqual([toHex(SLOT_STATUS)]);
  });

  it('asks for a resend when a partial frame stalls with no further byte', async () => {
    const { transport, link } = setup(true);
    transport.deliver(encodeSerialFrame(SLOT_STATUS).subarray(0, 5));
    await new Promise((r) => setTimeout(r, 150));
    expect(link.stats.staleFramesDropped).toBe(1);
    expect(transport.written.map((b) => toHex(b))).toEqual([toHex(NAK_FRAME)]);
  });

  it('reports the transport going away', async () => {
    const { transport, link } = setup();
    const closed: (Error | undefined)[] = [];
    link.onClose((e) => closed.push(e));
    transport.hangUp(new Error('disconnected'));
    expect(closed.map((e) => e?.message)).toEqual(['disconnected']);
  });
});

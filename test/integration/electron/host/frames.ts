
/** Raw WebSocket frames, well-formed or not, built byte by byte (a client that does not play by RFC 6455). */
export interface FrameSpec {
  fin?: boolean;
  rsv?: number; // 0–7: RSV1..3 bits
  opcode: number;
  masked?: boolean;
  payload?: Buffer;
  /** Length to announce instead of the payload's (a lie: 2^40, 33 MiB…). */
  announcedLength?: number;
}

export type Rand = () => number;

/** `n` bytes from a seeded generator, so a failing run repeats byte for byte with its seed. */
export function bytes(rand: Rand, n: number): Buffer {
  return Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)));
}

export function frame(spec: FrameSpec, rand: Rand): Buffer {
  const payload = spec.payload ?? Buffer.alloc(0);
  const len = spec.announcedLength ?? payload.length;
  const masked = spec.masked ?? true;
  const head: number[] = [((spec.fin ?? true) ? 0x80 : 0) | ((spec.rsv ?? 0) << 4) | (spec.opcode & 0x0f)];
  const maskBit = masked ? 0x80 : 0;
  if (len < 126) head.push(maskBit | len);
  else if (len < 65536) head.push(maskBit | 126, len >> 8, len & 0xff);
  else {
    head.push(maskBit | 127);
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(len));
    head.push(...b);
  }
  if (!masked) return Buffer.concat([Buffer.from(head), payload]);
  const key = bytes(rand, 4);
  const body = Buffer.from(payload.map((byte, i) => byte ^ key[i % 4]!));
  return Buffer.concat([Buffer.from(head), key, body]);
}

const text = (s: string) => Buffer.from(s, 'utf8');
const closePayload = (code: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(code);
  return b;
};

/** The protocol violations of issue #12 and a few more; each must close the connection, never the process. */
export const HOSTILE_FRAMES: Record<string, (rand: Rand) => Buffer> = {
  'length 2^40': (r) => Buffer.concat([frame({ opcode: 2, announcedLength: 2 ** 40 }, r), bytes(r, 64)]),
  'oversized 33 MiB announced': (r) => Buffer.concat([frame({ opcode: 1, announcedLength: 33 * 1024 * 1024 }, r), bytes(r, 256)]),
  'invalid UTF-8': (r) => frame({ opcode: 1, payload: Buffer.from([0x7b, 0xff, 0xfe, 0xc3, 0x28]) }, r),
  RSV1: (r) => frame({ opcode: 1, rsv: 4, payload: text('{"t":"call"}') }, r),
  'RSV2+3': (r) => frame({ opcode: 1, rsv: 3, payload: text('{}') }, r),
  unmasked: (r) => frame({ opcode: 1, masked: false, payload: text('{"t":"call","id":1,"channel":"kiosk:system.status","args":{}}') }, r),
  'reserved opcode 3': (r) => frame({ opcode: 3, payload: text('x') }, r),
  'reserved opcode 0xB': (r) => frame({ opcode: 0xb, payload: text('x') }, r),
  'fragmented ping': (r) => frame({ opcode: 9, fin: false, payload: text('p') }, r),
  'ping longer than 125': (r) => frame({ opcode: 9, payload: Buffer.alloc(200, 1) }, r),
  'continuation without a start': (r) => frame({ opcode: 0, payload: text('orphan') }, r),
  'close with code 999': (r) => frame({ opcode: 8, payload: closePayload(999) }, r),
  'close with 1 byte': (r) => frame({ opcode: 8, payload: Buffer.from([3]) }, r),
  'junk bytes': (r) => bytes(r, 512),
};

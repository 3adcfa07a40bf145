/**
 * Frames of the ID card reader's host interface (idcard-link.md §3):
 *
 *   host → reader:  AA AA AA 96 69 | LEN_H LEN_L | CMD  PARA      | DATA | CHK
 *   reader → host:  AA AA AA 96 69 | LEN_H LEN_L | SW1  SW2  SW3  | DATA | CHK
 *
 * LEN (big-endian) counts every byte after it, CHK included; CHK is the XOR of LEN, the body and DATA (the
 * preamble is not included). Both directions are encoded here, so the driver and the virtual reader share one
 * definition of the wire.
 */
export const PREAMBLE = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69);
/** Preamble + LEN. A whole frame is FRAME_OVERHEAD + LEN bytes. */
export const FRAME_OVERHEAD = 7;
/** Answer LEN limits (§3 receiving rule 2): SW1 SW2 SW3 CHK at least; `30 10` with two fingers at most. */
export const MIN_ANSWER_LEN = 4;
export const MAX_ANSWER_LEN = 2400;

export function xorChecksum(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let x = 0;
  for (let i = from; i < to; i++) x ^= bytes[i] as number;
  return x;
}

/** A frame around `body` (CMD PARA or SW1 SW2 SW3, then DATA): preamble, LEN, body, CHK. */
export function encodeFrame(body: Uint8Array): Uint8Array {
  const len = body.length + 1;
  const out = new Uint8Array(FRAME_OVERHEAD + len);
  out.set(PREAMBLE, 0);
  out[5] = (len >> 8) & 0xff;
  out[6] = len & 0xff;
  out.set(body, 7);
  out[out.length - 1] = xorChecksum(out, 5, out.length - 1);
  return out;
}

/** The 10-byte host frame of a command (no command of §5 carries DATA). */
export function encodeCommand(cmd: number, para: number): Uint8Array {
  return encodeFrame(Uint8Array.of(cmd, para));
}

/** An answer frame, as a reader sends it. */
export function encodeAnswer(sw3: number, data: Uint8Array = new Uint8Array(0), sw1 = 0, sw2 = 0): Uint8Array {
  const body = new Uint8Array(3 + data.length);
  body[0] = sw1;
  body[1] = sw2;
  body[2] = sw3;
  body.set(data, 3);
  return encodeFrame(body);
}

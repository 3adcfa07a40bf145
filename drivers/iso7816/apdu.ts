import { decoded, rejected, type Decoded } from '../decoded.ts';

/** A short command APDU (ISO 7816-4): CLA INS P1 P2 [Lc data] [Le]. Le 256 is written as 00. */
export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data?: Uint8Array;
  /** Expected response length 1..256; undefined when no data is expected. */
  le?: number;
}

export function encodeApdu(apdu: CommandApdu): Uint8Array {
  const data = apdu.data ?? new Uint8Array(0);
  if (data.length > 255) throw new RangeError(`short APDU data of ${data.length} bytes`);
  if (apdu.le !== undefined && (apdu.le < 1 || apdu.le > 256)) throw new RangeError(`Le ${apdu.le}`);
  const out = new Uint8Array(4 + (data.length ? 1 + data.length : 0) + (apdu.le !== undefined ? 1 : 0));
  out[0] = apdu.cla;
  out[1] = apdu.ins;
  out[2] = apdu.p1;
  out[3] = apdu.p2;
  let at = 4;
  if (data.length) {
    out[at++] = data.length;
    out.set(data, at);
    at += data.length;
  }
  if (apdu.le !== undefined) out[at] = apdu.le & 0xff;
  return out;
}

export type ApduCase = 1 | 2 | 3 | 4;

/** A command APDU as a card sees it, with its ISO case. */
export interface ParsedCommand {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  case: ApduCase;
  data: Uint8Array;
  /** Ne: 1..256 for cases 2 and 4, 0 otherwise. */
  le: number;
}

/** Parses a short command APDU (the virtual card's side). Extended APDUs are rejected. */
export function parseCommandApdu(bytes: Uint8Array): Decoded<ParsedCommand> {
  if (bytes.length < 4) return rejected(`command APDU of ${bytes.length} bytes`);
  const [cla, ins, p1, p2] = bytes as unknown as [number, number, number, number];
  if (bytes.length === 4) return decoded({ cla, ins, p1, p2, case: 1, data: new Uint8Array(0), le: 0 });
  const b4 = bytes[4] as number;
  if (bytes.length === 5) return decoded({ cla, ins, p1, p2, case: 2, data: new Uint8Array(0), le: b4 === 0 ? 256 : b4 });
  if (b4 === 0) return rejected('extended APDUs are not supported');
  if (bytes.length === 5 + b4) return decoded({ cla, ins, p1, p2, case: 3, data: bytes.slice(5), le: 0 });
  if (bytes.length === 6 + b4) {
    const le = bytes[5 + b4] as number;
    return decoded({ cla, ins, p1, p2, case: 4, data: bytes.slice(5, 5 + b4), le: le === 0 ? 256 : le });
  }
  return rejected(`Lc ${b4} does not match a command APDU of ${bytes.length} bytes`);
}

export interface ResponseApdu {
  data: Uint8Array;
  sw1: number;
  sw2: number;
  /** SW1 SW2 as one number, e.g. 0x9000. */
  sw: number;
}

export function parseResponseApdu(bytes: Uint8Array): Decoded<ResponseApdu> {
  if (bytes.length < 2) return rejected(`response APDU of ${bytes.length} bytes has no status word`);
  const sw1 = bytes[bytes.length - 2] as number;
  const sw2 = bytes[bytes.length - 1] as number;
  return decoded({ data: bytes.slice(0, bytes.length - 2), sw1, sw2, sw: (sw1 << 8) | sw2 });
}

export function swHex(sw: number): string {
  return sw.toString(16).padStart(4, '0').toUpperCase();
}

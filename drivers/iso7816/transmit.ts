import { concatBytes } from '../../base/bytes.ts';
import { encodeApdu, parseResponseApdu, type CommandApdu, type ResponseApdu } from './apdu.ts';
import { MalformedResponseError } from './status-words.ts';

/** Sends one command APDU and returns the raw response APDU (a CCID XfrBlock on one slot). */
export type ApduSender = (apdu: Uint8Array) => Promise<Uint8Array>;

export interface TransmitOptions {
  /** Follow 61xx with GET RESPONSE (default true). After SELECT SSSE the 61xx only announces the FCI, not needed. */
  fetchResponse?: boolean;
  /** Name used in error messages. */
  label?: string;
}

/** tomkp/smartcard caps its T=0 loop at 32 rounds; a card that keeps asking is broken, not slow. */
export const MAX_T0_ROUNDS = 32;

export const GET_RESPONSE = (le: number): CommandApdu => ({ cla: 0x00, ins: 0xc0, p1: 0x00, p2: 0x00, le: le === 0 ? 256 : le });

/**
 * The host half of T=0 at APDU level (reader-link.md §1: the reader passes 61xx and 6Cxx up): `6C XX` resends
 * the command with Le = XX; `61 XX` issues GET RESPONSE and concatenates, until a final status word.
 * Resolves with whatever final status word the card gives; the caller decides what is acceptable.
 */
export async function transmitApdu(send: ApduSender, apdu: CommandApdu, options: TransmitOptions = {}): Promise<ResponseApdu> {
  const label = options.label ?? `APDU ${apdu.ins.toString(16).padStart(2, '0')}`;
  const fetch = options.fetchResponse ?? true;
  const parts: Uint8Array[] = [];
  let command = apdu;
  for (let round = 0; round < MAX_T0_ROUNDS; round++) {
    const parsed = parseResponseApdu(await send(encodeApdu(command)));
    if (!parsed.ok) throw new MalformedResponseError(label, parsed.reason);
    const r = parsed.value;
    if (r.sw1 === 0x6c && command.le !== undefined) {
      command = { ...command, le: r.sw2 === 0 ? 256 : r.sw2 };
      continue;
    }
    if (r.data.length) parts.push(r.data);
    if (r.sw1 === 0x61 && fetch) {
      command = GET_RESPONSE(r.sw2);
      continue;
    }
    return { data: parts.length === 1 ? (parts[0] as Uint8Array) : concatBytes(...parts), sw1: r.sw1, sw2: r.sw2, sw: r.sw };
  }
  throw new MalformedResponseError(label, `no final status word after ${MAX_T0_ROUNDS} rounds of 61xx/6Cxx`);
}

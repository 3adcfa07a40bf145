import { swHex } from './apdu.ts';

/** What a status word means (ISO 7816-4 §5.1.3 and the 社保卡 usage in sscard.md §3). */
export function describeStatusWord(sw: number): string {
  const sw1 = sw >> 8;
  const sw2 = sw & 0xff;
  if (sw === 0x9000) return 'OK';
  if (sw1 === 0x61) return `${sw2 || 256} more bytes available (GET RESPONSE)`;
  if (sw1 === 0x6c) return `wrong Le, exact length is ${sw2 || 256}`;
  if (sw1 === 0x63 && (sw2 & 0xf0) === 0xc0) return `verification failed, ${sw2 & 0x0f} tries left`;
  const known: Record<number, string> = {
    0x6700: 'wrong length',
    0x6982: 'security status not satisfied',
    0x6983: 'authentication method blocked',
    0x6985: 'conditions of use not satisfied',
    0x6986: 'command not allowed (no current EF)',
    0x6a82: 'file or application not found',
    0x6a83: 'record not found',
    0x6a86: 'incorrect P1-P2',
    0x6b00: 'wrong P1-P2',
    0x6d00: 'instruction not supported',
    0x6e00: 'class not supported',
    0x6f00: 'no precise diagnosis',
  };
  return known[sw] ?? 'unexpected status';
}

/** A card answered with a status word the caller did not accept. */
export class StatusWordError extends Error {
  constructor(
    readonly sw: number,
    readonly command: string,
  ) {
    super(`${command}: card answered ${swHex(sw)} (${describeStatusWord(sw)})`);
    this.name = 'StatusWordError';
  }
}

/** The card answered bytes that are not a response APDU (fewer than 2 bytes). */
export class MalformedResponseError extends Error {
  constructor(
    readonly command: string,
    reason: string,
  ) {
    super(`${command}: ${reason}`);
    this.name = 'MalformedResponseError';
  }
}

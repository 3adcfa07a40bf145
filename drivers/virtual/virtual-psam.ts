import { fromHex } from '../../base/bytes.ts';
import { parseCommandApdu } from '../iso7816/apdu.ts';
import { SW, sw, type VirtualIcc } from './apdu-responses.ts';
import { TEST_MASTER_KEY, psamCryptogram } from './psam-crypto.ts';

/** A PSAM ATR seen on 人社 PSAMs (sscard.md §2.1). */
export const PSAM_ATR = fromHex('3B6D00000081544C0086840807230005C0');

/**
 * The PSAM in slot 1 (reader-link.md §5): `80 FA 00 00 18 <卡识别码 16> <challenge 8>` → `61 10`, then
 * `00 C0 00 00 10` → the cryptogram + 9000. It is a T=0 card, so the answer waits for GET RESPONSE.
 */
export class VirtualPsam implements VirtualIcc {
  readonly atr = PSAM_ATR;
  private pending: Uint8Array | null = null;

  constructor(private readonly masterKey: Uint8Array = TEST_MASTER_KEY) {}

  reset(): void {
    this.pending = null;
  }

  process(bytes: Uint8Array): Uint8Array {
    const parsed = parseCommandApdu(bytes);
    if (!parsed.ok) return sw(SW.WRONG_LENGTH);
    const c = parsed.value;
    if (c.cla === 0x80 && c.ins === 0xfa) {
      if (c.p1 !== 0 || c.p2 !== 0) return sw(SW.WRONG_P1P2);
      if (c.data.length !== 24) return sw(SW.WRONG_LENGTH);
      this.pending = psamCryptogram(this.masterKey, c.data.subarray(0, 16), c.data.subarray(16, 24));
      return sw(0x6100 | this.pending.length);
    }
    if (c.cla === 0x00 && c.ins === 0xc0) {
      if (!this.pending) return sw(SW.CONDITIONS_NOT_SATISFIED);
      if (c.case !== 2 || c.le !== this.pending.length) return sw(0x6c00 | this.pending.length);
      const out = this.pending;
      this.pending = null;
      return sw(SW.OK, out);
    }
    if (c.cla !== 0x00 && c.cla !== 0x80) return sw(SW.CLA_NOT_SUPPORTED);
    return sw(SW.INS_NOT_SUPPORTED);
  }
}

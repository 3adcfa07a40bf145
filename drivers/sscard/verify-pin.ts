import { CcidSlotError } from '../ccid/ccid-errors.ts';
import { SLOT_CARD } from '../ccid/message.ts';
import { swHex } from '../iso7816/apdu.ts';
import { transmitApdu } from '../iso7816/transmit.ts';
import { LinkError } from '../link/message-link.ts';
import type { CardSlots } from './card-slots.ts';
import { SSSE_AID } from './layout.ts';
import { SscardError } from './sscard-errors.ts';

/** The card's own answer to its PIN (sscard.md §1.4): right, wrong with the tries the card says are left, or blocked. */
export type PinCheck = { kind: 'ok' } | { kind: 'wrong'; triesLeft: number } | { kind: 'blocked' };

/** Six digits as packed BCD, two to a byte: "123456" → 12 34 56 (sscard.md §1.4, `0020000003123456`). */
export function packPin(pin: string): Uint8Array {
  if (!/^\d{6}$/.test(pin)) throw new RangeError('the card PIN is six digits');
  const out = new Uint8Array(3);
  for (let i = 0; i < 3; i++) out[i] = (Number(pin[2 * i]) << 4) | Number(pin[2 * i + 1]);
  return out;
}

/**
 * VERIFY of the card PIN in slot 0: power-on, SELECT SSSE, `00 20 00 00 03 <BCD>`, power-off. 9000 is right;
 * 63Cx is wrong with x tries left (63C0: none, the PIN is now blocked); 6983 is blocked already. The card
 * counts the tries, not the host: a terminal restart or another terminal cannot reset them. The PIN is in
 * this one APDU and nowhere else (no log line carries the command's data).
 */
export async function verifyCardPin(slots: CardSlots, pin: string): Promise<PinCheck> {
  const data = packPin(pin);
  let poweredOn = false;
  let failure: unknown = null;
  try {
    await slots.powerOn(SLOT_CARD);
    poweredOn = true;
    const card = (apdu: Uint8Array) => slots.transmit(SLOT_CARD, apdu);
    const select = await transmitApdu(card, { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, data: SSSE_AID }, { fetchResponse: false, label: 'SELECT SSSE' });
    if (select.sw === 0x6a82) throw new SscardError('not-sscard', 'no SSSE application on this card (SELECT answered 6A82)', { sw: select.sw });
    if (select.sw !== 0x9000 && select.sw1 !== 0x61) throw new SscardError('unexpected-status', `SELECT SSSE answered ${swHex(select.sw)}`, { sw: select.sw });
    const r = await transmitApdu(card, { cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x00, data }, { label: 'VERIFY' });
    data.fill(0);
    if (r.sw === 0x9000) return { kind: 'ok' };
    if (r.sw === 0x6983 || r.sw === 0x63c0) return { kind: 'blocked' };
    if ((r.sw & 0xfff0) === 0x63c0) return { kind: 'wrong', triesLeft: r.sw & 0x0f };
    throw new SscardError('unexpected-status', `VERIFY answered ${swHex(r.sw)}`, { sw: r.sw });
  } catch (err) {
    failure = err;
    if (err instanceof CcidSlotError && err.slot === SLOT_CARD && err.cardAbsent) throw new SscardError(poweredOn ? 'card-removed' : 'card-absent', err.message, {}, { cause: err });
    throw err;
  } finally {
    data.fill(0);
    if (!(failure instanceof LinkError)) void slots.powerOff(SLOT_CARD).catch(() => undefined);
  }
}

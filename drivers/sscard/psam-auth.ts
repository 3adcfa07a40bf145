import { concatBytes } from '../../base/bytes.ts';
import { CcidSlotError } from '../ccid/ccid-errors.ts';
import { SLOT_CARD, SLOT_PSAM } from '../ccid/message.ts';
import { swHex } from '../iso7816/apdu.ts';
import { transmitApdu } from '../iso7816/transmit.ts';
import type { CardSlots } from './card-slots.ts';
import { SscardError } from './sscard-errors.ts';

export const CHALLENGE_LENGTH = 8;
export const CRYPTOGRAM_LENGTH = 16;
/** Key id in P2 of EXTERNAL AUTHENTICATE (reader-link.md §5; Z390 traces use 0x0A). */
export const EXTERNAL_AUTH_KEY_ID = 0x0a;

/**
 * Third-generation authentication (reader-link.md §5), in the card's current power session: GET CHALLENGE on
 * the card, the PSAM in slot 1 turns 卡识别码 ‖ challenge into a cryptogram (`80 FA`, answered 61 10 → GET
 * RESPONSE), then EXTERNAL AUTHENTICATE on the card. A challenge is good for one attempt.
 */
export async function authenticateWithPsam(slots: CardSlots, cardSn: Uint8Array): Promise<void> {
  const card = (apdu: Uint8Array) => slots.transmit(SLOT_CARD, apdu);
  const psam = (apdu: Uint8Array) => slots.transmit(SLOT_PSAM, apdu);

  const challenge = await transmitApdu(card, { cla: 0x00, ins: 0x84, p1: 0x00, p2: 0x00, le: CHALLENGE_LENGTH }, { label: 'GET CHALLENGE' });
  if (challenge.sw !== 0x9000 || challenge.data.length !== CHALLENGE_LENGTH)
    throw new SscardError('auth-failed', `GET CHALLENGE answered ${swHex(challenge.sw)} with ${challenge.data.length} bytes`, { sw: challenge.sw });

  try {
    await slots.powerOn(SLOT_PSAM);
  } catch (err) {
    if (err instanceof CcidSlotError) {
      throw new SscardError(err.cardAbsent ? 'no-psam' : 'auth-failed', `PSAM in slot 1 did not power on: ${err.errorName}`, {}, { cause: err });
    }
    throw err;
  }

  let cryptogram: Uint8Array;
  try {
    const r = await transmitApdu(psam, { cla: 0x80, ins: 0xfa, p1: 0x00, p2: 0x00, data: concatBytes(cardSn, challenge.data) }, { label: 'PSAM 80FA' });
    if (r.sw !== 0x9000 || r.data.length !== CRYPTOGRAM_LENGTH) throw new SscardError('auth-failed', `PSAM answered ${swHex(r.sw)} with ${r.data.length} bytes`, { sw: r.sw });
    cryptogram = r.data;
  } catch (err) {
    if (err instanceof CcidSlotError) throw new SscardError(err.cardAbsent ? 'no-psam' : 'auth-failed', `PSAM command failed: ${err.errorName}`, {}, { cause: err });
    throw err;
  }

  const auth = await transmitApdu(card, { cla: 0x00, ins: 0x82, p1: 0x00, p2: EXTERNAL_AUTH_KEY_ID, data: cryptogram }, { label: 'EXTERNAL AUTHENTICATE' });
  if (auth.sw === 0x9000) return;
  if (auth.sw1 === 0x63 && (auth.sw2 & 0xf0) === 0xc0)
    throw new SscardError('auth-failed', `card refused the cryptogram (${auth.sw2 & 0x0f} tries left)`, { sw: auth.sw, triesLeft: auth.sw2 & 0x0f });
  throw new SscardError('auth-failed', `EXTERNAL AUTHENTICATE answered ${swHex(auth.sw)}`, { sw: auth.sw });
}

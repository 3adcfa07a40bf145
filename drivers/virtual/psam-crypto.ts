import { createCipheriv } from 'node:crypto';
import { concatBytes, fromHex } from '../../base/bytes.ts';

/**
 * The virtual PSAM's stand-in algorithm (reader-link.md §5): `K_card = SM4-ECB(K_master, 卡识别码)`,
 * cryptogram = `SM4-ECB(K_card, challenge ‖ 00×8)`. The real 人社 PSAM algorithm is not public; this one has
 * the same shape (a diversified card key that only the PSAM can derive).
 */
export const TEST_MASTER_KEY = fromHex('000102030405060708090A0B0C0D0E0F');

function sm4Ecb(key: Uint8Array, block: Uint8Array): Uint8Array {
  const cipher = createCipheriv('sm4-ecb', key, null);
  cipher.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([cipher.update(block), cipher.final()]));
}

export function diversifiedCardKey(masterKey: Uint8Array, cardSn: Uint8Array): Uint8Array {
  return sm4Ecb(masterKey, cardSn);
}

export function psamCryptogram(masterKey: Uint8Array, cardSn: Uint8Array, challenge: Uint8Array): Uint8Array {
  return sm4Ecb(diversifiedCardKey(masterKey, cardSn), concatBytes(challenge, new Uint8Array(8)));
}

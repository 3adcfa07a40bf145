import { decoded, rejected, type Decoded } from '../decoded.ts';

/** Longest code accepted (contract: `qr-scanned.code` max 4096). */
export const MAX_CODE_LENGTH = 4096;
/** 医保电子凭证 and 电子社保卡 codes are long tokens; anything this short is a stray scan (a drug barcode, an EAN). */
export const MIN_CODE_LENGTH = 16;

/**
 * Checks a scanned 医保电子凭证 / 电子社保卡 code before it goes anywhere. The code itself is opaque: only
 * the platform (EcQuery / 1101 with mdtrt_cert_type 01) can tell a valid token; here we only refuse what
 * cannot be one: empty, too long, too short, control or non-ASCII characters (a scanner in the wrong
 * keyboard layout produces those). Trailing CR/LF from the scanner's suffix is dropped.
 */
export function parseScannedCode(raw: string): Decoded<string> {
  const code = raw.replace(/[\r\n]+$/, '');
  if (code.length === 0) return rejected('empty code');
  if (code.length > MAX_CODE_LENGTH) return rejected(`code of ${code.length} characters`);
  if (code.length < MIN_CODE_LENGTH) return rejected(`code of ${code.length} characters is too short for an e-voucher`);
  if (!/^[\x21-\x7e]+$/.test(code)) return rejected('code contains spaces, control or non-ASCII characters');
  return decoded(code);
}

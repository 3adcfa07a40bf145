import { isValidIdNumber } from '../app/cert-no.ts';

/**
 * What a burst of characters is, by its content (never by how fast it came: a numeric keypad, a practised
 * clerk and a keyboard-style ID card reader are all as fast as a QR scanner):
 * - 'id-number': 17 digits and a valid check character (GB 11643-1999);
 * - 'e-voucher': a 医保电子凭证 ecToken (6-digit 区划 + "ec" + letters and digits, reference/nhsa-interface.md),
 *   or another scanner payload with letters in it (电子社保卡 codes are never digits only);
 * - 'payment-code': a 付款码 shown on the patient's phone (支付宝 16–24 digits from 25–30, 微信 18 digits from
 *   10–15) that is no valid ID number (a payment screen asks isPaymentCode instead: payment-code-reader.ts);
 * - 'other': anything else — digits only (a mistyped ID number among them) are left where they were typed,
 *   for the field's own check to explain.
 */
export type CodeKind = 'id-number' | 'e-voucher' | 'payment-code' | 'other';

const EC_TOKEN = /^\d{6}ec[0-9A-Za-z]{16,64}$/;
const SCANNER_PAYLOAD = /^[\x21-\x7e]{16,4096}$/;

export function kindOfCode(text: string): CodeKind {
  const s = text.trim();
  if (/^\d{17}[\dXx]$/.test(s) && isValidIdNumber(s)) return 'id-number';
  if (isPaymentCode(s)) return 'payment-code';
  if (/^\d*$/.test(s)) return 'other';
  if (EC_TOKEN.test(s)) return 'e-voucher';
  return SCANNER_PAYLOAD.test(s) && /[A-Za-z]/.test(s) ? 'e-voucher' : 'other';
}

/**
 * A 付款码 by its shape alone. One 18-digit 付款码 in eleven also carries a valid ID-number check digit, so
 * kindOfCode (which asks "ID number?" first, for the identify screens) must not be what a payment screen asks.
 */
export function isPaymentCode(text: string): boolean {
  const s = text.trim();
  return /^(2[5-9]|30)\d{14,22}$/.test(s) || /^1[0-5]\d{16}$/.test(s);
}

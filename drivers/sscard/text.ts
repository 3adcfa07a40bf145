import iconv from 'iconv-lite';
import { decoded, rejected, type Decoded } from '../decoded.ts';

/**
 * Text fields of the card. Writers pad with 0x00 (sometimes 0x20 or 0xFF): only trailing padding is trimmed,
 * never bytes inside the value (sscard.md §1.3 pitfall: stripping every 00 breaks GBK names and 'X' in IDs).
 */
export function trimPadding(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x00 || bytes[end - 1] === 0x20 || bytes[end - 1] === 0xff)) end--;
  return bytes.subarray(0, end);
}

/** `an` fields: printable ASCII. */
export function decodeAscii(bytes: Uint8Array): Decoded<string> {
  const value = trimPadding(bytes);
  let s = '';
  for (const b of value) {
    if (b < 0x20 || b > 0x7e) return rejected(`non-printable byte 0x${b.toString(16).padStart(2, '0')} in a text field`);
    s += String.fromCharCode(b);
  }
  return decoded(s);
}

/** GBK names. A byte sequence GBK cannot decode is an error, not a replacement character in a patient's name. */
export function decodeGbk(bytes: Uint8Array): Decoded<string> {
  const value = trimPadding(bytes);
  const s = iconv.decode(Buffer.from(value), 'gbk');
  if (s.includes('\uFFFD')) return rejected('invalid GBK bytes in a name');
  if (/[\u0000-\u001f\u007f]/.test(s)) return rejected('control character in a name');
  return decoded(s);
}

export function encodeGbk(text: string): Uint8Array {
  return new Uint8Array(iconv.encode(text, 'gbk'));
}

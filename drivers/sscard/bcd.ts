import { decoded, rejected, type Decoded } from '../decoded.ts';

/**
 * Packed BCD (cn): two digits per byte, high nibble first. Trailing F nibbles are padding and dropped; any
 * other nibble above 9 is an error.
 */
export function decodeBcd(bytes: Uint8Array): Decoded<string> {
  let digits = '';
  let padding = false;
  for (const b of bytes) {
    for (const nibble of [b >> 4, b & 0x0f]) {
      if (nibble === 0x0f) {
        padding = true;
        continue;
      }
      if (padding || nibble > 9) return rejected(`not BCD: byte 0x${b.toString(16).padStart(2, '0')}`);
      digits += String(nibble);
    }
  }
  return decoded(digits);
}

export function encodeBcd(digits: string): Uint8Array {
  if (!/^\d*$/.test(digits)) throw new RangeError(`not digits: ${digits}`);
  const padded = digits.length % 2 ? `${digits}F` : digits;
  const out = new Uint8Array(padded.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(padded.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** BCD YYYYMMDD → `YYYY-MM-DD`, rejecting impossible dates. */
export function decodeBcdDate(bytes: Uint8Array): Decoded<string> {
  if (bytes.length !== 4) return rejected(`date of ${bytes.length} bytes`);
  const digits = decodeBcd(bytes);
  if (!digits.ok) return digits;
  if (digits.value.length !== 8) return rejected(`date with ${digits.value.length} digits`);
  const y = Number(digits.value.slice(0, 4));
  const m = Number(digits.value.slice(4, 6));
  const d = Number(digits.value.slice(6, 8));
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days) return rejected(`impossible date ${digits.value}`);
  return decoded(`${digits.value.slice(0, 4)}-${digits.value.slice(4, 6)}-${digits.value.slice(6, 8)}`);
}

/** `YYYY-MM-DD` → 4 BCD bytes. */
export function encodeBcdDate(date: string): Uint8Array {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return encodeBcd(date.replaceAll('-', ''));
}

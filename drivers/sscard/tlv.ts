import { decoded, rejected, type Decoded } from '../decoded.ts';

/**
 * One record of EF05/EF06: `tag(1) len(1) value`. Returns the value when the tag is the expected one and the
 * announced length fits in the record; trailing bytes after the value are ignored (padding on some cards).
 */
export function decodeTlvRecord(record: Uint8Array, expectedTag: number): Decoded<Uint8Array> {
  if (record.length < 2) return rejected(`record of ${record.length} bytes`);
  const tag = record[0] as number;
  if (tag !== expectedTag) return rejected(`tag 0x${tag.toString(16).padStart(2, '0')} where 0x${expectedTag.toString(16).padStart(2, '0')} was expected`);
  const length = record[1] as number;
  if (2 + length > record.length) return rejected(`tag 0x${tag.toString(16)} announces ${length} bytes, ${record.length - 2} present`);
  return decoded(record.slice(2, 2 + length));
}

/** Builds a record (the virtual card's side). */
export function encodeTlvRecord(tag: number, value: Uint8Array): Uint8Array {
  if (value.length > 255) throw new RangeError(`TLV value of ${value.length} bytes`);
  const out = new Uint8Array(2 + value.length);
  out[0] = tag;
  out[1] = value.length;
  out.set(value, 2);
  return out;
}

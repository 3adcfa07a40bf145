/** Small byte helpers shared by every layer (drivers, their virtual devices, the store). Uint8Array everywhere; Buffer only at Node I/O edges. */

export function toHex(bytes: Uint8Array, separator = ''): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    if (i > 0 && separator) s += separator;
    s += (bytes[i] as number).toString(16).padStart(2, '0').toUpperCase();
  }
  return s;
}

/** Parses hex, ignoring spaces; throws on odd length or a non-hex digit (fixtures and tests only). */
export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) throw new Error(`not a hex string: "${hex}"`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function readUint32LE(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] ?? 0) | ((bytes[offset + 1] ?? 0) << 8) | ((bytes[offset + 2] ?? 0) << 16)) + (bytes[offset + 3] ?? 0) * 0x1000000;
}

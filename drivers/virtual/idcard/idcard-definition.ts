import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * A card of the virtual ID card reader: the 256 text bytes and 1024 photo bytes its `30 01` returns
 * (idcard-link.md §7, §9), built from a readable spec. Cards are fictional. Fields are UCS-2LE, left-aligned,
 * padded with U+0020 (or U+0000 with `padding: "nul"`, as one test card is); the photo is `WL` and bytes
 * derived from the card id, so a test can compare it byte for byte.
 */
export const IdCardSpec = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  label: z.string(),
  cardType: z.enum(['resident', 'foreigner', 'hmt']),
  /** Overrides the type flag (e.g. "Y", a kind the driver must refuse). */
  flag: z.string().length(1).optional(),
  name: z.string(),
  englishName: z.string().optional(),
  sex: z.string().length(1),
  nation: z.string().optional(),
  /** YYYYMMDD */
  birthDate: z.string(),
  address: z.string().optional(),
  idNumber: z.string(),
  issuer: z.string().optional(),
  validFrom: z.string(),
  /** YYYYMMDD or 长期 */
  validTo: z.string(),
  nationality: z.string().optional(),
  cardVersion: z.string().optional(),
  issuerCode: z.string().optional(),
  passNumber: z.string().optional(),
  issueCount: z.string().optional(),
  /** 追加住址 (`30 03`), when the police appended one. */
  newAddress: z.string().optional(),
  padding: z.enum(['space', 'nul']).optional(),
});
export type IdCardSpec = z.infer<typeof IdCardSpec>;

export interface IdCardDefinition {
  id: string;
  label: string;
  spec: IdCardSpec;
  text: Uint8Array;
  photo: Uint8Array;
  /** 70 bytes, or null (`30 03` answers 91). */
  newAddress: Uint8Array | null;
}

export const TEXT_BYTES = 256;
export const PHOTO_BYTES = 1024;
export const NEW_ADDRESS_BYTES = 70;

export function buildIdCardDefinition(spec: IdCardSpec): IdCardDefinition {
  const pad = spec.padding === 'nul' ? 0x0000 : 0x0020;
  const text = new Uint8Array(TEXT_BYTES);
  fill(text, 0, TEXT_BYTES, pad);
  const put = (offset: number, bytes: number, value: string | undefined) => writeField(text, offset, bytes, value ?? '', pad, spec.id);
  if (spec.cardType === 'foreigner') {
    put(0, 120, spec.englishName);
    put(120, 2, spec.sex);
    put(122, 30, spec.idNumber);
    put(152, 6, spec.nationality);
    put(158, 30, spec.name);
    put(188, 16, spec.validFrom);
    put(204, 16, spec.validTo);
    put(220, 16, spec.birthDate);
    put(236, 4, spec.cardVersion);
    put(240, 8, spec.issuerCode);
    put(248, 2, 'I');
  } else {
    put(0, 30, spec.name);
    put(30, 2, spec.sex);
    put(32, 4, spec.cardType === 'resident' ? spec.nation : '');
    put(36, 16, spec.birthDate);
    put(52, 70, spec.address);
    put(122, 36, spec.idNumber);
    put(158, 30, spec.issuer);
    put(188, 16, spec.validFrom);
    put(204, 16, spec.validTo);
    if (spec.cardType === 'hmt') {
      put(220, 18, spec.passNumber);
      put(238, 4, spec.issueCount);
      put(248, 2, 'J');
    }
  }
  if (spec.flag !== undefined) put(248, 2, spec.flag);
  let newAddress: Uint8Array | null = null;
  if (spec.newAddress !== undefined) {
    newAddress = new Uint8Array(NEW_ADDRESS_BYTES);
    fill(newAddress, 0, NEW_ADDRESS_BYTES, pad);
    writeField(newAddress, 0, NEW_ADDRESS_BYTES, spec.newAddress, pad, spec.id);
  }
  return { id: spec.id, label: spec.label, spec, text, photo: photoOf(spec.id), newAddress };
}

function fill(bytes: Uint8Array, offset: number, length: number, unit: number): void {
  for (let i = offset; i < offset + length; i += 2) {
    bytes[i] = unit & 0xff;
    bytes[i + 1] = unit >> 8;
  }
}

function writeField(bytes: Uint8Array, offset: number, length: number, value: string, pad: number, id: string): void {
  if (value.length * 2 > length) throw new Error(`ID card ${id}: "${value}" does not fit in ${length} bytes`);
  fill(bytes, offset, length, pad);
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    bytes[offset + 2 * i] = unit & 0xff;
    bytes[offset + 2 * i + 1] = unit >> 8;
  }
}

/** `WL` then bytes from a hash chain of the card id: not a picture, but stable and unique per card (§9). */
export function photoOf(id: string): Uint8Array {
  const photo = new Uint8Array(PHOTO_BYTES);
  let block = createHash('sha256').update(`wlt:${id}`).digest();
  for (let at = 0; at < PHOTO_BYTES; at += block.length) {
    photo.set(block.subarray(0, Math.min(block.length, PHOTO_BYTES - at)), at);
    block = createHash('sha256').update(block).digest();
  }
  photo[0] = 0x57; // W
  photo[1] = 0x4c; // L
  return photo;
}

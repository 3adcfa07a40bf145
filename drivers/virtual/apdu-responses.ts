/** Status words the virtual cards answer with (ISO 7816-4). */
export const SW = {
  OK: 0x9000,
  WRONG_LENGTH: 0x6700,
  SECURITY_NOT_SATISFIED: 0x6982,
  AUTH_BLOCKED: 0x6983,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  NO_CURRENT_EF: 0x6986,
  FILE_NOT_FOUND: 0x6a82,
  RECORD_NOT_FOUND: 0x6a83,
  WRONG_P1P2: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
} as const;

export function sw(value: number, data?: Uint8Array): Uint8Array {
  const out = new Uint8Array((data?.length ?? 0) + 2);
  if (data) out.set(data);
  out[out.length - 2] = value >> 8;
  out[out.length - 1] = value & 0xff;
  return out;
}

/** Statuses a card gives right after the 5-byte header, before taking command data (no procedure byte). */
export function refusedAtHeader(status: number): boolean {
  return status === SW.INS_NOT_SUPPORTED || status === SW.CLA_NOT_SUPPORTED || status === SW.WRONG_LENGTH || status === SW.WRONG_P1P2;
}

/** Something that answers APDUs: a 社保卡 or the PSAM. */
export interface VirtualIcc {
  readonly atr: Uint8Array;
  /** Cold reset: session state back to its power-on values. */
  reset(): void;
  process(apdu: Uint8Array): Uint8Array;
}

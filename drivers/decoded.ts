/**
 * What every decoder of untrusted bytes returns: a value or a reason, never an exception. Frames from a
 * reader, ATRs, APDU responses and card records all come from outside the process; a decoder that throws on
 * them would turn line noise into a crash.
 */
export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

export function decoded<T>(value: T): Decoded<T> {
  return { ok: true, value };
}

export function rejected<T = never>(reason: string): Decoded<T> {
  return { ok: false, reason };
}

import type { z } from 'zod';

/**
 * One national transaction's two halves, in one place: how its `input` node is encoded for the wire and how
 * its `output` node is read. Every path uses the same codec: the live call (`client.call`), the outbox
 * (services enqueue `codec.encode(...)`; the relay's port checks answers with `codec.output`) and the relay's
 * write-back (services/sync/write-back.ts decodes the stored answer with it). Modelled on vxsuite's
 * custom-paper-handler `coders.ts`: a message is described once, never rebuilt by hand elsewhere.
 */
export interface Codec<I, S extends z.ZodType> {
  readonly infno: string;
  /** The `input` node, national field names, yuan strings (placeholders, if any, pass through untouched). */
  encode(input: I): Record<string, unknown>;
  /** Reads the untrusted `output` node (zod: amounts to fen, absent to null). */
  readonly output: S;
}

export function codec<I, S extends z.ZodType>(infno: string, output: S, encode: (input: I) => Record<string, unknown>): Codec<I, S> {
  return { infno, output, encode };
}

/** The input type of a codec. */
export type CodecInput<C> = C extends Codec<infer I, z.ZodType> ? I : never;
/** The decoded output of a codec. */
export type CodecOutput<C> = C extends Codec<unknown, infer S> ? z.output<S> : never;

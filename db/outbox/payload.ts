import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * How an outbox payload (an item's input, its answer) is kept in its row: JSON text, deflated once it is big
 * enough to gain from it.
 *
 * Why: a 2301 batch's input is ≈ 20 KB of JSON and its answer ≈ 18 KB, and they deflate ≈ 25× (zlib level 1:
 * 20,875 → 799 bytes in about 0.05 ms). Every byte of a row is encrypted and written to the WAL at its commit
 * (synchronous=FULL waits for all of it), read and decrypted again at the claim, and copied once more by the
 * checkpoint. Deflated, a 2301 batch's payload is one page instead of about twenty.
 *
 * The value in the column says which it is: a TEXT value is the JSON itself (every row written before this, and
 * small payloads), a BLOB is the JSON deflated (raw deflate, UTF-8). No migration: SQLite keeps a BLOB as it is in
 * a TEXT column, and a reader takes either. The compression is before the store's page encryption, which is
 * unchanged.
 */
export type StoredPayload = string | Buffer;

/**
 * Payloads shorter than this stay text. A deflate or an inflate costs ≈ 30 µs whatever the size (zlib's set-up),
 * about what writing and reading back a few pages costs: below ≈ 4 KB (a 2401, a 2304, a fee batch of a few
 * lines) it would cost more CPU than the pages it saves; a batch of 50 lines (≈ 14-20 KB) saves ≈ 15-20 pages.
 */
export const DEFLATE_FROM_CHARS = 4_096;

/** The column value for a payload's JSON text. */
export function packPayload(json: string): StoredPayload {
  return json.length < DEFLATE_FROM_CHARS ? json : deflateRawSync(json, { level: 1 });
}

/** The JSON text a column value holds. */
export function unpackPayload(stored: StoredPayload): string {
  return typeof stored === 'string' ? stored : inflateRawSync(stored).toString('utf8');
}

/**
 * The frames of a SQLite WAL file, read from its bytes (https://sqlite.org/fileformat.html#wal_file_format): a
 * 32-byte header, then per frame a 24-byte header (page number, database size after a commit or 0, the two
 * salts, the checksums) and the page. Used by tests and benches that look at what the store wrote, outside SQLite.
 */
export interface WalFrame {
  pgno: number;
  /** Nonzero on the last frame of a transaction (its commit frame). */
  commitSize: number;
  /** The frame carries the header's salts: false for a frame left from before the WAL was restarted. */
  current: boolean;
  page: Buffer;
}

export function* walFrames(wal: Buffer, pageSize: number): Generator<WalFrame> {
  const salts = wal.subarray(16, 24);
  for (let off = 32; off + 24 + pageSize <= wal.length; off += 24 + pageSize) {
    yield {
      pgno: wal.readUInt32BE(off),
      commitSize: wal.readUInt32BE(off + 4),
      current: wal.subarray(off + 8, off + 16).equals(salts),
      page: wal.subarray(off + 24, off + 24 + pageSize),
    };
  }
}

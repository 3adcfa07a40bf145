import { createDecipheriv } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { STORE_CIPHER } from '../../../db/encryption.ts';
import { walFrames } from './wal-frames.ts';

/**
 * Every page of an encrypted store and of its WAL, decrypted outside SQLite, in the SQLCipher 4 layout the store
 * uses (db/encryption.ts): AES-256-CBC under the raw key, each page's IV at the start of its reserved tail (IV
 * 16 bytes + HMAC-SHA512 64 bytes), page 1 beginning with the file's 16-byte salt. Reading the raw bytes, not
 * rows, shows what a copy of the file holds for anyone with the key: free pages, stale copies left by page
 * splits and superseded WAL frames included.
 */
const RESERVE = 16 + 64;

export function decryptedPages(path: string, key: Buffer, pageSize = STORE_CIPHER.pageSize): Buffer[] {
  const pages: Buffer[] = [];
  const file = readFileSync(path);
  for (let off = 0; off + pageSize <= file.length; off += pageSize) pages.push(decryptPage(file.subarray(off, off + pageSize), off / pageSize + 1, key));
  const walPath = `${path}-wal`;
  if (existsSync(walPath)) {
    const wal = readFileSync(walPath);
    for (const frame of walFrames(wal, pageSize)) pages.push(decryptPage(frame.page, frame.pgno, key));
  }
  return pages;
}

function decryptPage(page: Buffer, pgno: number, key: Buffer): Buffer {
  const start = pgno === 1 ? 16 : 0;
  const end = page.length - RESERVE;
  const decipher = createDecipheriv('aes-256-cbc', key, page.subarray(end, end + 16)).setAutoPadding(false);
  return Buffer.concat([decipher.update(page.subarray(start, end)), decipher.final()]);
}

/** Whether any decrypted page of the store or its WAL holds `text` (UTF-8). */
export function storeBytesContain(path: string, key: Buffer, text: string): boolean {
  const needle = Buffer.from(text, 'utf8');
  return decryptedPages(path, key).some((p) => p.includes(needle));
}

import { afterEach, describe, expect, it } from 'vitest';
import { closeSync, existsSync, openSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { KioskError } from '../../../contract/errors.ts';
import { markerPathOf } from '../../../db/integrity.ts';
import { openStore } from '../../../db/store.ts';
import { seeded } from '../sync/processes.ts';
import { HOSPITAL, queueStay, tempDir } from '../sync/helpers.ts';

// A real store file with work in it (stays queued offline, their outbox rows and audit), then the file is
// emptied, removed, zeroed, truncated or has one page overwritten, as a failing disk or a careless copy would.
const STAYS = 40;
let cleanup = () => undefined as void;
afterEach(() => cleanup());

function storeWithWork(): string {
  const t = tempDir('kiosk-integrity-');
  cleanup = t.cleanup;
  const path = join(t.dir, 'kiosk.sqlite');
  const store = openStore(path, { fixmedinsCode: HOSPITAL });
  for (let i = 0; i < STAYS; i++) queueStay(store, { psnNo: `P${i}`, feeBatches: 2, linesPerBatch: 5 });
  store.close(); // checkpoints the WAL into the file
  return path;
}

function openError(path: string): KioskError {
  try {
    openStore(path, { fixmedinsCode: HOSPITAL }).close();
  } catch (err) {
    expect(err).toBeInstanceOf(KioskError);
    return err as KioskError;
  }
  throw new Error('the store opened');
}

describe('store integrity at open', () => {
  it('a new store writes its marker; the same store opens again with a clean quick_check', () => {
    const path = storeWithWork();
    expect(existsSync(markerPathOf(path))).toBe(true);
    const store = openStore(path, { fixmedinsCode: HOSPITAL });
    try {
      expect(store.integrity).toMatchObject({ ok: true, problems: [] });
      expect(store.integrity!.bytes).toBe(statSync(path).size);
      expect(store.db.prepare('SELECT count(*) AS n FROM admissions').get()).toEqual({ n: STAYS });
    } finally {
      store.close();
    }
  });

  it('an emptied (0-byte) file is refused as STORE_MISSING, not started as a new empty store', () => {
    const path = storeWithWork();
    truncateSync(path, 0);
    const err = openError(path);
    expect(err.code).toBe('STORE_MISSING');
    expect(err.message).toContain('0 字节');
    expect(err.guidance.join('\n')).toContain('kiosk store restore');
    expect(statSync(path).size).toBe(0); // nothing was written into it
  });

  it('a removed file is refused as STORE_MISSING, and nothing is created in its place', () => {
    const path = storeWithWork();
    rmSync(path);
    expect(openError(path).code).toBe('STORE_MISSING');
    expect(existsSync(path)).toBe(false);
  });

  it('without the marker (a real new install) a missing file is a new store', () => {
    const path = storeWithWork();
    rmSync(path);
    rmSync(markerPathOf(path));
    const store = openStore(path, { fixmedinsCode: HOSPITAL });
    expect(store.db.prepare('SELECT count(*) AS n FROM admissions').get()).toEqual({ n: 0 });
    store.close();
  });

  it('a zeroed file is refused as STORE_CORRUPT with the cause', () => {
    const path = storeWithWork();
    writeFileSync(path, Buffer.alloc(statSync(path).size));
    const err = openError(path);
    expect(err.code).toBe('STORE_CORRUPT');
    expect(err.guidance.join('\n')).toContain('kiosk store restore');
    expect(err.cause).toBeDefined();
  });

  it('a truncated file is refused as STORE_CORRUPT', () => {
    const path = storeWithWork();
    truncateSync(path, Math.floor(statSync(path).size / 2 / 4096) * 4096);
    expect(openError(path).code).toBe('STORE_CORRUPT');
  });

  it('one overwritten page in the middle is found by quick_check at open (STORE_CORRUPT, findings as the cause)', () => {
    const path = storeWithWork();
    const pages = statSync(path).size / 4096;
    expect(pages).toBeGreaterThan(8);
    const rand = seeded(12);
    const fd = openSync(path, 'r+');
    const garbage = Buffer.from(Array.from({ length: 4096 }, () => Math.floor(rand() * 256)));
    writeSync(fd, garbage, 0, 4096, Math.floor(pages / 2) * 4096);
    closeSync(fd);
    const err = openError(path);
    expect(err.code).toBe('STORE_CORRUPT');
    expect(String((err.cause as Error).message)).toMatch(/quick_check|malformed/);
    expect(readFileSync(path).subarray(Math.floor(pages / 2) * 4096, Math.floor(pages / 2) * 4096 + 4096)).toEqual(garbage); // never written to
  });
});

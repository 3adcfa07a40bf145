import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { purgeSpooledDocuments } from '../../../../services/documents/spool-retention.ts';

describe('spooled documents retention (issue 15: PDFs with full names were never purged)', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('removes PDFs older than the period, keeps newer ones and other files', () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-spool-'));
    const now = new Date('2026-11-20T12:00:00Z');
    const day = 86_400_000;
    const old = join(dir, '20261110-settlement-1.pdf');
    const fresh = join(dir, '20261119-settlement-2.pdf');
    const other = join(dir, 'README.txt');
    for (const f of [old, fresh, other]) writeFileSync(f, 'x');
    utimesSync(old, new Date(now.getTime() - 10 * day), new Date(now.getTime() - 10 * day));
    utimesSync(fresh, new Date(now.getTime() - day), new Date(now.getTime() - day));
    utimesSync(other, new Date(now.getTime() - 30 * day), new Date(now.getTime() - 30 * day));
    expect(purgeSpooledDocuments(dir, { now, maxAgeMs: 7 * day })).toBe(1);
    expect([existsSync(old), existsSync(fresh), existsSync(other)]).toEqual([false, true, true]);
  });

  it('a missing spool folder is nothing to purge', () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-spool-'));
    expect(purgeSpooledDocuments(join(dir, 'absent'), { now: new Date(), maxAgeMs: 1 })).toBe(0);
  });
});

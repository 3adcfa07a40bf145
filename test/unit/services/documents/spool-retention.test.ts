import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { purgeSpooledDocuments, purgeSpooledDocumentsOf, spoolFileName } from '../../../../services/documents/spool-retention.ts';

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

  it('a person’s purge removes the documents of their stays and settlements, by the name the spool gave them', () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-spool-'));
    const name = (kind: string, ref: { settlementId?: string; admissionId?: string; dayEnd?: { from: string } }) => spoolFileName('20261207093000', { kind, ...ref });
    const theirs = [name('settlement-sheet', { settlementId: '7', admissionId: 'ZY2026000003' }), name('fee-list', { admissionId: 'ZY2026000003' }), name('deposit-receipt', { admissionId: 'ZY2026000003' })];
    const others = [name('settlement-sheet', { settlementId: '17' }), name('admission-slip', { admissionId: 'ZY2026000013' }), name('day-end-report', { dayEnd: { from: '2026-12-07' } })];
    for (const f of [...theirs, ...others]) writeFileSync(join(dir, f), 'x');
    expect(purgeSpooledDocumentsOf(dir, { iptNos: ['ZY2026000003'], settlementIds: ['7'] })).toBe(3);
    expect(others.every((f) => existsSync(join(dir, f)))).toBe(true);
    expect(theirs.some((f) => existsSync(join(dir, f)))).toBe(false);
  });

  it('a missing spool folder is nothing to purge', () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-spool-'));
    expect(purgeSpooledDocuments(join(dir, 'absent'), { now: new Date(), maxAgeMs: 1 })).toBe(0);
  });
});

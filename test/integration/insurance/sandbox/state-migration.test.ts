import Database from 'better-sqlite3-multiple-ciphers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openStateDatabase } from '../../../../insurance/sandbox/state/database.ts';
import { MIGRATIONS } from '../../../../insurance/sandbox/state/schema.ts';

// A state file written by an older sandbox opens in a newer one: forward-only migrations, data kept.

const dir = mkdtempSync(join(tmpdir(), 'sandbox-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('schema 1 → current: fee lines get their split columns from the stored result', () => {
  const file = join(dir, 'old.sqlite');
  const old = new Database(file);
  old.exec(MIGRATIONS[0]!);
  old.pragma('user_version = 1');
  const split = { fulamtOwnpayFen: 0, overlmtSelfpayFen: 6000, preselfpayFen: 3600, inscpFen: 20400, selfpayPropE4: 1500, ceilingFen: 24000, chrgitmLv: '02' };
  old
    .prepare(
      `INSERT INTO fee_lines (mdtrt_id, feedetl_sn, seq, status, content_hash, amount_fen, cnt_e4, init_feedetl_sn, med_list_codg, line, result, msgid)
       VALUES ('M1', 'L1', 1, 'active', 'h', 30000, '10000', NULL, 'X', '{}', ?, 'MSG')`,
    )
    .run(JSON.stringify({ split, row: {} }));
  old.close();

  const db = openStateDatabase(file);
  expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  expect(db.prepare('SELECT fulamt_fen, overlmt_fen, preselfpay_fen, inscp_fen FROM fee_lines').get()).toEqual({
    fulamt_fen: 0,
    overlmt_fen: 6000,
    preselfpay_fen: 3600,
    inscp_fen: 20400,
  });
  expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
  expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
  db.close();
});

it('refuses a state file from a newer sandbox', () => {
  const file = join(dir, 'new.sqlite');
  const db = new Database(file);
  db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
  db.close();
  expect(() => openStateDatabase(file)).toThrow(/newer than this sandbox/);
});

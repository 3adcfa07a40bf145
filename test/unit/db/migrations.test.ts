import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type SqliteDatabase } from '../../../db/connection.ts';
import { migrate, schemaVersion, latestVersion } from '../../../db/migrate.ts';
import { migrations } from '../../../db/migrations/index.ts';
import { openStore } from '../../../db/store.ts';
import { AuditLog } from '../../../db/audit/audit-log.ts';
import { HOSPITAL } from './helpers.ts';

/**
 * Every released schema version must migrate to the latest with its data intact. For each version k we build a
 * file with the migrations as they were (the first k files), put rows in every table that version has, migrate
 * to the latest, and check the rows, and that the schema is exactly the one a fresh install gets.
 */
const T = Date.parse('2026-03-02T01:00:00Z');

/** Rows written into a database at version v (after migration v ran). */
const seeds: Record<number, (db: SqliteDatabase) => void> = {
  1: (db) => {
    db.prepare("INSERT INTO operators VALUES ('1001', '王护士', ?)").run(T);
    db.prepare("INSERT INTO sign_ins VALUES ('1001', '2026-03-02', 'SN359754', '2026-03-02 09:00:00', NULL, ?)").run(T);
    db.prepare("INSERT INTO persons VALUES ('P001', '01', '320200197503141014', '张三', '320200', '{\"baseinfo\":{\"psn_no\":\"P001\"}}', ?)").run(T);
    db.prepare("INSERT INTO cards_seen (card_no, card_sn, certno, psn_name, region_code, generation, expiry_date, psn_no, seen_at) VALUES ('C0001', 'SN1', '320200197503141014', '张三', '320200', 3, '2030-01-01', 'P001', ?)").run(T);
    db.prepare("INSERT INTO eligibility_snapshots VALUES ('chk-1', 'P001', '03', 'C0001', '310', 'normal', '{\"direct\":true}', ?)").run(T);
    db.prepare("INSERT INTO local_numbers VALUES ('ZY', 2026, 7)").run();
    db.prepare(
      `INSERT INTO admissions VALUES ('ZY2026000007', 'P001', '310', '320200', 'chk-1', 'MD001', 'admitted', '21', 'normal', 'A03', '心血管内科',
        '5病区', '12', 'D001', '李医生', 'I10.x00', '原发性高血压', '2026-03-02 09:00:00', NULL, 1, ?, ?)`,
    ).run(T, T);
    db.prepare(
      `INSERT INTO fee_lines (ipt_no, feedetl_sn, med_list_codg, medins_list_codg, name, chrgitm_type, chrgitm_lv, cnt, pric_fen, det_item_fee_sumamt_fen, fee_ocur_time, state, created_at, updated_at)
       VALUES ('ZY2026000007', 'F0001', 'X001', 'H001', '床位费', '01', '01', '2.5', 3000, 7500, '2026-03-02 10:00:00', 'uploaded', ?, ?)`,
    ).run(T, T);
    db.prepare("INSERT INTO deposits (ipt_no, kind, amount_fen, method, receipt_no, opter_no, received_at) VALUES ('ZY2026000007', 'deposit', 200000, 'cash', 'R001', '1001', ?)").run(T);
    db.prepare(
      "INSERT INTO settlements (ipt_no, mdtrt_id, psn_no, insutype, msgid, setl_id, status, medfee_sumamt_fen, hifp_pay_fen, psn_cash_pay_fen, created_at, updated_at) VALUES ('ZY2026000007', 'MD001', 'P001', '310', ?, 'S001', 'settled', 7500, 5000, 2500, ?, ?)",
    ).run(`${HOSPITAL}202603020900000000`, T, T);
    db.prepare("INSERT INTO refunds (ipt_no, settlement_id, reason, amount_fen, method, receipt_no, opter_no, refunded_at) VALUES ('ZY2026000007', 1, 'settlement', 197500, 'cash', 'RF001', '1001', ?)").run(T);
  },
  2: (db) => {
    db.prepare('INSERT INTO msgid_sequence VALUES (?, ?, ?)').run(HOSPITAL, '20260302090000', 41);
  },
  3: (db) => {
    db.prepare(
      `INSERT INTO outbox (visit_key, infno, input_json, msgid, psn_no, state, next_attempt_at, created_at, updated_at)
       VALUES ('ZY2026000007', '2402', '{"dscginfo":{"mdtrt_id":"{{mdtrt_id}}"}}', ?, 'P001', 'pending', ?, ?, ?)`,
    ).run(`${HOSPITAL}202603020900000041`, T, T, T);
    db.prepare("INSERT INTO outbox_attempts (outbox_id, infno, msgid, started_at, finished_at, outcome, detail) VALUES (1, '2402', ?, ?, ?, 'offline', 'ECONNREFUSED')").run(
      `${HOSPITAL}202603020900000041`,
      T,
      T + 5,
    );
  },
  4: (db) => {
    const audit = new AuditLog(db);
    db.transaction(() => {
      audit.append({ db, now: new Date(T) }, { actor: 'opter:1001', action: 'outbox.retry', subject: 'outbox:1', detail: { note: '迁移前' } });
      audit.append({ db, now: new Date(T + 1000) }, { actor: 'relay', action: 'outbox.dead-letter', subject: 'outbox:1' });
    })();
  },
  6: (db) => {
    // An index only: a second item whose due time the index must answer.
    db.prepare(
      `INSERT INTO outbox (visit_key, infno, input_json, msgid, state, next_attempt_at, created_at, updated_at)
       VALUES ('ZY2026000009', '2401', '{}', ?, 'pending', ?, ?, ?)`,
    ).run(`${HOSPITAL}202603020900000099`, T - 5_000, T, T);
  },
  7: (db) => {
    // An item the relay stopped reversing after its cap, waiting for a person.
    db.prepare(
      `INSERT INTO outbox (visit_key, infno, input_json, msgid, state, dead_reason, reversals, last_error, next_attempt_at, created_at, updated_at)
       VALUES ('ZY2026000011', '2401', '{}', ?, 'dead', 'reversal-cap', 5, '冲正次数已达上限', ?, ?, ?)`,
    ).run(`${HOSPITAL}202603020900000111`, T, T, T);
    // A done item with its answer, and a later one purged since (AUTOINCREMENT's counter stays at 5).
    db.prepare(
      `INSERT INTO outbox (visit_key, infno, input_json, msgid, psn_no, envelope_json, state, attempts, output_json, next_attempt_at, created_at, updated_at, done_at)
       VALUES ('ZY2026000007', '2301', '{"feedetail":[{"feedetl_sn":"F0001"}]}', ?, 'P001', '{"opter":"1001"}', 'done', 1, '{"result":[{"feedetl_sn":"F0001"}]}', ?, ?, ?, ?)`,
    ).run(`${HOSPITAL}202603020900000112`, T, T, T, T);
    db.prepare(
      `INSERT INTO outbox (visit_key, infno, input_json, msgid, state, next_attempt_at, created_at, updated_at, done_at) VALUES ('ZY2026000007', '2302', '{}', ?, 'done', ?, ?, ?, ?)`,
    ).run(`${HOSPITAL}202603020900000113`, T, T, T, T);
    db.prepare('DELETE FROM outbox WHERE id = 5').run();
    // Those msgids came from the sequence, which recorded the last of them in its row.
    db.prepare('UPDATE msgid_sequence SET counter = 113').run();
  },
  9: (db) => {
    db.prepare(
      `INSERT INTO payment_orders (out_trade_no, channel, scene, purpose, ipt_no, amount_fen, subject, state, opter_no, terminal_id, expires_at, created_at, updated_at)
       VALUES ('H3202000000120260302090000A1', 'alipay', 'qr', 'deposit', 'ZY2026000007', 300000, '住院预交金', 'awaiting', 'ZZJ01', 'KIOSK01', ?, ?, ?)`,
    ).run(T + 300_000, T, T);
  },
  10: (db) => {
    // A balance collected in cash at the counter toward settlement 1 (the order and its deposit row).
    db.prepare(
      `INSERT INTO payment_orders (out_trade_no, channel, scene, purpose, ipt_no, amount_fen, subject, state, opter_no, terminal_id, expires_at, created_at, updated_at, settlement_id, tendered_fen)
       VALUES ('BJ-ZY2026000007-1', 'cash', 'counter', 'balance-due', 'ZY2026000007', 2500, '出院结算补缴', 'applied', '1001', 'COUNTER01', ?, ?, ?, 1, 5000)`,
    ).run(T, T, T);
  },
  11: (db) => {
    // A cash refund of a cancelled stay, waiting to be handed out at the counter (退款中).
    db.prepare(
      `INSERT INTO refunds (ipt_no, settlement_id, reason, amount_fen, method, receipt_no, opter_no, refunded_at, state) VALUES ('ZY2026000007', NULL, 'cancellation', 2500, 'cash', 'R001-TK', '1001', ?, 'requested')`,
    ).run(T);
  },
  12: (db) => {
    db.prepare(
      `INSERT INTO operator_accounts (opter_no, name, roles, password_hash, source, created_at, updated_at) VALUES ('1001', '王护士', '["clerk"]', 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=', 'config', ?, ?)`,
    ).run(T, T);
    db.prepare("INSERT INTO sign_in_failures VALUES ('7777', 5, ?, ?)").run(T, T + 900_000);
  },
  13: (db) => {
    db.prepare("UPDATE operator_accounts SET last_sign_in_at = ? WHERE opter_no = '1001'").run(T);
  },
  14: () => {
    // An index (audit rows by subject): no data of its own; the rows of version 4 are read through it below.
  },
  16: (db) => {
    // An item written as version 16 writes it: its row, then its input, and its answer once done.
    const id = db
      .prepare(`INSERT INTO outbox (visit_key, infno, msgid, psn_no, state, next_attempt_at, created_at, updated_at, done_at) VALUES ('ZY2026000007', '2303', ?, 'P001', 'done', ?, ?, ?, ?)`)
      .run(`${HOSPITAL}202603020900000116`, T, T, T, T).lastInsertRowid;
    db.prepare(`INSERT INTO outbox_inputs (outbox_id, input_json) VALUES (?, '{"mdtrt_id":"MD001"}')`).run(id);
    db.prepare(`INSERT INTO outbox_outputs (outbox_id, output_json) VALUES (?, '{"setlinfo":{"medfee_sumamt":75}}')`).run(id);
  },
  17: (db) => {
    // The newest item, purged at once: neither its id nor its msgid may come back (no AUTOINCREMENT counter, no
    // write of the msgid row at enqueue since version 17: the triggers keep both).
    const { id } = db.prepare<[], { id: number }>('SELECT max(id) + 1 AS id FROM outbox').get()!;
    db.prepare(`INSERT INTO outbox (id, visit_key, infno, msgid, state, next_attempt_at, created_at, updated_at, done_at) VALUES (?, 'ZY2026000007', '2302', ?, 'done', ?, ?, ?, ?)`).run(
      id,
      `${HOSPITAL}202603020900000120`,
      T,
      T,
      T,
      T,
    );
    db.prepare('DELETE FROM outbox WHERE id = ?').run(id);
  },
  15: (db) => {
    // 5,000.00 typed for a 50.00 cash deposit, voided by a supervisor: the deposit row stays.
    const d = db.prepare("INSERT INTO deposits (ipt_no, kind, amount_fen, method, receipt_no, opter_no, received_at) VALUES ('ZY2026000007', 'deposit', 500000, 'cash', 'R015', '1001', ?)").run(T);
    db.prepare("INSERT INTO deposit_voids (deposit_id, ipt_no, amount_fen, reason, opter_no, voided_at) VALUES (?, 'ZY2026000007', 500000, '金额录错', '4001', ?)").run(d.lastInsertRowid, T);
  },
  5: (db) => {
    db.prepare(
      // Its 2601 refused by the platform, recorded as versions before 8 did: a "refused: " prefix on last_error.
      `INSERT INTO reversal_journal (omsgid, oinfno, psn_no, insuplc_admdvs, visit_key, msgid, operator_json, created_at, attempts, last_error)
       VALUES (?, '2401', 'P001', '320200', 'ZY2026000007', ?, '{"opter":"1001","opter_name":"王护士","opter_type":"1"}', '2026-03-02T01:00:00.000Z', 1, 'refused: 原交易不允许冲正')`,
    ).run(`${HOSPITAL}202603020859000000`, `${HOSPITAL}202603020859000001`);
  },
  8: (db) => {
    // A 2601 that got no answer, recorded as a field from version 8 on.
    db.prepare(
      `INSERT INTO reversal_journal (omsgid, oinfno, psn_no, insuplc_admdvs, visit_key, msgid, operator_json, created_at, attempts, last_outcome, last_error)
       VALUES (?, '2304', 'P001', '320200', 'ZY2026000007', ?, '{"opter":"1001","opter_name":"王护士","opter_type":"1"}', '2026-03-02T01:00:01.000Z', 2, 'failed', 'timeout')`,
    ).run(`${HOSPITAL}202603020859000002`, `${HOSPITAL}202603020859000003`);
  },
};

/** Checks that the rows of version v are there and usable after migrating to the latest. */
function checkSeeds(path: string, upTo: number): void {
  const store = openStore(path, { fixmedinsCode: HOSPITAL, clock: { now: () => new Date(T + 60_000) } });
  try {
    if (upTo >= 1) {
      expect(store.operators.signIn('1001', '2026-03-02')).toMatchObject({ signNo: 'SN359754' });
      expect(store.persons.get('P001')).toMatchObject({ psnName: '张三', certno: '320200197503141014' });
      expect(store.cards.latest('C0001')).toMatchObject({ psnNo: 'P001', generation: 3 });
      expect(store.eligibility.get('chk-1')).toMatchObject({ decision: { direct: true } });
      expect(store.admissions.get('ZY2026000007')).toMatchObject({ mdtrtId: 'MD001', status: 'admitted', direct: true });
      expect(store.feeLines.get('ZY2026000007', 'F0001')).toMatchObject({ cnt: '2.5', detItemFeeSumamtFen: 7500 });
      expect(store.money.depositTotalFen('ZY2026000007')).toBe(200000);
      expect(store.money.refunds('ZY2026000007')).toHaveLength(upTo >= 11 ? 2 : 1);
      expect(store.settlements.bySetlId('S001')).toMatchObject({ medfeeSumamtFen: 7500, hifpPayFen: 5000, psnCashPayFen: 2500 });
      // The local number series continues.
      expect(store.write((tx) => store.admissions.nextIptNo(tx))).toBe('ZY2026000008');
    }
    if (upTo >= 2) {
      // The msgid counter continues after the last one handed out: never a repeat across an upgrade. From
      // version 17 on that is the later of the sequence's row and the newest msgid in outbox (version 16 wrote
      // 0116 into a row only; version 17 purged the item holding 0120).
      const last = upTo >= 17 ? '0120' : upTo >= 16 ? '0116' : upTo >= 7 ? '0113' : upTo >= 6 ? '0099' : '0041';
      expect(store.msgids.next(new Date('2026-03-02T01:00:00Z'))).toBe(`${HOSPITAL}20260302090000${String(Number(last) + 1).padStart(4, '0')}`);
    }
    if (upTo >= 6) {
      expect(store.outbox.nextDueAt()).toBe(T - 5_000);
      const plan = store.db.prepare("EXPLAIN QUERY PLAN SELECT min(next_attempt_at) AS at FROM outbox WHERE state IN ('pending', 'unknown-outcome')").all() as Array<{ detail: string }>;
      expect(plan.map((r) => r.detail).join(' ')).toContain('outbox_due');
    }
    if (upTo >= 3) {
      const item = store.outbox.get(1);
      expect(item).toMatchObject({ infno: '2402', state: 'pending', psnNo: 'P001' });
      expect(store.outbox.attempts(1)).toHaveLength(1);
      const claims = store.write((tx) => store.outbox.claimNext(tx, { limit: 5 }));
      expect(claims.map((c) => c.item.id)).toEqual(upTo >= 6 ? [1, 2] : [1]);
    }
    if (upTo >= 4) {
      const v = store.audit.verify();
      expect(v).toMatchObject({ ok: true, checked: 2 });
      expect(store.audit.list({ subject: 'outbox:1' }).map((e) => e.action)).toEqual(['outbox.retry', 'outbox.dead-letter']);
      expect(store.audit.list({ subject: 'outbox:2' })).toEqual([]);
    }
    if (upTo >= 7) {
      expect(store.outbox.list({ states: ['dead'] }).map((i) => [i.deadReason, i.reversals])).toEqual([['reversal-cap', 5]]);
      // Version 16 moved the payloads out of the row: the done item keeps its input, envelope and answer.
      expect(store.outbox.get(4)).toMatchObject({
        infno: '2301',
        state: 'done',
        input: { feedetail: [{ feedetl_sn: 'F0001' }] },
        envelope: { opter: '1001' },
        output: { result: [{ feedetl_sn: 'F0001' }] },
      });
      expect(store.outbox.stateOf(4)).not.toHaveProperty('input');
      expect(store.outbox.outputOf(1)).toBeNull();
    }
    if (upTo >= 3) {
      expect(store.outbox.get(1)).toMatchObject({ input: { dscginfo: { mdtrt_id: '{{mdtrt_id}}' } }, envelope: {}, output: null });
      // An id is never handed out twice: after the purged item 5 (version 7), the next is 6, or 7 after version
      // 16's, or 8 after the item version 17 purged.
      const next = store.write((tx) => store.outbox.enqueue(tx, { visitKey: 'ZY2026000007', infno: '2302', input: { x: 1 } }));
      expect(next.id).toBe(upTo >= 17 ? 8 : upTo >= 16 ? 7 : upTo >= 7 ? 6 : upTo >= 6 ? 3 : 2);
      // Its msgid drawn by the enqueue, after the one `next` handed out above.
      expect(next.msgid > store.db.prepare<[], string>("SELECT fixmedins_code || second || printf('%04d', counter) FROM msgid_sequence").pluck().get()!).toBe(true);
      expect(store.outbox.get(next.id)).toMatchObject({ input: { x: 1 }, envelope: {}, output: null, state: 'pending' });
      // The payloads go with their item (ON DELETE CASCADE): a purge deletes outbox rows only.
      store.write((tx) => tx.db.prepare("DELETE FROM outbox WHERE state = 'done'").run());
      expect(store.db.prepare('SELECT count(*) FROM outbox_outputs').pluck().get()).toBe(0);
      expect(store.db.prepare('SELECT count(*) FROM outbox_inputs WHERE outbox_id NOT IN (SELECT id FROM outbox)').pluck().get()).toBe(0);
    }
    if (upTo >= 16) {
      expect(store.db.prepare('SELECT count(*) FROM outbox_inputs').pluck().get()).toBe(4); // 1, 2, 3 and the new one
    }
    if (upTo >= 9) {
      expect(store.payments.open().map((o) => [o.outTradeNo, o.state, o.amountFen])).toEqual([['H3202000000120260302090000A1', 'awaiting', 300000]]);
    }
    if (upTo >= 10) {
      expect(store.payments.forSettlement(1).map((o) => [o.channel, o.scene, o.amountFen, o.tenderedFen])).toEqual([['cash', 'counter', 2500, 5000]]);
    }
    if (upTo >= 11) {
      expect(store.money.openRefunds().map((r) => [r.receiptNo, r.state, r.amountFen])).toEqual([['R001-TK', 'requested', 2500]]);
    }
    if (upTo >= 1) {
      // A refund recorded before refunds had states was recorded as handed out at the time.
      expect(store.money.refunds('ZY2026000007')[0]).toMatchObject({ receiptNo: 'RF001', state: 'done', doneAt: null });
    }
    if (upTo >= 12) {
      expect(store.accounts.get('1001')).toMatchObject({ name: '王护士', roles: ['clerk'], source: 'config', disabled: false });
      expect(store.accounts.failures('7777')).toMatchObject({ failures: 5, lockedUntil: T + 900_000 });
      // Version 13: an account made before it has never signed in, as far as the list knows.
      expect(store.accounts.get('1001')?.lastSignInAt).toBe(upTo >= 13 ? T : null);
    }
    if (upTo >= 15) {
      // Version 15: a voided deposit is kept, listed, and no longer the stay's money.
      expect(store.money.everyDeposit('ZY2026000007').map((d) => d.receiptNo)).toEqual(['R001', 'R015']);
      expect(store.money.deposits('ZY2026000007').map((d) => d.receiptNo)).toEqual(['R001']);
      expect(store.money.depositTotalFen('ZY2026000007')).toBe(200000);
      expect(store.money.voidsOf('ZY2026000007')).toMatchObject([{ amountFen: 500000, reason: '金额录错', opterNo: '4001' }]);
    }
    if (upTo >= 5) {
      expect(store.reversals.pending().map((e) => e.oinfno)).toEqual(upTo >= 8 ? ['2401', '2304'] : ['2401']);
      // Version 8: the refusal is a field, and the text is the platform's own.
      expect(store.reversals.pending()[0]).toMatchObject({ lastOutcome: 'refused', lastError: '原交易不允许冲正' });
    }
    expect(store.schemaVersion()).toBe(latestVersion());
  } finally {
    store.close();
  }
}

function schemaOf(db: SqliteDatabase): Array<{ type: string; name: string; sql: string | null }> {
  return db
    .prepare<[], { type: string; name: string; sql: string | null }>("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
    .all()
    .map((r) => ({ ...r, sql: r.sql?.replace(/\s+/g, ' ') ?? null }));
}

describe('migrations', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const fresh = () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-mig-'));
    return join(dir, 'kiosk.sqlite');
  };

  it('are numbered 1..n without gaps and each has a name', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    for (const m of migrations) expect(m.name.length).toBeGreaterThan(3);
    expect(Object.keys(seeds).map(Number)).toEqual(migrations.map((m) => m.version));
  });

  for (let k = 0; k <= latestVersion(); k++) {
    it(`from version ${k}: data written at every version up to ${k} survives the upgrade to ${latestVersion()}`, () => {
      const path = fresh();
      const db = openDatabase(path);
      for (let v = 1; v <= k; v++) {
        migrate(db, { to: v, list: migrations.slice(0, v) });
        seeds[v]!(db);
      }
      expect(schemaVersion(db)).toBe(k);
      db.close();
      checkSeeds(path, k);

      // Same schema as a fresh install, object for object.
      const upgraded = openDatabase(path);
      const clean = openDatabase(join(dir!, 'fresh.sqlite'));
      migrate(clean);
      expect(schemaOf(upgraded)).toEqual(schemaOf(clean));
      expect(upgraded.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(migrations.map((m) => m.version));
      upgraded.close();
      clean.close();
    });
  }

  it('refuses a database newer than this program', () => {
    const path = fresh();
    const db = openDatabase(path);
    migrate(db);
    db.pragma(`user_version = ${latestVersion() + 1}`);
    db.close();
    expect(() => openStore(path)).toThrow(/比本程序新/);
  });

  it('is forward-only', () => {
    const path = fresh();
    const db = openDatabase(path);
    migrate(db);
    expect(() => migrate(db, { to: 1 })).toThrow(/forward-only/);
    db.close();
  });

  it('a failing step rolls back whole and leaves the previous version', () => {
    const path = fresh();
    const db = openDatabase(path);
    const broken = [
      ...migrations.slice(0, 2),
      {
        version: 3,
        name: 'broken',
        up(d: SqliteDatabase) {
          d.exec('CREATE TABLE half_done (x INTEGER)');
          throw new Error('disk full');
        },
      },
    ];
    expect(() => migrate(db, { list: broken })).toThrow('disk full');
    expect(schemaVersion(db)).toBe(2);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").pluck().get()).toBe(0);
    // The real step 3 then applies cleanly.
    migrate(db);
    expect(schemaVersion(db)).toBe(latestVersion());
    db.close();
  });

  it('a step that leaves a foreign key violation is rolled back', () => {
    const path = fresh();
    const db = openDatabase(path);
    migrate(db, { to: 1, list: migrations.slice(0, 1) });
    const violating = [
      migrations[0]!,
      {
        version: 2,
        name: 'orphan fee line',
        up(d: SqliteDatabase) {
          d.prepare(
            `INSERT INTO fee_lines (ipt_no, feedetl_sn, med_list_codg, medins_list_codg, name, chrgitm_type, cnt, pric_fen, det_item_fee_sumamt_fen, fee_ocur_time, state, created_at, updated_at)
             VALUES ('NOPE', 'F1', 'X', 'H', 'x', '01', '1', 1, 1, '2026-03-02 10:00:00', 'local', 0, 0)`,
          ).run();
        },
      },
    ];
    expect(() => migrate(db, { list: violating })).toThrow(/foreign key/);
    expect(schemaVersion(db)).toBe(1);
    db.close();
  });

  it('opens with WAL, synchronous=FULL, foreign keys on and a busy timeout', () => {
    const path = fresh();
    const store = openStore(path);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    store.close();
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../db/connection.ts';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../db/audit/canonical-json.ts';
import { chainHash, GENESIS_HASH, KEYED_ANCHOR_ACTION } from '../../../db/audit/audit-log.ts';
import { newKey } from '../../../db/keystore.ts';
import { rowDigest } from '../../../db/audit/row-seals.ts';
import { openStore, type Store } from '../../../db/store.ts';
import { HOSPITAL, sampleAdmission, tempStore } from './helpers.ts';

/**
 * The keyed audit chain against someone who has the database file and its store key (a copied disk and a
 * leaked key file, or an insider with a SQLite editor) but not the audit key.
 */
describe('keyed audit chain', () => {
  const storeKey = newKey();
  const auditKey = newKey();
  let ctx: ReturnType<typeof tempStore>;
  afterEach(() => ctx?.cleanup());

  function keyedStore() {
    ctx = tempStore({ key: storeKey, auditKey });
    return ctx.store;
  }
  const reopen = (keyAuditChain = false): Store => openStore(ctx.path, { clock: ctx.clock, fixmedinsCode: HOSPITAL, key: storeKey, auditKey, keyAuditChain });
  /** The attacker's handle: the file with its store key, triggers dropped. */
  function tamper(fn: (db: SqliteDatabase) => void): Store {
    ctx.store.close();
    const db = openDatabase(ctx.path, { key: storeKey });
    db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
    fn(db);
    db.close();
    ctx.store = reopen();
    return ctx.store;
  }

  /** A stay with a deposit, a settlement and a refund (多退少补), and a few operator actions. */
  function business(store: Store) {
    store.write((tx) => {
      const adm = store.admissions.create(tx, sampleAdmission);
      store.money.addDeposit(tx, { iptNo: adm.iptNo, kind: 'deposit', amountFen: 1_000_00, method: 'cash', receiptNo: 'R1', opterNo: '1001' });
      const s = store.settlements.open(tx, { iptNo: adm.iptNo, mdtrtId: null, psnNo: adm.psnNo, insutype: '310', msgid: 'M1' });
      store.settlements.setStatus(tx, s.id, 'settled');
      store.money.addRefund(tx, { iptNo: adm.iptNo, settlementId: s.id, reason: 'settlement', amountFen: 200_00, method: 'cash', receiptNo: 'T1', opterNo: '2001' });
      for (let i = 1; i <= 3; i++) store.audit.append(tx, { actor: 'opter:1001', action: 'outbox.retry', subject: `outbox:${i}`, detail: { i } });
    });
  }

  const kinds = (store: Store, opts?: Parameters<Store['audit']['verify']>[0]) => store.audit.verify(opts).problems.map((p) => p.kind);

  it('starts with the keyed anchor and HMAC-chains every row; a clean store verifies', () => {
    const store = keyedStore();
    business(store);
    const rows = store.audit.list();
    expect(rows[0]).toMatchObject({ seq: 1, action: KEYED_ANCHOR_ACTION, prevHash: GENESIS_HASH });
    const r = rows[1]!;
    const canonical = canonicalJson({ seq: r.seq, at: r.at, actor: r.actor, action: r.action, subject: r.subject, detail: r.detail });
    expect(r.hash).toBe(chainHash(r.prevHash, canonical, auditKey));
    expect(r.hash).not.toBe(chainHash(r.prevHash, canonical));
    expect(rows.map((x) => x.action)).toEqual(expect.arrayContaining(['record.admissions', 'record.deposits', 'record.settlements', 'record.refunds']));
    expect(store.audit.verify()).toMatchObject({ ok: true, problems: [] });
  });

  it('an edited row', () => {
    business(keyedStore());
    const store = tamper((db) => db.prepare(`UPDATE audit_log SET detail_json = '{"i":9}' WHERE action = 'outbox.retry' AND subject = 'outbox:2'`).run());
    expect(kinds(store)).toEqual(['edited']);
  });

  it('an edited row whose hash was recomputed (without the audit key) is caught on the row itself', () => {
    business(keyedStore());
    const store = tamper((db) => {
      const row = db.prepare<[], { seq: number; at: number; action: string; subject: string; prev_hash: string }>(`SELECT * FROM audit_log WHERE subject = 'outbox:2'`).get()!;
      const forged = chainHash(row.prev_hash, canonicalJson({ seq: row.seq, at: row.at, actor: 'opter:9999', action: row.action, subject: row.subject, detail: { i: 2 } }));
      db.prepare(`UPDATE audit_log SET actor = 'opter:9999', hash = ? WHERE seq = ?`).run(forged, row.seq);
    });
    const v = store.audit.verify();
    expect(v.problems.map((p) => p.kind)).toEqual(['edited', 'broken-link']);
  });

  it('a deleted row in the middle', () => {
    business(keyedStore());
    const store = tamper((db) => db.prepare(`DELETE FROM audit_log WHERE subject = 'outbox:1'`).run());
    expect(kinds(store)).toEqual(['missing', 'broken-link']);
  });

  it('deleted newest rows: by the AUTOINCREMENT mark, and by the kept head when the mark is lowered too', () => {
    business(keyedStore());
    const head = ctx.store.audit.head();
    let store = tamper((db) => db.prepare('DELETE FROM audit_log WHERE seq > ?').run(head.seq - 2));
    expect(kinds(store)).toEqual(['truncated']);
    store = tamper((db) => db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_log'").run(head.seq - 2));
    expect(kinds(store)).toEqual([]);
    expect(kinds(store, { expectedHead: head })).toEqual(['truncated']);
  });

  it('a whole-chain rewrite without the key: unkeyed (anchor dropped) or edited (anchor forged)', () => {
    business(keyedStore());
    const rewrite = (db: SqliteDatabase, keepAnchor: boolean) => {
      const rows = db.prepare<[], { seq: number; at: number; actor: string; action: string; subject: string; detail_json: string }>('SELECT * FROM audit_log ORDER BY seq').all();
      db.prepare('DELETE FROM audit_log').run();
      let prev = GENESIS_HASH;
      let seq = 0;
      for (const r of rows) {
        if (!keepAnchor && r.action === KEYED_ANCHOR_ACTION) continue;
        seq++;
        const detail = JSON.parse(r.detail_json) as unknown;
        const hash = chainHash(prev, canonicalJson({ seq, at: r.at, actor: r.actor, action: r.action, subject: r.subject, detail }));
        db.prepare('INSERT INTO audit_log (seq, at, actor, action, subject, detail_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(seq, r.at, r.actor, r.action, r.subject, r.detail_json, prev, hash);
        prev = hash;
      }
      db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_log'").run(seq);
    };
    let store = tamper((db) => rewrite(db, false));
    expect(kinds(store)).toContain('unkeyed');
    ctx.cleanup();
    business(keyedStore());
    store = tamper((db) => rewrite(db, true));
    expect(kinds(store).filter((k) => k === 'edited').length).toBeGreaterThan(0);
  });

  it('a money row changed: a refund raised by ¥500, a deposit lowered, a settlement deleted, a deposit slipped in', () => {
    business(keyedStore());
    let store = tamper((db) => db.prepare('UPDATE refunds SET amount_fen = amount_fen + 50000').run());
    expect(store.audit.verify().problems).toEqual([expect.objectContaining({ kind: 'record-changed', subject: 'refunds:1' })]);
    store = tamper((db) => {
      db.prepare('UPDATE refunds SET amount_fen = amount_fen - 50000').run(); // put back
      db.prepare('UPDATE deposits SET amount_fen = 1').run();
      db.prepare('PRAGMA foreign_keys = OFF').run();
      db.prepare('DELETE FROM refunds').run();
      db.prepare('DELETE FROM settlements').run();
      db.prepare(`INSERT INTO deposits (ipt_no, kind, amount_fen, method, receipt_no, opter_no, received_at) VALUES ('ZY2026000001', 'deposit', 100, 'cash', 'X9', '1001', 0)`).run();
    });
    const problems = store.audit.verify().problems.map((p) => `${p.kind} ${'subject' in p ? p.subject : ''}`);
    expect(problems.sort()).toEqual(['record-changed deposits:1', 'record-deleted refunds:1', 'record-deleted settlements:1', 'record-unsealed deposits:2']);
  });

  it('a payment order sealed before migration 10 keeps its digest (NULL in the columns it added); a balance moved to another settlement shows', () => {
    const before = { out_trade_no: 'H1', channel: 'alipay', amount_fen: 100, state: 'applied', attempts: 0 };
    expect(rowDigest('payment_orders', { ...before, settlement_id: null, tendered_fen: null })).toBe(rowDigest('payment_orders', before));
    expect(rowDigest('payment_orders', { ...before, settlement_id: 1, tendered_fen: null })).not.toBe(rowDigest('payment_orders', before));
    const store = keyedStore();
    business(store);
    store.write((tx) =>
      store.payments.createAtCounter(tx, { outTradeNo: 'BJ-ZY2026000001-1', channel: 'cash', purpose: 'balance-due', iptNo: 'ZY2026000001', amountFen: 500, subject: '补缴', opterNo: '2001', terminalId: 'C1', settlementId: 1, tenderedFen: 1000, tradeNo: null }),
    );
    expect(store.audit.verify().ok).toBe(true);
    const tampered = tamper((db) => db.prepare('UPDATE payment_orders SET tendered_fen = 600').run());
    expect(tampered.audit.verify().problems).toEqual([expect.objectContaining({ kind: 'record-changed', subject: 'payment_orders:BJ-ZY2026000001-1' })]);
  });

  it('a refund marked 已退 behind the terminal (state, who) is reported; a refund row sealed before the state columns still verifies', () => {
    business(keyedStore());
    const store = tamper((db) => db.prepare("UPDATE refunds SET state = 'done', done_by = '9999' WHERE id = 1").run());
    expect(store.audit.verify().problems).toEqual([expect.objectContaining({ kind: 'record-changed', subject: 'refunds:1' })]);
    const row = store.db.prepare('SELECT * FROM refunds WHERE id = 1').get() as Record<string, unknown>;
    // The late columns count only once set: NULL in them leaves a row's digest as it was before migration 11.
    const { state: _s, refund_ref: _r, done_by: _b, done_at: _a, state_note: _n, ...before } = row;
    expect(rowDigest('refunds', { ...before, state: null, refund_ref: null, done_by: null, done_at: null, state_note: null })).toBe(
      createHash('sha256').update(canonicalJson(before), 'utf8').digest('hex'),
    );
  });

  it('an older store with unkeyed rows and money is anchored and sealed at its first keyed open; its old rows stay covered', () => {
    ctx = tempStore({ key: storeKey }); // no audit key: the build before this one
    business(ctx.store);
    expect(ctx.store.audit.list().some((r) => r.action === KEYED_ANCHOR_ACTION)).toBe(false);
    ctx.store.close();
    ctx.store = reopen(true); // the audit key was just created
    const actions = ctx.store.audit.list().map((r) => r.action);
    expect(actions.filter((a) => a === KEYED_ANCHOR_ACTION)).toHaveLength(1);
    expect(actions.filter((a) => a.startsWith('record.'))).toHaveLength(4);
    expect(ctx.store.audit.verify().ok).toBe(true);
    // Rewriting an old (unkeyed) row and re-chaining the unkeyed part still shows: the anchor holds their head.
    const store = tamper((db) => {
      const rows = db.prepare<[string], { seq: number; at: number; actor: string; action: string; subject: string; detail_json: string; prev_hash: string }>(`SELECT * FROM audit_log WHERE action != ? ORDER BY seq`).all(KEYED_ANCHOR_ACTION);
      const anchor = db.prepare<[string], { seq: number }>('SELECT seq FROM audit_log WHERE action = ?').get(KEYED_ANCHOR_ACTION)!.seq;
      let prev = GENESIS_HASH;
      for (const r of rows.filter((x) => x.seq < anchor)) {
        const actor = r.subject === 'outbox:1' ? 'opter:9999' : r.actor;
        const hash = chainHash(prev, canonicalJson({ seq: r.seq, at: r.at, actor, action: r.action, subject: r.subject, detail: JSON.parse(r.detail_json) as unknown }));
        db.prepare('UPDATE audit_log SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(actor, prev, hash, r.seq);
        prev = hash;
      }
    });
    expect(kinds(store)).toContain('edited');
  });
});

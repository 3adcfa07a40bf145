import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/connection.ts';
import { canonicalJson } from '../../../db/audit/canonical-json.ts';
import { chainHash, GENESIS_HASH } from '../../../db/audit/audit-log.ts';
import { openStore } from '../../../db/store.ts';
import { tempStore } from './helpers.ts';

describe('audit log', () => {
  let ctx: ReturnType<typeof tempStore>;
  afterEach(() => ctx?.cleanup());

  function fill(n: number) {
    for (let i = 1; i <= n; i++) {
      ctx.store.write((tx) => ctx.store.audit.append(tx, { actor: 'opter:1001', action: 'outbox.retry', subject: `outbox:${i}`, detail: { i, note: `第${i}次` } }));
      ctx.clock.advance(1000);
    }
  }

  /** SQLite's plan for a statement, its steps joined: which index it reads. */
  function queryPlan(sql: string): string {
    return ctx.store.db
      .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
      .all()
      .map((r) => r.detail)
      .join(' | ');
  }

  it('chains each row to the one before: hash = SHA-256(prev_hash ‖ canonical row)', () => {
    ctx = tempStore();
    fill(3);
    const rows = ctx.store.audit.list();
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
    const canonical = canonicalJson({ seq: 2, at: rows[1]!.at, actor: 'opter:1001', action: 'outbox.retry', subject: 'outbox:2', detail: { i: 2, note: '第2次' } });
    expect(rows[1]!.hash).toBe(chainHash(rows[0]!.hash, canonical));
    expect(ctx.store.audit.verify()).toMatchObject({ ok: true, checked: 3, head: { seq: 3, hash: rows[2]!.hash } });
  });

  it("reads one subject's rows through its index, not by scanning the whole log (the log is never purged)", () => {
    ctx = tempStore();
    fill(4);
    ctx.store.write((tx) => ctx.store.audit.append(tx, { actor: 'relay', action: 'outbox.dead-letter', subject: 'outbox:2' }));
    expect(ctx.store.audit.list({ subject: 'outbox:2' }).map((r) => [r.seq, r.action])).toEqual([
      [2, 'outbox.retry'],
      [5, 'outbox.dead-letter'],
    ]);
    expect(ctx.store.audit.list({ subject: 'outbox:2', sinceSeq: 2 }).map((r) => r.seq)).toEqual([5]);
    expect(ctx.store.audit.list({ subject: 'outbox:2', limit: 1 }).map((r) => r.seq)).toEqual([2]);
    expect(ctx.store.audit.list({ sinceSeq: 3 }).map((r) => r.seq)).toEqual([4, 5]);
    expect(queryPlan("SELECT * FROM audit_log WHERE subject = 'outbox:2' AND seq > 0 ORDER BY seq LIMIT 10")).toMatch(/USING INDEX audit_log_by_subject/);
  });

  it("reads a subject's newest row of one action backwards through the subject's index", () => {
    ctx = tempStore();
    fill(4);
    ctx.store.write((tx) => ctx.store.audit.append(tx, { actor: 'relay', action: 'outbox.dead-letter', subject: 'outbox:2', detail: { n: 1 } }));
    ctx.store.write((tx) => ctx.store.audit.append(tx, { actor: 'relay', action: 'outbox.dead-letter', subject: 'outbox:3' }));
    ctx.store.write((tx) => ctx.store.audit.append(tx, { actor: 'relay', action: 'outbox.dead-letter', subject: 'outbox:2', detail: { n: 2 } }));
    ctx.store.write((tx) => ctx.store.audit.append(tx, { actor: 'opter:1001', action: 'outbox.retry', subject: 'outbox:2' }));
    expect(ctx.store.audit.latest('outbox:2', 'outbox.dead-letter')).toMatchObject({ seq: 7, subject: 'outbox:2', action: 'outbox.dead-letter', detail: { n: 2 } });
    expect(ctx.store.audit.latest('outbox:2', 'outbox.retry')?.seq).toBe(8);
    expect(ctx.store.audit.latest('outbox:9', 'outbox.retry')).toBeNull();
    expect(ctx.store.audit.latest('outbox:1', 'outbox.dead-letter')).toBeNull();
    expect(queryPlan("SELECT * FROM audit_log WHERE subject = 'outbox:2' AND action = 'outbox.retry' ORDER BY seq DESC LIMIT 1")).toMatch(/USING INDEX audit_log_by_subject/);
  });

  it('refuses UPDATE and DELETE through SQLite', () => {
    ctx = tempStore();
    fill(2);
    expect(() => ctx.store.db.prepare("UPDATE audit_log SET actor = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => ctx.store.db.prepare('DELETE FROM audit_log WHERE seq = 1').run()).toThrow(/append-only/);
  });

  it('finds an edited row', () => {
    ctx = tempStore();
    fill(5);
    ctx.store.close();
    const db = openDatabase(ctx.path);
    db.exec('DROP TRIGGER audit_log_no_update;');
    db.prepare(`UPDATE audit_log SET detail_json = '{"i":3,"note":"改过"}' WHERE seq = 3`).run();
    db.close();
    const reopened = reopen(ctx);
    const v = reopened.audit.verify();
    reopened.close();
    expect(v.ok).toBe(false);
    expect(v.problems).toContainEqual(expect.objectContaining({ seq: 3, kind: 'edited' }));
    expect(v.problems.filter((p) => p.seq !== 3)).toEqual([]);
  });

  it('finds an edited row even when the editor recomputed that row hash (the next link breaks)', () => {
    ctx = tempStore();
    fill(4);
    const row2 = ctx.store.audit.list()[1]!;
    ctx.store.close();
    const db = openDatabase(ctx.path);
    db.exec('DROP TRIGGER audit_log_no_update;');
    const forged = chainHash(row2.prevHash, canonicalJson({ seq: 2, at: row2.at, actor: 'opter:9999', action: row2.action, subject: row2.subject, detail: row2.detail }));
    db.prepare(`UPDATE audit_log SET actor = 'opter:9999', hash = ? WHERE seq = 2`).run(forged);
    db.close();
    const reopened = reopen(ctx);
    const v = reopened.audit.verify();
    reopened.close();
    expect(v.ok).toBe(false);
    expect(v.problems).toContainEqual(expect.objectContaining({ seq: 3, kind: 'broken-link' }));
  });

  it('finds a deleted row in the middle', () => {
    ctx = tempStore();
    fill(5);
    ctx.store.close();
    const db = openDatabase(ctx.path);
    db.exec('DROP TRIGGER audit_log_no_delete;');
    db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    db.close();
    const reopened = reopen(ctx);
    const v = reopened.audit.verify();
    reopened.close();
    expect(v.ok).toBe(false);
    expect(v.problems).toContainEqual(expect.objectContaining({ seq: 2, kind: 'missing' }));
    expect(v.problems).toContainEqual(expect.objectContaining({ seq: 3, kind: 'broken-link' }));
  });

  it('finds deleted newest rows (truncation), by the AUTOINCREMENT mark and by a kept head', () => {
    ctx = tempStore();
    fill(5);
    const head = ctx.store.audit.head();
    ctx.store.close();
    const db = openDatabase(ctx.path);
    db.exec('DROP TRIGGER audit_log_no_delete;');
    db.prepare('DELETE FROM audit_log WHERE seq >= 4').run();
    db.close();
    let reopened = reopen(ctx);
    expect(reopened.audit.verify().problems).toContainEqual(expect.objectContaining({ kind: 'truncated', seq: 4 }));
    reopened.close();
    // A thorough attacker also lowers the AUTOINCREMENT mark: only the head kept elsewhere still tells.
    const db2 = openDatabase(ctx.path);
    db2.prepare("UPDATE sqlite_sequence SET seq = 3 WHERE name = 'audit_log'").run();
    db2.close();
    reopened = reopen(ctx);
    expect(reopened.audit.verify().ok).toBe(true);
    expect(reopened.audit.verify({ expectedHead: head }).problems).toContainEqual(expect.objectContaining({ kind: 'truncated' }));
    reopened.close();
  });

  it('a kept head that no longer matches its row is reported', () => {
    ctx = tempStore();
    fill(3);
    const head = { seq: 2, hash: ctx.store.audit.list()[1]!.hash };
    expect(ctx.store.audit.verify({ expectedHead: head }).ok).toBe(true);
    expect(ctx.store.audit.verify({ expectedHead: { seq: 2, hash: 'f'.repeat(64) } }).ok).toBe(false);
  });

  it('appending after a verified chain continues it, and an action rolled back leaves no audit row', () => {
    ctx = tempStore();
    fill(2);
    expect(() =>
      ctx.store.write((tx) => {
        ctx.store.audit.append(tx, { actor: 'relay', action: 'outbox.reversed', subject: 'outbox:9' });
        throw new Error('the action failed');
      }),
    ).toThrow('the action failed');
    fill(1);
    expect(ctx.store.audit.list().map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(ctx.store.audit.verify().ok).toBe(true);
  });
});

function reopen(ctx: ReturnType<typeof tempStore>) {
  return openStore(ctx.path, { clock: ctx.clock });
}

import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openStore } from '../../../db/store.ts';
import { MSGID_PATTERN, SqliteMsgidSequence } from '../../../db/msgid-sequence.ts';
import { chinaStamp } from '../../../base/china-time.ts';
import { HOSPITAL, ManualClock, tempStore } from './helpers.ts';

describe('msgid sequence', () => {
  let ctx: ReturnType<typeof tempStore>;
  afterEach(() => ctx?.cleanup());

  it('is fixmedins_code + China-time second + 4-digit counter', () => {
    ctx = tempStore();
    const id = ctx.store.msgids.next(new Date('2026-03-02T01:02:03Z'));
    expect(id).toBe(`${HOSPITAL}20260302090203` + '0000');
    expect(id).toMatch(MSGID_PATTERN);
    expect(id).toHaveLength(30);
    expect(ctx.store.msgids.next(new Date('2026-03-02T01:02:03.900Z'))).toBe(`${HOSPITAL}202603020902030001`);
    expect(ctx.store.msgids.next(new Date('2026-03-02T01:02:04Z'))).toBe(`${HOSPITAL}202603020902040000`);
  });

  it('uses China time across the date line (UTC 16:00 is the next day in China)', () => {
    ctx = tempStore();
    expect(ctx.store.msgids.next(new Date('2026-12-31T16:00:00Z'))).toBe(`${HOSPITAL}202701010000000000`);
  });

  it('moves to the next second instead of wrapping after 9999', () => {
    ctx = tempStore();
    const t = new Date('2026-03-02T01:02:03Z');
    let last = '';
    // One outer transaction: 10,000 savepoints, one fsync (the logic is the same as 10,000 commits).
    ctx.store.write(() => {
      for (let i = 0; i < 10_000; i++) last = ctx.store.msgids.next(t);
    });
    expect(last).toBe(`${HOSPITAL}202603020902039999`);
    expect(ctx.store.msgids.next(t)).toBe(`${HOSPITAL}202603020902040000`);
    // The real clock then reaching that borrowed second continues after it, never repeating.
    expect(ctx.store.msgids.next(new Date('2026-03-02T01:02:04Z'))).toBe(`${HOSPITAL}202603020902040001`);
  });

  it('never goes back when the clock does', () => {
    ctx = tempStore();
    const a = ctx.store.msgids.next(new Date('2026-03-02T01:02:03Z'));
    const b = ctx.store.msgids.next(new Date('2026-03-02T00:00:00Z'));
    expect(b > a).toBe(true);
    expect(b).toBe(`${HOSPITAL}202603020902030001`);
  });

  it('is unique across a restart (counter persisted in the file)', () => {
    ctx = tempStore();
    const t = new Date('2026-03-02T01:02:03Z');
    const first = [ctx.store.msgids.next(t), ctx.store.msgids.next(t)];
    ctx.store.close();
    const reopened = openStore(ctx.path, { fixmedinsCode: HOSPITAL });
    const after = reopened.msgids.next(t);
    reopened.close();
    expect(first).not.toContain(after);
    expect(after).toBe(`${HOSPITAL}202603020902030002`);
  });

  it('two connections on one file never hand out the same msgid', () => {
    ctx = tempStore();
    const other = openStore(ctx.path, { fixmedinsCode: HOSPITAL });
    const t = new Date('2026-03-02T01:02:03Z');
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      seen.add(ctx.store.msgids.next(t));
      seen.add(other.msgids.next(t));
    }
    other.close();
    expect(seen.size).toBe(400);
  });

  it('a msgid of a rolled-back transaction is handed out again: nothing can have been sent under it', () => {
    ctx = tempStore();
    const t = new Date('2026-03-02T01:02:03Z');
    expect(() =>
      ctx.store.write(() => {
        ctx.store.msgids.next(t);
        throw new Error('domain write failed');
      }),
    ).toThrow('domain write failed');
    // Nothing was sent under the rolled-back msgid (the outbox row rolled back with it), so reuse is harmless.
    expect(ctx.store.msgids.next(t)).toBe(`${HOSPITAL}202603020902030000`);
  });

  describe('msgids drawn by an enqueue (recorded by the outbox row, not by the sequence row)', () => {
    const t = new Date('2026-03-02T01:02:03Z');
    const row = () => ctx.store.db.prepare("SELECT second || printf('%04d', counter) FROM msgid_sequence").pluck().get() as string | undefined;
    const enqueue = (visitKey = 'V') => ctx.store.write((tx) => ctx.store.outbox.enqueue(tx, { visitKey, infno: '2301', input: {} }));

    it('continue the sequence without writing its row, and `next` continues after them', () => {
      ctx = tempStore({ clock: new ManualClock(t.getTime()) });
      const first = ctx.store.msgids.next(t);
      const items = [enqueue(), enqueue(), enqueue()];
      expect(items.map((i) => i.msgid)).toEqual(['0001', '0002', '0003'].map((c) => `${HOSPITAL}20260302090203${c}`));
      expect(row()).toBe(first.slice(12)); // untouched by the enqueues
      expect(ctx.store.msgids.next(t)).toBe(`${HOSPITAL}202603020902030004`);
      expect(enqueue().msgid).toBe(`${HOSPITAL}202603020902030005`);
    });

    it('are never handed out again once their item is purged (retention, a person purge)', () => {
      ctx = tempStore({ clock: new ManualClock(t.getTime()) });
      const items = [enqueue(), enqueue(), enqueue()];
      ctx.store.write((tx) => tx.db.prepare("UPDATE outbox SET state = 'done', done_at = 0").run());
      // The newest item goes (a person purge deletes their done items whatever their age).
      ctx.store.write((tx) => tx.db.prepare('DELETE FROM outbox WHERE id >= ?').run(items[1]!.id));
      expect(row()).toBe(items[2]!.msgid.slice(12));
      expect(ctx.store.msgids.next(t)).toBe(`${HOSPITAL}202603020902030003`);
      ctx.store.write((tx) => tx.db.prepare('DELETE FROM outbox').run());
      expect(enqueue().msgid).toBe(`${HOSPITAL}202603020902030004`);
    });

    it('are never handed out again once their row holds another msgid', () => {
      ctx = tempStore({ clock: new ManualClock(t.getTime()) });
      const item = enqueue();
      // Whatever replaces it (an operator's resend takes `next`; here a msgid from before it).
      ctx.store.write((tx) => tx.db.prepare('UPDATE outbox SET msgid = ? WHERE id = ?').run(`${HOSPITAL}202603020800000000`, item.id));
      expect(enqueue().msgid).toBe(`${HOSPITAL}202603020902030001`);
    });

    it('survive a restart and a clock that goes back', () => {
      ctx = tempStore({ clock: new ManualClock(t.getTime()) });
      const before = [enqueue(), enqueue()].map((i) => i.msgid);
      ctx.store.close();
      const reopened = openStore(ctx.path, { fixmedinsCode: HOSPITAL, clock: new ManualClock('2026-03-02T00:00:00Z') });
      try {
        const after = reopened.write((tx) => reopened.outbox.enqueue(tx, { visitKey: 'V', infno: '2301', input: {} })).msgid;
        expect(after).toBe(`${HOSPITAL}202603020902030002`);
        expect(before).not.toContain(after);
        expect(reopened.msgids.next(new Date('2026-03-02T00:00:00Z'))).toBe(`${HOSPITAL}202603020902030003`);
      } finally {
        reopened.close();
      }
    });

    it('two connections on one file, enqueues and `next` interleaved, never hand out the same msgid', () => {
      ctx = tempStore({ clock: new ManualClock(t.getTime()) });
      const other = openStore(ctx.path, { fixmedinsCode: HOSPITAL, clock: new ManualClock(t.getTime()) });
      try {
        const seen: string[] = [];
        for (let i = 0; i < 100; i++) {
          seen.push(enqueue(`A${i % 3}`).msgid);
          seen.push(other.write((tx) => other.outbox.enqueue(tx, { visitKey: `B${i % 3}`, infno: '2301', input: {} })).msgid);
          seen.push(i % 2 ? ctx.store.msgids.next(t) : other.msgids.next(t));
          if (i % 10 === 9) ctx.store.write((tx) => tx.db.prepare("DELETE FROM outbox WHERE id = (SELECT max(id) FROM outbox)").run());
        }
        expect(new Set(seen).size).toBe(300);
        expect([...seen].sort()).toEqual(seen); // and in the order they were handed out
      } finally {
        other.close();
      }
    });

    it('is only for the transaction that inserts the outbox row', () => {
      ctx = tempStore();
      expect(() => ctx.store.msgids.nextForOutboxRow(t)).toThrow(/write transaction/);
    });
  });

  it('property: any sequence of times gives strictly increasing, well-formed msgids', () => {
    ctx = tempStore();
    const seq = new SqliteMsgidSequence(ctx.store.db, 'H32130200090');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5_000, max: 5_000 }), { minLength: 1, maxLength: 60 }), (steps) => {
        let t = Date.parse('2026-06-01T00:00:00Z');
        let prev = '';
        for (const s of steps) {
          t += s;
          const id = seq.next(new Date(t));
          expect(id).toMatch(MSGID_PATTERN);
          expect(id > prev).toBe(true);
          expect(id.slice(12, 26) >= chinaStamp(new Date(Math.min(t, Date.parse('2026-06-01T00:00:00Z'))))).toBe(true);
          prev = id;
        }
      }),
      { numRuns: 50 },
    );
  });

  it('terminals sharing a fixmedins_code draw from disjoint parts of the counter space', () => {
    ctx = tempStore();
    const other = tempStore({ msgidPartition: { index: 3, count: 10 } });
    const mine = new SqliteMsgidSequence(ctx.store.db, HOSPITAL, { index: 0, count: 10 });
    const t = new Date('2026-03-02T01:02:03Z');
    const a = Array.from({ length: 1_001 }, () => mine.next(t));
    const b = Array.from({ length: 1_001 }, () => other.store.msgids.next(t));
    other.cleanup();
    expect(new Set([...a, ...b]).size).toBe(2_002);
    expect(a.slice(0, 3).map((m) => m.slice(-4))).toEqual(['0000', '0010', '0020']);
    expect(b.slice(0, 2).map((m) => m.slice(-4))).toEqual(['0003', '0013']);
    // 1,000 a second each; the 1,001st borrows the next second.
    expect(a[1_000]).toBe(`${HOSPITAL}202603020902040000`);
    expect(b[999]!.slice(-4)).toBe('9993');
    expect(b[1_000]).toBe(`${HOSPITAL}202603020902040003`);
    expect(() => new SqliteMsgidSequence(ctx.store.db, HOSPITAL, { index: 10, count: 10 })).toThrow(/partition/);
  });

  it('rejects a malformed fixmedins_code', () => {
    ctx = tempStore();
    expect(() => new SqliteMsgidSequence(ctx.store.db, 'H3202')).toThrow(/12 characters/);
  });
});

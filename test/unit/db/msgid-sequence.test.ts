import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openStore } from '../../../db/store.ts';
import { MSGID_PATTERN, SqliteMsgidSequence } from '../../../db/msgid-sequence.ts';
import { chinaStamp } from '../../../base/china-time.ts';
import { HOSPITAL, tempStore } from './helpers.ts';

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

import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../db/store.ts';
import { HOSPITAL, tempStore } from './helpers.ts';

const entry = (omsgid: string, createdAt: string) => ({
  omsgid,
  oinfno: '2304',
  psn_no: 'P1',
  insuplc_admdvs: '320200',
  visitKey: 'ZY2026000001',
  msgid: `${omsgid.slice(0, 26)}9${omsgid.slice(27)}`,
  operator: { opter: '1001', opter_name: '王护士', opter_type: '1' as const },
  createdAt,
  attempts: 0,
  lastAttemptAt: null,
  lastOutcome: null,
  lastError: null,
});

describe('SQLite stores of the platform client', () => {
  let ctx: ReturnType<typeof tempStore>;
  afterEach(() => ctx?.cleanup());

  it('reversal journal: add is durable and idempotent per omsgid; pending oldest first; complete closes it', () => {
    ctx = tempStore();
    const j = ctx.store.reversals;
    j.add(entry(`${HOSPITAL}202603020900000001`, '2026-03-02T01:00:01.000Z'));
    j.add(entry(`${HOSPITAL}202603020900000000`, '2026-03-02T01:00:00.000Z'));
    j.add({ ...entry(`${HOSPITAL}202603020900000000`, '2026-03-02T01:00:00.000Z'), psn_no: 'CHANGED' });
    expect(j.pending().map((e) => e.omsgid.slice(-4))).toEqual(['0000', '0001']);
    expect(j.pending()[0]!.psn_no).toBe('P1');
    j.recordAttempt(`${HOSPITAL}202603020900000000`, '2026-03-02T01:00:05.000Z', { outcome: 'failed', error: 'timeout' });
    ctx.store.close();
    // Survives a restart.
    const reopened = openStore(ctx.path, { fixmedinsCode: HOSPITAL });
    expect(reopened.reversals.pending()[0]).toMatchObject({ attempts: 1, lastOutcome: 'failed', lastError: 'timeout', operator: { opter: '1001' } });
    reopened.reversals.complete(`${HOSPITAL}202603020900000000`, '2026-03-02T01:00:06.000Z', 'reversed');
    expect(reopened.reversals.pending().map((e) => e.omsgid.slice(-4))).toEqual(['0001']);
    expect(reopened.reversals.get(`${HOSPITAL}202603020900000000`)).toMatchObject({ resolution: 'reversed', completedAt: '2026-03-02T01:00:06.000Z' });
    // Completing twice does not rewrite history.
    reopened.reversals.complete(`${HOSPITAL}202603020900000000`, '2026-03-09T00:00:00.000Z', 'resolved-manually', 'x');
    expect(reopened.reversals.get(`${HOSPITAL}202603020900000000`)!.resolution).toBe('reversed');
    reopened.close();
  });

  it('sign-in cache: the day’s sign_no survives a restart; removed after 9002', () => {
    ctx = tempStore();
    ctx.store.signInCache.put({ opter: '1001', day: '2026-03-02', sign_no: 'SN42', sign_time: '2026-03-02 08:00:00' });
    expect(ctx.store.signInCache.get('1001', '2026-03-02')).toEqual({ opter: '1001', day: '2026-03-02', sign_no: 'SN42', sign_time: '2026-03-02 08:00:00' });
    expect(ctx.store.signInCache.get('1001', '2026-03-03')).toBeNull();
    ctx.store.close();
    const reopened = openStore(ctx.path);
    expect(reopened.signInCache.get('1001', '2026-03-02')?.sign_no).toBe('SN42');
    reopened.signInCache.remove('1001', '2026-03-02');
    expect(reopened.signInCache.get('1001', '2026-03-02')).toBeNull();
    reopened.close();
  });

  it('what the client reads before every call is kept, and read again once another process has written the store', () => {
    ctx = tempStore();
    const other = openStore(ctx.path, { fixmedinsCode: HOSPITAL });
    try {
      ctx.store.signInCache.put({ opter: '1001', day: '2026-03-02', sign_no: 'SN42', sign_time: '2026-03-02 08:00:00' });
      expect(ctx.store.signInCache.get('1001', '2026-03-02')?.sign_no).toBe('SN42');
      expect(ctx.store.reversals.pending()).toEqual([]);
      // Kept, not read again, while no other connection wrote the file: a row changed behind the stores' back on this
      // very connection (nothing in the terminal does that) is not seen.
      ctx.store.db.prepare(`UPDATE sign_ins SET sign_no = 'BEHIND'`).run();
      const seen = { signIn: ctx.store.signInCache.get('1001', '2026-03-02'), pending: ctx.store.reversals.pending() };
      expect(seen).toEqual({ signIn: { opter: '1001', day: '2026-03-02', sign_no: 'SN42', sign_time: '2026-03-02 08:00:00' }, pending: [] });
      // Another process signs out and journals a 2601: both are seen at the next call.
      other.signInCache.remove('1001', '2026-03-02');
      other.reversals.add(entry(`${HOSPITAL}202603020900000000`, '2026-03-02T01:00:00.000Z'));
      expect(ctx.store.signInCache.get('1001', '2026-03-02')).toBeNull();
      expect(ctx.store.reversals.pending().map((e) => e.omsgid)).toEqual([`${HOSPITAL}202603020900000000`]);
      // And this connection's own writes through the stores, at once.
      other.reversals.complete(`${HOSPITAL}202603020900000000`, '2026-03-02T01:00:06.000Z', 'reversed');
      expect(ctx.store.reversals.pending()).toEqual([]);
      ctx.store.reversals.add(entry(`${HOSPITAL}202603020900000001`, '2026-03-02T01:00:01.000Z'));
      expect(ctx.store.reversals.pending()).toHaveLength(1);
      ctx.store.signInCache.put({ opter: '1001', day: '2026-03-02', sign_no: 'SN43', sign_time: '2026-03-02 09:00:00' });
      expect(ctx.store.signInCache.get('1001', '2026-03-02')?.sign_no).toBe('SN43');
      // A caller that changes what it got does not change what the next caller gets.
      ctx.store.signInCache.get('1001', '2026-03-02')!.sign_no = 'X';
      expect(ctx.store.signInCache.get('1001', '2026-03-02')?.sign_no).toBe('SN43');
    } finally {
      other.close();
    }
  });
});

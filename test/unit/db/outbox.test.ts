import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PLACEHOLDER, placeholdersIn, resolvePlaceholders, resolvePlaceholdersInJson, findPsnNo } from '../../../db/outbox/placeholders.ts';
import { OutboxStateError } from '../../../db/outbox/outbox.ts';
import type { EnqueueRequest } from '../../../db/outbox/types.ts';
import { openStore } from '../../../db/store.ts';
import { HOSPITAL, sampleAdmission, tempStore } from './helpers.ts';

const reversible = (infno: string) => ['2401', '2304', '2305'].includes(infno);

describe('outbox', () => {
  let ctx: ReturnType<typeof tempStore>;
  afterEach(() => ctx?.cleanup());

  const enqueue = (req: Omit<EnqueueRequest, 'msgid'>) =>
    ctx.store.write((tx) => ctx.store.outbox.enqueue(tx, { ...req, msgid: ctx.store.msgids.next(tx.now) }));

  it('enqueue must run inside the domain write transaction', () => {
    ctx = tempStore();
    expect(() => ctx.store.outbox.enqueue({ db: ctx.store.db, now: new Date() }, { visitKey: 'V', infno: '2401', input: {}, msgid: 'x' })).toThrow(/outside a transaction/);
  });

  it('the domain row and its outbox row commit together or not at all', () => {
    ctx = tempStore();
    expect(() =>
      ctx.store.write((tx) => {
        const adm = ctx.store.admissions.create(tx, sampleAdmission);
        ctx.store.outbox.enqueue(tx, { visitKey: adm.iptNo, infno: '2401', input: { mdtrtinfo: { psn_no: adm.psnNo } }, msgid: ctx.store.msgids.next(tx.now) });
        throw new Error('crash before commit');
      }),
    ).toThrow('crash before commit');
    expect(ctx.store.admissions.list()).toEqual([]);
    expect(ctx.store.outbox.status(ctx.clock.now()).depth).toBe(0);
  });

  it('claims only the head of each visit, oldest first, and never two items of one visit', () => {
    ctx = tempStore();
    const a1 = enqueue({ visitKey: 'A', infno: '2401', input: { mdtrtinfo: { psn_no: 'P1' } } });
    const a2 = enqueue({ visitKey: 'A', infno: '2301', input: {} });
    const b1 = enqueue({ visitKey: 'B', infno: '2401', input: {} });
    const a3 = enqueue({ visitKey: 'A', infno: '2303', input: {} });
    const first = ctx.store.write((tx) => ctx.store.outbox.claimNext(tx, { limit: 10 }));
    expect(first.map((c) => c.item.id)).toEqual([a1.id, b1.id]);
    expect(first[0]!.item.psnNo).toBe('P1');
    // While A's head is in flight nothing else of A is claimable.
    expect(ctx.store.write((tx) => ctx.store.outbox.claimNext(tx, { limit: 10 }))).toEqual([]);
    ctx.store.write((tx) => ctx.store.outbox.complete(tx, first[0]!, { result: { mdtrt_id: 'M1' } }));
    const next = ctx.store.write((tx) => ctx.store.outbox.claimNext(tx, { limit: 10 }));
    expect(next.map((c) => c.item.id)).toEqual([a2.id]);
    ctx.store.write((tx) => ctx.store.outbox.complete(tx, next[0]!, {}));
    expect(ctx.store.write((tx) => ctx.store.outbox.claimNext(tx, { limit: 10 })).map((c) => c.item.id)).toEqual([a3.id]);
  });

  it('claims ahead: accept filters the heads; a released claim is pending again as before, its attempt gone', () => {
    ctx = tempStore();
    const a1 = enqueue({ visitKey: 'A', infno: '2401', input: {} });
    const b1 = enqueue({ visitKey: 'B', infno: '2301', input: {} });
    const c1 = enqueue({ visitKey: 'C', infno: '2304', input: {} });
    const d1 = enqueue({ visitKey: 'D', infno: '2402', input: {} });
    const ahead = ctx.store.write((tx) => ctx.store.outbox.claimNext(tx, { limit: 10, accept: (c) => c.state === 'pending' && !reversible(c.infno) }));
    expect(ahead.map((c) => c.item.id)).toEqual([b1.id, d1.id]);
    expect(ctx.store.write((tx) => ctx.store.outbox.claimNext(tx, { limit: 0 }))).toEqual([]);
    ctx.store.write((tx) => ctx.store.outbox.release(tx, ahead[0]!));
    const released = ctx.store.outbox.get(b1.id)!;
    expect(released).toMatchObject({ state: 'pending', msgid: b1.msgid, attempts: 0 });
    expect(ctx.store.outbox.attempts(b1.id)).toEqual([]);
    expect(ctx.store.outbox.attempts(d1.id)).toHaveLength(1); // the other claim stands
    // Claimable again, first in line with the other heads.
    expect(ctx.store.write((tx) => ctx.store.outbox.claimNext(tx, { limit: 10 })).map((c) => c.item.id)).toEqual([a1.id, b1.id, c1.id]);
  });

  it('claimSlots: the free slots, then claims ahead once they are all taken, in one pass in queue order', () => {
    ctx = tempStore();
    const a1 = enqueue({ visitKey: 'A', infno: '2401', input: {} });
    const b1 = enqueue({ visitKey: 'B', infno: '2301', input: {} });
    const b2 = enqueue({ visitKey: 'B', infno: '2301', input: {} });
    const c1 = enqueue({ visitKey: 'C', infno: '2304', input: {} });
    const d1 = enqueue({ visitKey: 'D', infno: '2402', input: {} });
    const e1 = enqueue({ visitKey: 'E', infno: '2401', input: {} });
    const ahead = (c: { infno: string; state: string }) => c.state === 'pending' && !reversible(c.infno);
    // Two slots: A and B's first batch; then ahead: B's second batch (the run), D — never the reversible C or E.
    const first = ctx.store.write((tx) => ctx.store.outbox.claimSlots(tx, { free: 2, ahead: 4, alongside: '2301', acceptAhead: ahead }));
    expect(first.send.map((c) => c.item.id)).toEqual([a1.id, b1.id]);
    expect(first.ready.map((c) => c.item.id).sort((x, y) => x - y)).toEqual([b2.id, d1.id]);
    // More free slots than heads: nothing is claimed ahead (the slots were not all taken).
    const second = ctx.store.write((tx) => ctx.store.outbox.claimSlots(tx, { free: 5, ahead: 4, acceptAhead: ahead }));
    expect(second.send.map((c) => c.item.id)).toEqual([c1.id, e1.id]);
    expect(second.ready).toEqual([]);
    // Every claim has its attempt row, as claimNext's.
    for (const c of [...first.send, ...first.ready, ...second.send]) expect(ctx.store.outbox.attempts(c.item.id)).toHaveLength(1);
  });

  it('claimSlots walks only a little past the candidates its filter skips (CLAIM_LOOKAHEAD), and a whole run in one walk', () => {
    ctx = tempStore();
    // Ten stays not started (reversible 2401 heads, never claimed ahead), then one whose head may go ahead.
    for (let v = 0; v < 10; v++) enqueue({ visitKey: `V${v}`, infno: '2401', input: {} });
    const late = enqueue({ visitKey: 'L', infno: '2402', input: {} });
    const ahead = (c: { infno: string; state: string }) => c.state === 'pending' && !reversible(c.infno);
    // No free slot: only claims ahead; the 2402 is ten skipped heads down the queue, past the walk's reach.
    const far = ctx.store.write((tx) => ctx.store.outbox.claimSlots(tx, { free: 0, ahead: 4, acceptAhead: ahead }));
    expect(far).toEqual({ send: [], ready: [] });
    // Eight skipped heads before it: within reach.
    ctx = (ctx.cleanup(), tempStore());
    for (let v = 0; v < 8; v++) enqueue({ visitKey: `V${v}`, infno: '2401', input: {} });
    const near = enqueue({ visitKey: 'L', infno: '2402', input: {} });
    const b1 = enqueue({ visitKey: 'B', infno: '2301', input: {} });
    const b2 = enqueue({ visitKey: 'B', infno: '2301', input: {} });
    const b3 = enqueue({ visitKey: 'B', infno: '2301', input: {} });
    enqueue({ visitKey: 'B', infno: '2402', input: {} });
    const got = ctx.store.write((tx) => ctx.store.outbox.claimSlots(tx, { free: 0, ahead: 10, alongside: '2301', acceptAhead: ahead }));
    expect(got.ready.map((c) => c.item.id)).toEqual([near.id, b1.id, b2.id, b3.id]); // the run whole, not the 2402 behind it
    expect(got.send).toEqual([]);
    void late;
  });

  it('alongside: a run of 2301 batches of one visit goes out together, never past another transaction', () => {
    ctx = tempStore();
    const a1 = enqueue({ visitKey: 'A', infno: '2401', input: {} });
    const f1 = enqueue({ visitKey: 'A', infno: '2301', input: {} });
    const f2 = enqueue({ visitKey: 'A', infno: '2301', input: {} });
    const d = enqueue({ visitKey: 'A', infno: '2402', input: {} });
    const f3 = enqueue({ visitKey: 'A', infno: '2301', input: {} });
    const claim = (limit = 10) => ctx.store.write((tx) => ctx.store.outbox.claimNext(tx, { limit, alongside: '2301' }));
    const [c1] = claim();
    expect(c1!.item.id).toBe(a1.id); // the 2401 first, alone
    expect(claim()).toEqual([]);
    ctx.store.write((tx) => ctx.store.outbox.complete(tx, c1!, {}));
    const run = claim();
    expect(run.map((c) => c.item.id)).toEqual([f1.id, f2.id]); // both batches, not the 2402 behind them
    // The second batch back first: still nothing past the run while the first is open.
    ctx.store.write((tx) => ctx.store.outbox.complete(tx, run[1]!, {}));
    expect(claim()).toEqual([]);
    // A batch waiting to be resent (not in flight) holds the batches behind it as any item does.
    ctx.store.write((tx) => ctx.store.outbox.retryLater(tx, run[0]!, { state: 'pending', kind: 'offline', error: 'x', nextAttemptAt: tx.now.getTime() + 60_000 }));
    expect(claim()).toEqual([]);
    ctx.clock.advance(60_000);
    const again = claim();
    expect(again.map((c) => c.item.id)).toEqual([f1.id]);
    ctx.store.write((tx) => ctx.store.outbox.complete(tx, again[0]!, {}));
    expect(claim().map((c) => c.item.id)).toEqual([d.id]);
    // Without `alongside`, one at a time as before.
    ctx = (ctx.cleanup(), tempStore());
    enqueue({ visitKey: 'A', infno: '2301', input: {} });
    enqueue({ visitKey: 'A', infno: '2301', input: {} });
    expect(ctx.store.write((tx) => ctx.store.outbox.claimNext(tx, { limit: 10 }))).toHaveLength(1);
    void f3;
  });

  it('only a send claim can be released', () => {
    ctx = tempStore();
    enqueue({ visitKey: 'A', infno: '2401', input: {} });
    const [c] = ctx.store.write((tx) => ctx.store.outbox.claimNext(tx, { limit: 1 }));
    ctx.store.write((tx) => ctx.store.outbox.retryLater(tx, c!, { state: 'unknown-outcome', kind: 'unknown', error: 'x', nextAttemptAt: tx.now.getTime() }));
    const [r] = ctx.store.write((tx) => ctx.store.outbox.claimNext(tx, { limit: 1 }));
    expect(r!.action).toBe('reverse');
    expect(() => ctx.store.write((tx) => ctx.store.outbox.release(tx, r!))).toThrow(/only a send claim/);
    expect(ctx.store.outbox.get(r!.item.id)!.state).toBe('reversing');
  });

  it('a dead item holds its visit until an operator acts; other visits go on', () => {
    ctx = tempStore();
    const a1 = enqueue({ visitKey: 'A', infno: '2401', input: {} });
    enqueue({ visitKey: 'A', infno: '2301', input: {} });
    const b1 = enqueue({ visitKey: 'B', infno: '2401', input: {} });
    const [ca] = ctx.store.write((tx) => ctx.store.outbox.claimNext(tx, { limit: 1 }));
    ctx.store.write((tx) => ctx.store.outbox.deadLetter(tx, ca!, { reason: 'refused', error: '平台拒绝：诊断编码不存在' }));
    expect(ctx.store.write((tx) => ctx.store.outbox.claimNext(tx, { limit: 10 })).map((c) => c.item.id)).toEqual([b1.id]);
    const status = ctx.store.outbox.status(ctx.clock.now());
    expect(status).toMatchObject({ depth: 3, deadLetters: 1 });
    const retried = ctx.store.write((tx) => ctx.store.outbox.retryDead(tx, a1.id, ctx.store.msgids.next(tx.now), () => true));
    expect(retried.state).toBe('pending');
    expect(retried.msgid).not.toBe(a1.msgid);
    expect(retried.attempts).toBe(0);
  });

  it('backoff: an item is not claimed before next_attempt_at', () => {
    ctx = tempStore();
    enqueue({ visitKey: 'A', infno: '2301', input: {} });
    const [c] = ctx.store.write((tx) => ctx.store.outbox.claimNext(tx, { limit: 1 }));
    ctx.store.write((tx) => ctx.store.outbox.retryLater(tx, c!, { state: 'pending', kind: 'offline', error: 'ECONNREFUSED', nextAttemptAt: tx.now.getTime() + 5000 }));
    expect(ctx.store.write((tx) => ctx.store.outbox.claimNext(tx, { limit: 1 }))).toEqual([]);
    expect(ctx.store.outbox.nextDueAt()).toBe(ctx.clock.now().getTime() + 5000);
    ctx.clock.advance(5000);
    const again = ctx.store.write((tx) => ctx.store.outbox.claimNext(tx, { limit: 1 }));
    expect(again).toHaveLength(1);
    expect(again[0]!.msgid).toBe(c!.msgid); // same msgid: the idempotency key of every resend
    expect(again[0]!.item.attempts).toBe(2);
  });

  it('wakeOffline makes items that waited only for the network due at once', () => {
    ctx = tempStore();
    enqueue({ visitKey: 'A', infno: '2301', input: {} });
    enqueue({ visitKey: 'B', infno: '2301', input: {} });
    const claims = ctx.store.write((tx) => ctx.store.outbox.claimNext(tx, { limit: 2 }));
    ctx.store.write((tx) => ctx.store.outbox.retryLater(tx, claims[0]!, { state: 'pending', kind: 'offline', error: 'x', nextAttemptAt: tx.now.getTime() + 60_000 }));
    ctx.store.write((tx) => ctx.store.outbox.retryLater(tx, claims[1]!, { state: 'pending', kind: 'unknown', error: 'x', nextAttemptAt: tx.now.getTime() + 60_000 }));
    expect(ctx.store.write((tx) => ctx.store.outbox.wakeOffline(tx))).toBe(1);
    expect(ctx.store.write((tx) => ctx.store.outbox.claimNext(tx, { limit: 2 })).map((c) => c.item.visitKey)).toEqual(['A']);
  });

  it('recovery after a crash: reversible in-flight items become unknown-outcome, others pending under the same msgid', () => {
    ctx = tempStore();
    const a = enqueue({ visitKey: 'A', infno: '2401', input: {} });
    const b = enqueue({ visitKey: 'B', infno: '2301', input: {} });
    ctx.store.write((tx) => ctx.store.outbox.claimNext(tx, { limit: 2 }));
    // The process dies here. The next one:
    const recovered = ctx.store.write((tx) => ctx.store.outbox.recoverInterrupted(tx, reversible));
    expect(recovered.map((i) => [i.id, i.state])).toEqual([
      [a.id, 'unknown-outcome'],
      [b.id, 'pending'],
    ]);
    expect(ctx.store.outbox.get(b.id)!.msgid).toBe(b.msgid);
    expect(ctx.store.outbox.attempts(a.id).map((x) => x.outcome)).toEqual(['interrupted']);
    const claims = ctx.store.write((tx) => ctx.store.outbox.claimNext(tx, { limit: 2 }));
    expect(claims.map((c) => [c.item.id, c.action])).toEqual([
      [a.id, 'reverse'],
      [b.id, 'send'],
    ]);
    // A reversing item interrupted again is still unknown (its 2601 is repeated), never pending.
    const again = ctx.store.write((tx) => ctx.store.outbox.recoverInterrupted(tx, reversible));
    expect(again.find((i) => i.id === a.id)!.state).toBe('unknown-outcome');
  });

  it('a definite reversal gives the item a new msgid; the reversed one stays in the attempt history', () => {
    ctx = tempStore();
    const a = enqueue({ visitKey: 'A', infno: '2304', input: {} });
    const [send] = ctx.store.write((tx) => ctx.store.outbox.claimNext(tx, { limit: 1 }));
    ctx.store.write((tx) => ctx.store.outbox.retryLater(tx, send!, { state: 'unknown-outcome', kind: 'unknown', error: 'timeout', nextAttemptAt: tx.now.getTime() }));
    const [rev] = ctx.store.write((tx) => ctx.store.outbox.claimNext(tx, { limit: 1 }));
    expect(rev!.action).toBe('reverse');
    const reversalMsgid = ctx.store.msgids.next(ctx.clock.now());
    ctx.store.write((tx) => ctx.store.outbox.noteReversalMsgid(tx, rev!, reversalMsgid));
    const fresh = ctx.store.msgids.next(ctx.clock.now());
    ctx.store.write((tx) => ctx.store.outbox.reversed(tx, rev!, { newMsgid: fresh, reversalMsgid: null, nextAttemptAt: tx.now.getTime() }));
    const item = ctx.store.outbox.get(a.id)!;
    expect(item).toMatchObject({ state: 'pending', msgid: fresh, reversalMsgid: null });
    expect(ctx.store.outbox.attempts(a.id).map((x) => [x.infno, x.msgid, x.outcome])).toEqual([
      ['2304', a.msgid, 'unknown'],
      ['2601', reversalMsgid, 'ok'],
    ]);
  });

  it('operator actions refuse items whose outcome is unknown or in flight', () => {
    ctx = tempStore();
    const a = enqueue({ visitKey: 'A', infno: '2401', input: {} });
    ctx.store.write((tx) => ctx.store.outbox.claimNext(tx, { limit: 1 }));
    expect(() => ctx.store.write((tx) => ctx.store.outbox.cancel(tx, a.id, { reason: 'x' }))).toThrow(OutboxStateError);
    expect(() => ctx.store.write((tx) => ctx.store.outbox.retryDead(tx, a.id, 'm', () => true))).toThrow(OutboxStateError);
    expect(() => ctx.store.write((tx) => ctx.store.outbox.editDead(tx, a.id, {}, 'm'))).toThrow(OutboxStateError);
  });

  it('edit replaces the input and the msgid of a dead item', () => {
    ctx = tempStore();
    const a = enqueue({ visitKey: 'A', infno: '2401', input: { mdtrtinfo: { psn_no: 'P1', adm_diag_dscr: '错' } } });
    const [c] = ctx.store.write((tx) => ctx.store.outbox.claimNext(tx, { limit: 1 }));
    ctx.store.write((tx) => ctx.store.outbox.deadLetter(tx, c!, { reason: 'refused', error: '诊断不符' }));
    const fresh = ctx.store.msgids.next(ctx.clock.now());
    const edited = ctx.store.write((tx) => ctx.store.outbox.editDead(tx, a.id, { mdtrtinfo: { psn_no: 'P1', adm_diag_dscr: '对' } }, fresh));
    expect(edited).toMatchObject({ state: 'pending', msgid: fresh, input: { mdtrtinfo: { adm_diag_dscr: '对' } } });
  });

  it('payloads: a big input and answer are kept deflated, a small one as text, a text row of an older build still reads', () => {
    ctx = tempStore();
    const db = ctx.store.db;
    // A 2301 batch of 50 lines, as the charges service queues it (about 20 KB of JSON).
    const feedetail = Array.from({ length: 50 }, (_, i) => ({ feedetl_sn: `F${i}`, mdtrt_id: PLACEHOLDER.mdtrtId, psn_no: 'P1', med_list_codg: 'X001', medins_list_codg: 'H001', det_item_fee_sumamt: '30.00', cnt: '1', pric: '30.00', fee_ocur_time: '2026-03-02 10:00:00', bilg_dept_codg: 'A03', bilg_dr_codg: 'D001', hosp_appr_flag: '1' }));
    const big = enqueue({ visitKey: 'A', infno: '2301', input: { feedetail } });
    const small = enqueue({ visitKey: 'B', infno: '2401', input: { mdtrtinfo: { psn_no: 'P2' } } });
    const stored = (id: number) => db.prepare<[number], { kind: string; bytes: number }>('SELECT typeof(input_json) AS kind, length(input_json) AS bytes FROM outbox_inputs WHERE outbox_id = ?').get(id)!;
    expect(stored(big.id).kind).toBe('blob');
    expect(stored(big.id).bytes).toBeLessThan(JSON.stringify({ feedetail }).length / 5);
    expect(stored(small.id)).toMatchObject({ kind: 'text' });
    expect(ctx.store.outbox.get(big.id)!.input).toEqual({ feedetail });
    // Claimed, it goes out with its whole input; its answer is kept deflated too and reads back as given.
    const claims = ctx.store.write((tx) => ctx.store.outbox.claimNext(tx, { limit: 2 }));
    const claim = claims.find((c) => c.item.id === big.id)!;
    expect(claim.item.input).toEqual({ feedetail });
    const answer = { result: feedetail.map((l) => ({ feedetl_sn: l.feedetl_sn, det_item_fee_sumamt: 30, fulamt_ownpay_amt: 0, pric_uplmt_amt: 99999 })) };
    ctx.clock.advance(1_000);
    const written = ctx.store.write((tx) => ctx.store.outbox.complete(tx, claim, answer));
    // What complete returns is the item as it is now on disk (the relay reports it without reading it back).
    expect(written).toEqual(ctx.store.outbox.get(big.id));
    expect(written).toMatchObject({ state: 'done', doneAt: ctx.clock.now().getTime(), updatedAt: ctx.clock.now().getTime(), attempts: 1 });
    expect(db.prepare('SELECT typeof(output_json) FROM outbox_outputs WHERE outbox_id = ?').pluck().get(big.id)).toBe('blob');
    expect(ctx.store.outbox.outputOf(big.id)).toEqual(answer);
    expect(ctx.store.outbox.get(big.id)).toMatchObject({ state: 'done', output: answer });
    // A row as a build before deflate wrote it (JSON text, however big) reads as before.
    db.prepare('UPDATE outbox_inputs SET input_json = ? WHERE outbox_id = ?').run(JSON.stringify({ feedetail }), big.id);
    expect(ctx.store.outbox.get(big.id)!.input).toEqual({ feedetail });
  });

  it('an id is never handed out twice, even after the newest items are purged, across a reopen and two connections', () => {
    ctx = tempStore();
    const ids = [1, 2, 3].map(() => enqueue({ visitKey: 'A', infno: '2301', input: {} }).id);
    expect(ids).toEqual([1, 2, 3]);
    // Audit rows name `outbox:<id>`: a purged id must not come back as another item.
    ctx.store.write((tx) => tx.db.prepare('DELETE FROM outbox WHERE id >= 2').run());
    expect(enqueue({ visitKey: 'A', infno: '2301', input: {} }).id).toBe(4);
    ctx.store.write((tx) => tx.db.prepare('DELETE FROM outbox').run());
    ctx.store.close();
    ctx.store = openStore(ctx.path, { fixmedinsCode: HOSPITAL, clock: ctx.clock });
    const other = openStore(ctx.path, { fixmedinsCode: HOSPITAL, clock: ctx.clock });
    try {
      expect(enqueue({ visitKey: 'A', infno: '2301', input: {} }).id).toBe(5);
      expect(other.write((tx) => other.outbox.enqueue(tx, { visitKey: 'B', infno: '2301', input: {} })).id).toBe(6);
      // No AUTOINCREMENT counter to write at every insert (migration 17).
      expect(ctx.store.db.prepare("SELECT count(*) FROM sqlite_sequence WHERE name = 'outbox'").pluck().get()).toBe(0);
    } finally {
      other.close();
      ctx.store.close();
    }
  });

  it("a visit's open items and all its items, in id order, from one by-visit index", () => {
    ctx = tempStore();
    const items = ['2401', '2301', '2301', '2402', '2303'].map((infno) => enqueue({ visitKey: 'A', infno, input: {} }));
    enqueue({ visitKey: 'B', infno: '2401', input: {} });
    // Done and open items interleaved in id order: 1 done, 2 open, 3 done, 4 cancelled, 5 open.
    const setState = ctx.store.db.prepare('UPDATE outbox SET state = ? WHERE id = ?');
    for (const [i, state] of [[0, 'done'], [2, 'done'], [3, 'cancelled']] as const) setState.run(state, items[i]!.id);
    expect(ctx.store.outbox.laterOpenIds('A', 0)).toEqual([items[1]!.id, items[4]!.id]);
    expect(ctx.store.outbox.laterOpenIds('A', items[1]!.id)).toEqual([items[4]!.id]);
    expect(ctx.store.outbox.laterOpen('A', 0).map((i) => i.id)).toEqual([items[1]!.id, items[4]!.id]);
    expect(ctx.store.outbox.statesByVisit('A').map((i) => [i.id, i.state])).toEqual(items.map((item, i) => [item.id, ['done', 'pending', 'done', 'cancelled', 'pending'][i]]));
    expect(ctx.store.outbox.listByVisit('A').map((i) => i.id)).toEqual(items.map((i) => i.id));
    // One index by visit (migration 17): a second one of the open items was a page more per enqueue.
    expect(ctx.store.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'outbox' AND name LIKE '%visit%'").pluck().all()).toEqual(['outbox_by_visit']);
  });

  it('status: depth, oldest age, dead letters', () => {
    ctx = tempStore();
    expect(ctx.store.outbox.status(ctx.clock.now())).toMatchObject({ depth: 0, oldestAgeSeconds: null, deadLetters: 0 });
    enqueue({ visitKey: 'A', infno: '2401', input: {} });
    ctx.clock.advance(90_000);
    enqueue({ visitKey: 'B', infno: '2401', input: {} });
    ctx.clock.advance(10_000);
    expect(ctx.store.outbox.status(ctx.clock.now())).toMatchObject({ depth: 2, oldestAgeSeconds: 100, deadLetters: 0, byState: { pending: 2 } });
  });
});

describe('placeholders', () => {
  it('are resolved where they stand, and a missing value is reported instead of sent', () => {
    const input = { feedetail: [{ mdtrt_id: PLACEHOLDER.mdtrtId, psn_no: 'P1', memo: 'x {{mdtrt_id}}' }], data: { setl_id: PLACEHOLDER.setlId } };
    expect([...placeholdersIn(input)].sort()).toEqual(['mdtrt_id', 'setl_id']);
    expect(resolvePlaceholders(input, { mdtrt_id: 'M1' })).toEqual({ ok: false, missing: ['setl_id'] });
    expect(resolvePlaceholders(input, { mdtrt_id: 'M1', setl_id: 'S1' })).toEqual({
      ok: true,
      value: { feedetail: [{ mdtrt_id: 'M1', psn_no: 'P1', memo: 'x {{mdtrt_id}}' }], data: { setl_id: 'S1' } },
    });
    // Asked by name: once per name the input holds, never for one it does not hold.
    const asked: string[] = [];
    const ask = (name: string) => (asked.push(name), name === 'mdtrt_id' ? 'M1' : null);
    expect(resolvePlaceholders({ feedetail: [{ mdtrt_id: PLACEHOLDER.mdtrtId }, { mdtrt_id: PLACEHOLDER.mdtrtId }] }, ask)).toEqual({
      ok: true,
      value: { feedetail: [{ mdtrt_id: 'M1' }, { mdtrt_id: 'M1' }] },
    });
    expect(asked).toEqual(['mdtrt_id']);
    expect(resolvePlaceholders(input, ask)).toEqual({ ok: false, missing: ['setl_id'] });
    expect(resolvePlaceholders({ a: 1, b: ['x'] }, () => { throw new Error('nothing to ask'); })).toEqual({ ok: true, value: { a: 1, b: ['x'] } });
    // Only a whole-string token is one: other strings (empty, braced, or with the token inside) go as they are.
    const lookalikes = { a: '', b: '{{other}}', c: '{{mdtrt_id}} ', d: '{', e: ['{x}', 0, null, true] };
    expect(resolvePlaceholders(lookalikes, () => { throw new Error('nothing to ask'); })).toEqual({ ok: true, value: lookalikes });
    expect(findPsnNo(input)).toBe('P1');
  });

  it('resolves placeholders in an input\'s JSON text to the text of what the walk over the parsed input gives', () => {
    const values = { mdtrt_id: 'M"1$&\\', setl_id: 'S1' };
    const input = { feedetail: [{ mdtrt_id: PLACEHOLDER.mdtrtId, psn_no: 'P1', memo: 'x {{mdtrt_id}}' }, { mdtrt_id: PLACEHOLDER.mdtrtId }], data: { setl_id: PLACEHOLDER.setlId } };
    const walked = resolvePlaceholders(input, values);
    expect(resolvePlaceholdersInJson(JSON.stringify(input), values)).toEqual(walked.ok ? { ok: true, json: JSON.stringify(walked.value) } : walked);
    expect(resolvePlaceholdersInJson(JSON.stringify(input), { mdtrt_id: 'M1' })).toEqual({ ok: false, missing: ['setl_id'] });
    expect(resolvePlaceholdersInJson(JSON.stringify(input), { setl_id: '' })).toEqual({ ok: false, missing: ['mdtrt_id', 'setl_id'] });
    // Asked once per name the text holds, never for one it does not hold.
    const asked: string[] = [];
    expect(resolvePlaceholdersInJson(JSON.stringify({ a: [PLACEHOLDER.mdtrtId, PLACEHOLDER.mdtrtId] }), (name) => (asked.push(name), 'M1'))).toEqual({ ok: true, json: '{"a":["M1","M1"]}' });
    expect(asked).toEqual(['mdtrt_id']);
    // A token inside a longer string after a quote, or as a key, is not a value the walk would replace: the caller walks.
    expect(resolvePlaceholdersInJson(JSON.stringify({ memo: 'say "{{mdtrt_id}}' }), values)).toBeNull();
    expect(resolvePlaceholdersInJson(JSON.stringify({ [PLACEHOLDER.mdtrtId]: 1 }), values)).toBeNull();
    expect(resolvePlaceholdersInJson(JSON.stringify({ memo: '\\"{{setl_id}}' }), values)).toBeNull();
    const lookalikes = { a: '', b: '{{other}}', c: '{{mdtrt_id}} ', d: '{', e: ['{x}', 0, null, true] };
    expect(resolvePlaceholdersInJson(JSON.stringify(lookalikes), () => { throw new Error('nothing to ask'); })).toEqual({ ok: true, json: JSON.stringify(lookalikes) });
  });

  it('the text resolution agrees with the walk on any JSON input, or leaves it to the walk', () => {
    const token = fc.constantFrom(PLACEHOLDER.mdtrtId, PLACEHOLDER.setlId, '"{{mdtrt_id}}"', '\\', '{{setl_id}}:');
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.string(), token, fc.integer(), fc.constant(null), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.oneof(fc.string(), token), tie('node'), { maxKeys: 4 })),
    })).node;
    const values = fc.record({ mdtrt_id: fc.oneof(fc.constant(''), fc.string()), setl_id: fc.oneof(fc.constant(''), fc.string()) });
    fc.assert(
      fc.property(value, values, (v, vals) => {
        const inText = resolvePlaceholdersInJson(JSON.stringify(v), vals);
        if (inText === null) return;
        const walked = resolvePlaceholders(JSON.parse(JSON.stringify(v)), vals);
        expect(inText).toEqual(walked.ok ? { ok: true, json: JSON.stringify(walked.value) } : walked);
      }),
      { numRuns: 3000 },
    );
  });
});

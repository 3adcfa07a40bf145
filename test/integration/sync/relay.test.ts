import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Store } from '../../../db/store.ts';
import { Relay, type RelayEvent } from '../../../services/sync/relay.ts';
import { cancelItem, editItem, retryItem } from '../../../services/sync/operator-actions.ts';
import { fullJitterDelay } from '../../../services/sync/backoff.ts';
import { SimulatedPlatform, type Fault } from './simulated-platform.ts';
import { cardiologyAdmission, queueStay, realStore, tempDir, waitUntil, type Visit } from './helpers.ts';
import { createWriteBackTable } from '../../../services/write-back-table.ts';

/**
 * The relay's state machine against a simulated platform behind its port (a real SQLite file, real timers).
 * The same relay against the real sandbox over HTTP, with processes killed, is in crash.test.ts.
 */
describe('relay', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  let relay: Relay | null = null;
  /** The current relay's start (lease taken, recovery done). */
  let started: Promise<void> = Promise.resolve();
  const events: RelayEvent[] = [];

  afterEach(async () => {
    await relay?.stop();
    relay = null;
    store?.close();
    dir?.cleanup();
    events.length = 0;
  });

  function start(platform: SimulatedPlatform, options: { concurrency?: number; backoff?: { baseMs: number; capMs: number }; random?: () => number } = {}): Relay {
    relay = new Relay({ writeBack: createWriteBackTable(),
      store,
      platform,
      concurrency: options.concurrency ?? 3,
      backoff: options.backoff ?? { baseMs: 5, capMs: 40 },
      ...(options.random ? { random: options.random } : {}),
      probeBackoff: { baseMs: 5, capMs: 40 },
      // Fault mixes here reverse one item many times: paced, but without a cap (the cap has its own test).
      reversalBackoff: { baseMs: 5, capMs: 40 },
      maxReversals: 1_000,
      onEvent: (e) => events.push(e),
    });
    started = relay.start();
    return relay;
  }

  const open = () => store.outbox.status(store.clock.now()).depth;
  const drained = () => open() === 0;

  /** The effects the platform kept for a visit, in the order it applied them. */
  const liveOf = (p: SimulatedPlatform, v: Visit) => p.live().filter((e) => e.visitKey === v.iptNo);

  function expectExactlyOnceInOrder(p: SimulatedPlatform, visits: Visit[]) {
    for (const v of visits) {
      const live = liveOf(p, v);
      expect(live.map((e) => e.infno)).toEqual(v.items.map((i) => i.infno));
      // Same inputs, placeholders resolved with the mdtrt_id of the 2401 that stands.
      const mdtrtId = (live[0]!.output as { result: { mdtrt_id: string } }).result.mdtrt_id;
      expect(JSON.stringify(live.slice(1).map((e) => e.input))).not.toContain('{{');
      for (const e of live.slice(1)) expect(JSON.stringify(e.input)).toContain(mdtrtId);
      expect(store.admissions.get(v.iptNo)!.mdtrtId).toBe(mdtrtId);
    }
  }

  it('sends each visit in order, visits interleaved, and writes the results back', async () => {
    dir = tempDir();
    store = realStore(dir.dir);
    const p = new SimulatedPlatform();
    p.latencyMs = 3;
    const visits = ['P1', 'P2', 'P3', 'P4'].map((psnNo) => queueStay(store, { psnNo, feeBatches: 3, settle: true }));
    start(p);
    await waitUntil(drained, 'the queue to drain');
    expectExactlyOnceInOrder(p, visits);
    // Interleaved: the platform saw a second visit before the first was finished.
    const order = p.effects.map((e) => e.visitKey);
    expect(order.lastIndexOf(visits[0]!.iptNo)).toBeGreaterThan(order.indexOf(visits[1]!.iptNo));
    for (const v of visits) {
      expect(store.admissions.get(v.iptNo)!.status).toBe('settled');
      expect(store.feeLines.byVisit(v.iptNo).every((l) => l.state === 'uploaded' && l.inscpScpFen === 100)).toBe(true);
      expect(store.settlements.liveFor(v.iptNo)).toMatchObject({ status: 'settled', hifpPayFen: 200, psnCashPayFen: 100 });
      expect(store.settlements.liveFor(v.iptNo)!.msgid).toBe(v.items.at(-1)!.msgid);
    }
  });

  /**
   * The platform as the claim-ahead tests watch it: at each request, what the store holds in flight. A request
   * must be for an item claimed on disk; reversible items in flight on disk must be out at the platform or
   * answered (never claimed ahead); `pipelined` counts requests sent while an earlier answer was not yet
   * written back (a slot refilled before that result's commit).
   */
  class WatchedPlatform extends SimulatedPlatform {
    out = new Set<string>();
    answered = new Set<string>();
    maxOut = 0;
    pipelined = 0;
    readonly violations: string[] = [];
    override async send(req: Parameters<SimulatedPlatform['send']>[0]): Promise<unknown> {
      const inFlight = store.outbox.list({ states: ['in-flight'], limit: 10_000 });
      if (!inFlight.some((i) => i.msgid === req.msgid)) this.violations.push(`${req.infno} ${req.msgid} sent without a claim on disk`);
      if (inFlight.some((i) => this.answered.has(i.msgid))) this.pipelined++;
      this.out.add(req.msgid);
      this.maxOut = Math.max(this.maxOut, this.out.size);
      // After the relay's turn (the other sends of the same commit have been handed over too): whatever is in
      // flight on disk and reversible is out at the platform or answered, never waiting as a claim ahead.
      await new Promise((r) => setImmediate(r));
      for (const i of store.outbox.list({ states: ['in-flight'], limit: 10_000 })) {
        if (['2401', '2304', '2305'].includes(i.infno) && !this.out.has(i.msgid) && !this.answered.has(i.msgid)) this.violations.push(`${i.infno} ${i.msgid} claimed ahead`);
      }
      try {
        const answer = await super.send(req);
        this.answered.add(req.msgid);
        return answer;
      } finally {
        this.out.delete(req.msgid);
      }
    }
  }

  it('claims ahead: a freed slot is refilled at once from claims already on disk, never more than `concurrency` out, never a reversible item ahead', async () => {
    dir = tempDir();
    store = realStore(dir.dir);
    const p = new WatchedPlatform();
    p.latencyMs = 3;
    const visits = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'].map((psnNo) => queueStay(store, { psnNo, feeBatches: 4, settle: true }));
    start(p, { concurrency: 2 });
    await waitUntil(drained, 'the queue to drain');
    expectExactlyOnceInOrder(p, visits);
    expect(p.violations).toEqual([]);
    expect(p.maxOut).toBeLessThanOrEqual(2);
    expect(p.pipelined).toBeGreaterThan(0);
    // Every attempt on record was sent: no claim ahead was left behind as an attempt that never happened.
    for (const v of visits) for (const i of v.items) expect(store.outbox.attempts(i.id).every((a) => a.outcome === 'ok')).toBe(true);
  });

  it('never more than `concurrency` out while results are committed and claims ahead wait in memory', async () => {
    // Many fee batches (claimed ahead) and answers of uneven latency: results come back while commits run and
    // claims ahead wait in memory, the case where a commit's own results were once counted twice as freed slots.
    dir = tempDir();
    store = realStore(dir.dir);
    const p = new WatchedPlatform();
    let n = 0;
    Object.defineProperty(p, 'latencyMs', { get: () => 8 + 3 * (n++ % 5) });
    const visits = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8'].map((psnNo) => queueStay(store, { psnNo, feeBatches: 12, settle: true }));
    start(p, { concurrency: 8 });
    await waitUntil(drained, 'the queue to drain');
    expectExactlyOnceInOrder(p, visits);
    expect(p.violations).toEqual([]);
    expect(p.pipelined).toBeGreaterThan(0);
    expect(p.maxOut).toBeLessThanOrEqual(8);
  });

  it('a stay\'s consecutive fee batches (2301) are in flight together, never alongside another transaction of the stay', async () => {
    dir = tempDir();
    store = realStore(dir.dir);
    const p = new WatchedPlatform();
    p.latencyMs = 5;
    const v = queueStay(store, { psnNo: 'P1', feeBatches: 6, settle: true });
    let together = 0;
    const send = p.send.bind(p);
    p.send = async (req) => {
      const out = [...p.out].map((m) => v.items.find((i) => i.msgid === m)?.infno);
      if (out.length > 0 && (req.infno !== '2301' || out.some((i) => i !== '2301'))) p.violations.push(`${req.infno} sent while ${out.join(',')} out`);
      if (out.length > 0) together++;
      return send(req);
    };
    start(p, { concurrency: 4 });
    await waitUntil(drained, 'the queue to drain');
    expectExactlyOnceInOrder(p, [v]);
    expect(p.violations).toEqual([]);
    expect(together).toBeGreaterThan(0);
    expect(p.maxOut).toBeLessThanOrEqual(4);
  });

  it('claims with the transaction that queued an item when idle: sent once that is committed, no commit of its own; rolled back, nothing; busy, its own commit claims', async () => {
    dir = tempDir();
    store = realStore(dir.dir);
    const reader = realStore(dir.dir); // another connection sees only what is committed
    const p = new SimulatedPlatform();
    p.latencyMs = 20;
    const seenAtSend: string[] = [];
    const send = p.send.bind(p);
    p.send = (req) => {
      const item = reader.outbox.list({ states: ['in-flight'], limit: 100 }).find((i) => i.msgid === req.msgid);
      seenAtSend.push(`${req.infno}:${item ? 'in-flight on disk' : 'NOT on disk'}:${store.db.inTransaction ? 'in a transaction' : 'after it'}`);
      return send(req);
    };
    start(p);
    await started;
    /** An admission and its 2401 in one transaction, the relay asked to claim there; `fail` rolls it back. */
    const admit = (psnNo: string, fail = false) =>
      store.write((tx) => {
        const sentBefore = seenAtSend.length;
        const adm = store.admissions.create(tx, cardiologyAdmission(psnNo, '320200', '2026-03-02 09:00:00'));
        const item = store.outbox.enqueue(tx, {
          visitKey: adm.iptNo,
          infno: '2401',
          input: { mdtrtinfo: { psn_no: psnNo, ipt_no: adm.iptNo, insutype: '310', med_type: '21', adm_diag_dscr: adm.diagCode }, diseinfo: [] },
          msgid: store.msgids.next(tx.now),
          envelope: { insuplc_admdvs: '320200' },
        });
        const claimed = relay!.claimWith(tx, [item]);
        expect(seenAtSend).toHaveLength(sentBefore); // nothing goes out before the commit
        if (fail) throw new Error('the domain refused it');
        return { item, claimed };
      });

    // A transaction on another connection to the store cannot carry the relay's claims.
    expect(() => reader.write((tx) => relay!.claimWith(tx, []))).toThrow(/not on the relay's store connection/);

    // Rolled back: nothing sent, nothing left claimed in the relay.
    const effectsBefore = p.effects.length;
    expect(() => admit('P0', true)).toThrow('the domain refused it');
    await new Promise((r) => setTimeout(r, 50));
    expect(p.effects.length).toBe(effectsBefore);
    expect(relay!.inFlight).toBe(0);

    // Nothing queued by the caller: an idle relay (as the next admission shows) claims nothing in its transaction,
    // even with an item due there.
    expect(() =>
      store.write((tx) => {
        const adm = store.admissions.create(tx, cardiologyAdmission('P9', '320200', '2026-03-02 09:00:00'));
        const due = store.outbox.enqueue(tx, { visitKey: adm.iptNo, infno: '2401', input: { mdtrtinfo: { psn_no: 'P9', ipt_no: adm.iptNo } }, envelope: { insuplc_admdvs: '320200' } });
        expect(relay!.claimWith(tx, [])).toBe(false);
        expect(store.outbox.stateOf(due.id)?.state).toBe('pending');
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');

    // Idle: claimed in the enqueue's own commit (in flight as soon as it returns: nothing else ran), sent after it.
    const first = admit('P1');
    expect(first.claimed).toBe(true);
    expect(store.outbox.stateOf(first.item.id)!.state).toBe('in-flight');
    // Busy (the first is out): the relay claims the second in a commit of its own once kicked.
    const second = admit('P2');
    expect(second.claimed).toBe(false);
    expect(store.outbox.stateOf(second.item.id)!.state).toBe('pending');
    const done = await relay!.waitFor(first.item.id);
    expect(done.state).toBe('done');
    relay!.kick();
    await waitUntil(drained, 'the queue to drain');
    expect(seenAtSend).toEqual(['2401:in-flight on disk:after it', '2401:in-flight on disk:after it']);
    expect(store.outbox.attempts(first.item.id).map((a) => a.outcome)).toEqual(['ok']);
    expect(store.admissions.get(first.item.visitKey)!.mdtrtId).toBeTruthy();
    reader.close();
  });

  it('claims ahead are released when the relay stops: pending again under their msgid, no attempt on record', async () => {
    dir = tempDir();
    store = realStore(dir.dir);
    const p = new WatchedPlatform();
    p.latencyMs = 40;
    const visits = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'].map((psnNo) => queueStay(store, { psnNo, feeBatches: 6 }));
    start(p, { concurrency: 2 });
    const claimedAhead = () => store.outbox.list({ states: ['in-flight'], limit: 100 }).filter((i) => !p.out.has(i.msgid) && !p.answered.has(i.msgid));
    await waitUntil(() => claimedAhead().length > 0, 'claims ahead');
    const ahead = claimedAhead();
    await relay!.stop();
    relay = null;
    expect(store.outbox.list({ states: ['in-flight', 'reversing'], limit: 100 })).toEqual([]);
    for (const i of ahead) {
      const now = store.outbox.get(i.id)!;
      if (p.calls.some((c) => c.msgid === i.msgid)) continue; // sent after all, before the stop took effect
      expect(now).toMatchObject({ state: 'pending', msgid: i.msgid, attempts: i.attempts - 1 });
      expect(store.outbox.attempts(i.id).filter((a) => a.msgid === i.msgid && a.finishedAt === null)).toEqual([]);
    }
    // A new relay takes them from there.
    start(p, { concurrency: 2 });
    await waitUntil(drained, 'the queue to drain');
    expectExactlyOnceInOrder(p, visits);
    expect(p.violations).toEqual([]);
  });

  it('offline: nothing is lost, the probe wakes the relay when the platform is back', async () => {
    dir = tempDir();
    store = realStore(dir.dir);
    const p = new SimulatedPlatform();
    p.online = false;
    const visits = ['P1', 'P2'].map((psnNo) => queueStay(store, { psnNo }));
    start(p);
    await waitUntil(() => events.some((e) => e.type === 'offline'), 'the relay to notice');
    await new Promise((r) => setTimeout(r, 100));
    expect(relay!.online).toBe(false);
    expect(p.effects).toEqual([]);
    const probesWhileOff = p.calls.length;
    expect(probesWhileOff).toBeLessThanOrEqual(2); // it stopped sending and probes instead
    expect(store.outbox.list({ states: ['pending'] })[0]!.lastErrorKind).toBe('offline');
    p.online = true;
    await waitUntil(drained, 'the queue to drain after the platform came back');
    expect(events.some((e) => e.type === 'online')).toBe(true);
    expectExactlyOnceInOrder(p, visits);
  });

  it('unknown outcome of a non-reversible transaction: the same msgid again, applied once', async () => {
    dir = tempDir();
    store = realStore(dir.dir);
    const p = new SimulatedPlatform();
    p.fault('2301', 'lost-after', 'lost-before', 'lost-after');
    const v = queueStay(store, { psnNo: 'P1', feeBatches: 2 });
    start(p);
    await waitUntil(drained, 'the queue to drain');
    expectExactlyOnceInOrder(p, [v]);
    const first2301 = v.items[1]!;
    const sent = p.calls.filter((c) => c.msgid === first2301.msgid);
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(store.outbox.get(first2301.id)!.msgid).toBe(first2301.msgid);
  });

  it('unknown outcome of 2401 with the 2601 not yet possible: reversal first, then a NEW msgid', async () => {
    dir = tempDir();
    store = realStore(dir.dir);
    const p = new SimulatedPlatform();
    p.fault('2401', 'lost-after');
    p.fault('2601', 'reverse-offline', 'reverse-offline');
    const v = queueStay(store, { psnNo: 'P1', feeBatches: 1, settle: true });
    const original = v.items[0]!.msgid;
    start(p);
    await waitUntil(drained, 'the queue to drain');
    // The platform applied 2401 twice: once under the original msgid (reversed) and once under a new one.
    const admissions = p.effects.filter((e) => e.infno === '2401');
    expect(admissions.map((e) => [e.msgid === original, e.reversed])).toEqual([
      [true, true],
      [false, false],
    ]);
    expectExactlyOnceInOrder(p, [v]);
    // The original msgid was never sent again after its outcome became unknown.
    expect(p.calls.filter((c) => c.msgid === original)).toHaveLength(1);
    const item = store.outbox.get(v.items[0]!.id)!;
    expect(item.msgid).not.toBe(original);
    const audit = store.audit.list({ subject: `outbox:${item.id}` });
    expect(audit).toContainEqual(expect.objectContaining({ action: 'outbox.reversed', detail: expect.objectContaining({ omsgid: original, newMsgid: item.msgid }) }));
    // The relay's first 2601 found no connection: recorded as offline (not sent), and the item waited for the platform.
    expect(store.outbox.attempts(item.id).map((a) => [a.infno, a.outcome])).toEqual([
      ['2401', 'unknown'],
      ['2601', 'offline'],
      ['2601', 'ok'],
      ['2401', 'ok'],
    ]);
  });

  it('unknown outcome of 2304 reversed inline by the client: a new msgid at once, one settlement', async () => {
    dir = tempDir();
    store = realStore(dir.dir);
    const p = new SimulatedPlatform();
    p.fault('2304', 'lost-after');
    const v = queueStay(store, { psnNo: 'P1', feeBatches: 1, settle: true });
    start(p);
    await waitUntil(drained, 'the queue to drain');
    expectExactlyOnceInOrder(p, [v]);
    expect(p.effects.filter((e) => e.infno === '2304').map((e) => e.reversed)).toEqual([true, false]);
    const setl = store.settlements.liveFor(v.iptNo)!;
    expect(setl.setlId).toBe((p.live().find((e) => e.infno === '2304')!.output as { setlinfo: { setl_id: string } }).setlinfo.setl_id);
    expect(setl.msgid).toBe(store.outbox.get(v.items.at(-1)!.id)!.msgid);
    // The attempt history names the lost attempt, the client's 2601 (its own msgid) and the fresh attempt.
    expect(store.outbox.attempts(v.items.at(-1)!.id).map((a) => [a.infno, a.outcome, a.msgid.startsWith('R') ? 'R' : 'M'])).toEqual([
      ['2304', 'unknown', 'M'],
      ['2601', 'ok', 'R'],
      ['2304', 'ok', 'M'],
    ]);
  });

  it.each([
    { where: 'the inline 2601 (in the send)', offlineReversals: 1 },
    { where: 'the inline 2601 and the relay\'s next one', offlineReversals: 2 },
  ])('unknown outcome of 2304 whose 2601 finds no connection ($where): it waits for the platform as offline and reverses the moment it is back, not after its backoff', async ({ offlineReversals }) => {
    dir = tempDir();
    store = realStore(dir.dir);
    const p = new SimulatedPlatform();
    p.fault('2304', 'lost-after');
    p.fault('2601', ...Array.from({ length: offlineReversals }, () => 'reverse-offline' as const));
    const v = queueStay(store, { psnNo: 'P1', feeBatches: 1, settle: true });
    // An item's own retry would come a minute later (the production cap is 5 minutes); the probe is quick.
    start(p, { backoff: { baseMs: 60_000, capMs: 60_000 }, random: () => 0.99 });
    await waitUntil(() => events.some((e) => e.type === 'offline'), 'the relay to take the 2601 without a connection as offline', 5_000);
    await waitUntil(drained, 'the 2601 and the fresh 2304 once the probe finds the platform back', 5_000);
    expect(events.some((e) => e.type === 'online')).toBe(true);
    expectExactlyOnceInOrder(p, [v]);
    expect(p.effects.filter((e) => e.infno === '2304').map((e) => e.reversed)).toEqual([true, false]);
  });

  it('a refusal is a dead letter that holds its visit; retry sends it under a new msgid; all audited', async () => {
    dir = tempDir();
    store = realStore(dir.dir);
    const p = new SimulatedPlatform();
    const bad = queueStay(store, { psnNo: 'P1', refuse2401: true });
    const good = queueStay(store, { psnNo: 'P2' });
    start(p);
    await waitUntil(() => store.outbox.status(store.clock.now()).deadLetters === 1 && liveOf(p, good).length === good.items.length, 'the good visit done and the bad one dead');
    const dead = store.outbox.get(bad.items[0]!.id)!;
    expect(dead).toMatchObject({ state: 'dead', deadReason: 'refused', lastError: '平台拒绝：诊断编码不存在' });
    expect(store.admissions.get(bad.iptNo)!.status).toBe('dead-letter');
    expect(liveOf(p, bad)).toEqual([]);
    expect(store.outbox.get(bad.items[1]!.id)!.state).toBe('pending'); // held, not sent
    // The operator fixes the diagnosis (edit), which also retries.
    const fixed = { ...(dead.input as object), mdtrtinfo: { ...(dead.input as { mdtrtinfo: object }).mdtrtinfo, adm_diag_dscr: 'I10.x00' } };
    const edited = editItem(store, dead.id, fixed, { actor: 'opter:1001' }, '诊断编码改正');
    expect(edited.msgid).not.toBe(dead.msgid);
    expect(store.admissions.get(bad.iptNo)!.status).toBe('queued');
    relay!.kick();
    await waitUntil(drained, 'the fixed visit to drain');
    expectExactlyOnceInOrder(p, [bad, good]);
    const actions = store.audit.list({ subject: `outbox:${dead.id}` }).map((a) => [a.actor, a.action]);
    expect(actions).toEqual([
      ['relay', 'outbox.dead-letter'],
      ['opter:1001', 'outbox.edit'],
    ]);
    expect(store.audit.list({ subject: `outbox:${dead.id}` })[1]!.detail).toMatchObject({ changedFields: ['mdtrtinfo.adm_diag_dscr'] });
    expect(store.audit.verify().ok).toBe(true);
  });

  it('retry of a dead item goes under a new msgid; cancel of a dead 2401 cancels the stay', async () => {
    dir = tempDir();
    store = realStore(dir.dir);
    const p = new SimulatedPlatform();
    const a = queueStay(store, { psnNo: 'P1', refuse2401: true });
    const b = queueStay(store, { psnNo: 'P2', refuse2401: true });
    start(p);
    await waitUntil(() => store.outbox.status(store.clock.now()).deadLetters === 2, 'two dead letters');
    // Retried as is, it is refused again (the platform's answer to the same input), under another msgid.
    const before = store.outbox.get(a.items[0]!.id)!;
    const retried = retryItem(store, before.id, { actor: 'cli:tester' });
    expect(retried.msgid).not.toBe(before.msgid);
    relay!.kick();
    await waitUntil(() => store.outbox.get(before.id)!.state === 'dead' && p.calls.some((c) => c.msgid === retried.msgid), 'the retry to be refused');
    const cancelled = cancelItem(store, createWriteBackTable(), b.items[0]!.id, '患者改为自费', { actor: 'opter:1001' });
    expect(cancelled.map((i) => i.id)).toEqual(b.items.map((i) => i.id));
    expect(store.admissions.get(b.iptNo)!.status).toBe('cancelled');
    expect(store.audit.list({ subject: `outbox:${b.items[0]!.id}` }).at(-1)).toMatchObject({
      action: 'outbox.cancel',
      detail: { reason: '患者改为自费', alsoCancelled: b.items.slice(1).map((i) => i.id) },
    });
    expect(() => cancelItem(store, createWriteBackTable(), b.items[0]!.id, '再取消', { actor: 'x' })).toThrow(/已取消/);
    expect(() => retryItem(store, 99999, { actor: 'x' })).toThrow(/没有编号/);
  });

  it('after a crash: in-flight items are resent under their msgid, reversible ones reversed first', async () => {
    dir = tempDir();
    store = realStore(dir.dir);
    const p = new SimulatedPlatform();
    const a = queueStay(store, { psnNo: 'P1', feeBatches: 1 });
    const b = queueStay(store, { psnNo: 'P2', feeBatches: 1 });
    // A previous relay got a's 2401 through and died before writing the result; b's 2401 it claimed and died.
    const claims = store.write((tx) => store.outbox.claimNext(tx, { limit: 2 }));
    await p.send({ infno: '2401', msgid: claims[0]!.msgid, input: claims[0]!.item.input, visitKey: a.iptNo, psnNo: 'P1', envelope: {} });
    start(p);
    await waitUntil(drained, 'the queue to drain after recovery');
    expect(events.find((e) => e.type === 'recovered')).toMatchObject({ items: [{ id: a.items[0]!.id, state: 'unknown-outcome' }, { id: b.items[0]!.id, state: 'unknown-outcome' }] });
    expectExactlyOnceInOrder(p, [a, b]);
    expect(p.effects.filter((e) => e.visitKey === a.iptNo && e.infno === '2401').map((e) => e.reversed)).toEqual([true, false]);
  });

  it('a refused 2601 is a dead letter; retry tries the reversal again; cancel closes it by hand', async () => {
    dir = tempDir();
    store = realStore(dir.dir);
    const p = new SimulatedPlatform();
    p.fault('2401', 'lost-after', 'lost-after');
    p.fault('2601', 'reverse-refused', 'reverse-refused', 'reverse-refused');
    const a = queueStay(store, { psnNo: 'P1', feeBatches: 0 });
    start(p);
    await waitUntil(() => store.outbox.get(a.items[0]!.id)!.state === 'dead', 'the refused reversal to be a dead letter');
    const dead = store.outbox.get(a.items[0]!.id)!;
    expect(dead.deadReason).toBe('reversal-refused');
    expect(dead.lastError).toContain('冲正（2601）被平台拒绝');
    expect(() => editItem(store, dead.id, {}, { actor: 'x' })).toThrow(/无法修改/);
    const retried = retryItem(store, dead.id, { actor: 'opter:1001' });
    expect(retried).toMatchObject({ state: 'unknown-outcome', msgid: dead.msgid });
    relay!.kick();
    await waitUntil(() => store.outbox.get(dead.id)!.state === 'dead' && store.outbox.get(dead.id)!.updatedAt > retried.updatedAt, 'refused again');
    cancelItem(store, createWriteBackTable(), dead.id, '3202 对账确认平台无此入院', { actor: 'opter:9001' });
    expect(store.outbox.get(dead.id)!.state).toBe('cancelled');
  });

  it('an item whose placeholder cannot be resolved becomes a dead letter instead of sending "{{mdtrt_id}}"', async () => {
    dir = tempDir();
    store = realStore(dir.dir);
    const p = new SimulatedPlatform();
    const a = queueStay(store, { psnNo: 'P1', feeBatches: 1 });
    // The 2401 is cancelled by hand without the cascade (as an older build might have).
    store.write((tx) => store.outbox.cancel(tx, a.items[0]!.id, { reason: 'test' }));
    start(p);
    await waitUntil(() => store.outbox.get(a.items[1]!.id)!.state === 'dead', 'the dependent item to die');
    expect(store.outbox.get(a.items[1]!.id)).toMatchObject({ deadReason: 'unresolvable' });
    expect(p.calls).toEqual([]);
  });

  it('waitFor resolves with the final item; a second relay on the same store waits for the lease', async () => {
    dir = tempDir();
    store = realStore(dir.dir);
    const p = new SimulatedPlatform();
    const a = queueStay(store, { psnNo: 'P1', feeBatches: 0 });
    const other = realStore(dir.dir);
    const second = new Relay({ writeBack: createWriteBackTable(), store: other, platform: p, onEvent: (e) => events.push(e) });
    start(p);
    const item = await relay!.waitFor(a.items[1]!.id);
    expect(item.state).toBe('done');
    const started = second.start();
    await waitUntil(() => events.some((e) => e.type === 'lease-wait'), 'the second relay to wait');
    await relay!.stop();
    relay = null;
    await started;
    await second.stop();
    other.close();
  });

  it('property: any mix of faults leaves every operation applied exactly once, in order per visit', async () => {
    const fault = fc.constantFrom<Fault>('offline', 'lost-before', 'lost-after', 'reverse-offline');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('2401', '2301', '2402', '2304', '2601'), fault), { maxLength: 25 }),
        fc.integer({ min: 1, max: 4 }),
        async (faults, concurrency) => {
          dir = tempDir();
          store = realStore(dir.dir);
          const p = new SimulatedPlatform();
          for (const [infno, f] of faults) if (!(infno === '2601' && f !== 'reverse-offline')) p.fault(infno, f);
          const visits = ['P1', 'P2', 'P3'].map((psnNo) => queueStay(store, { psnNo, feeBatches: 2, settle: true }));
          start(p, { concurrency });
          try {
            await waitUntil(drained, 'the queue to drain', 30_000, 5);
            expectExactlyOnceInOrder(p, visits);
          } finally {
            await relay!.stop();
            relay = null;
            store.close();
            dir.cleanup();
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('full-jitter backoff', () => {
  it('is uniform in [0, min(cap, base·2^n)) and never exceeds the cap', () => {
    const policy = { baseMs: 100, capMs: 1_000 };
    expect(fullJitterDelay(0, policy, () => 0.999999)).toBe(99);
    expect(fullJitterDelay(3, policy, () => 0.5)).toBe(400);
    expect(fullJitterDelay(60, policy, () => 0.999999)).toBe(999);
    expect(fullJitterDelay(2, policy, () => 0)).toBe(0);
    fc.assert(
      fc.property(fc.nat(200), fc.double({ min: 0, max: 1, noNaN: true }), (n, r) => {
        const d = fullJitterDelay(n, policy, () => r);
        return Number.isInteger(d) && d >= 0 && d < Math.min(1_000, 100 * 2 ** n);
      }),
    );
    expect(() => fullJitterDelay(0, { baseMs: 0, capMs: 10 })).toThrow(RangeError);
  });
});

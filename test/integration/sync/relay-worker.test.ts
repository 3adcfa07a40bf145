import { afterEach, describe, expect, it } from 'vitest';
import { newKey } from '../../../db/keystore.ts';
import type { Store } from '../../../db/store.ts';
import { Relay, type RelayEvent } from '../../../services/sync/relay.ts';
import { WorkerCommitter, workerCommitter } from '../../../services/sync/relay-worker-committer.ts';
import { createWriteBackTable } from '../../../services/write-back-table.ts';
import { SimulatedPlatform } from './simulated-platform.ts';
import { queueStay, realStore, tempDir, waitUntil, type Visit } from './helpers.ts';

/**
 * The relay's commit worker failing (issue 11): the worker thread that owns the relay's store connection dies
 * mid-drain, or cannot open the store at all. The process must go on, the relay must stop and say so, and
 * nothing may be lost or done twice: the next start recovers what was in flight, as after a crash.
 */
describe("relay whose commit worker fails", () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  const relays: Relay[] = [];
  const events: RelayEvent[] = [];

  afterEach(async () => {
    for (const r of relays.splice(0)) await r.stop();
    store?.close();
    dir?.cleanup();
    events.length = 0;
  });

  function relayWith(commitIn: ConstructorParameters<typeof Relay>[0]['commitIn']): Relay {
    const relay = new Relay({
      writeBack: createWriteBackTable(),
      store,
      platform: platform!,
      concurrency: 3,
      backoff: { baseMs: 5, capMs: 40 },
      reversalBackoff: { baseMs: 5, capMs: 40 },
      maxReversals: 1_000,
      commitIn,
      onEvent: (e) => events.push(e),
    });
    relays.push(relay);
    return relay;
  }
  let platform: SimulatedPlatform | null = null;

  function expectExactlyOnceInOrder(p: SimulatedPlatform, visits: Visit[]) {
    for (const v of visits) {
      const live = p.live().filter((e) => e.visitKey === v.iptNo);
      expect(live.map((e) => e.infno)).toEqual(v.items.map((i) => i.infno));
      expect(store.admissions.get(v.iptNo)!.status).toBe('settled');
    }
  }

  it('dies mid-drain: the relay stops and reports, nothing more is sent, and the next start recovers and finishes exactly once', async () => {
    dir = tempDir('kiosk-worker-fail-');
    store = realStore(dir.dir);
    platform = new SimulatedPlatform();
    platform.latencyMs = 5;
    const visits = ['P1', 'P2', 'P3', 'P4'].map((psnNo) => queueStay(store, { psnNo, feeBatches: 4, settle: true }));
    const inWorker = workerCommitter(store, createWriteBackTable());
    let committer: WorkerCommitter | null = null;
    const first = relayWith((holder) => (committer = inWorker(holder) as WorkerCommitter));
    await first.start();
    await waitUntil(() => events.filter((e) => e.type === 'done').length >= 3 && first.inFlight > 0, 'a few items done and more in flight');

    // The worker dies while requests are out: their claims are on disk, their results can no longer be.
    await committer!.crash();
    await waitUntil(() => events.some((e) => e.type === 'committer-failed'), 'the relay to report its committer failed');
    await first.stop();
    expect(events.find((e) => e.type === 'committer-failed')).toMatchObject({ error: expect.stringMatching(/commit worker ended/) });
    const leftInFlight = store.db.prepare("SELECT count(*) FROM outbox WHERE state IN ('in-flight', 'reversing')").pluck().get() as number;
    expect(leftInFlight).toBeGreaterThan(0);
    // The lease went back on the main thread's connection: the next relay need not wait for it to expire.
    expect(store.db.prepare('SELECT count(*) FROM relay_lease').pluck().get()).toBe(0);
    const sentWhenStopped = platform.live().length;
    await new Promise((r) => setTimeout(r, 300));
    expect(platform.live().length).toBe(sentWhenStopped); // stopped: nothing more goes out
    expect(store.outbox.status(store.clock.now()).depth).toBeGreaterThan(0);

    // The next start (a fresh worker) recovers what was in flight by the crash rules and drains the rest.
    const second = relayWith(undefined);
    await second.start();
    expect(events.find((e) => e.type === 'recovered')).toMatchObject({ items: expect.arrayContaining([expect.objectContaining({ visitKey: expect.any(String) })]) });
    await waitUntil(() => store.outbox.status(store.clock.now()).depth === 0, 'the queue to drain', 20_000);
    expectExactlyOnceInOrder(platform, visits);
  }, 60_000);

  it('cannot open the store: start fails with the reason, nothing is claimed or sent, and a later start works', async () => {
    dir = tempDir('kiosk-worker-fail-');
    store = realStore(dir.dir);
    platform = new SimulatedPlatform();
    const visits = ['P1', 'P2'].map((psnNo) => queueStay(store, { psnNo, feeBatches: 2, settle: true }));
    const spec = store.connectionSpec!;
    const broken = relayWith((holder) => new WorkerCommitter({ ...spec, key: newKey() }, holder, store.clock));
    await expect(broken.start()).rejects.toThrow(/密钥/);
    expect(broken.inFlight).toBe(0);
    expect(platform.live()).toEqual([]);
    expect(store.db.prepare("SELECT count(*) FROM outbox WHERE state <> 'pending'").pluck().get()).toBe(0);

    const good = relayWith(undefined);
    await good.start();
    await waitUntil(() => store.outbox.status(store.clock.now()).depth === 0, 'the queue to drain', 20_000);
    expectExactlyOnceInOrder(platform, visits);
  }, 60_000);
});

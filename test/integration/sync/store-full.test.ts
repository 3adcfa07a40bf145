import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../db/store.ts';
import { Connectivity } from '../../../services/status/connectivity.ts';
import { Relay, type RelayEvent } from '../../../services/sync/relay.ts';
import type { RelayCommitter } from '../../../services/sync/relay-committer.ts';
import { workerCommitter } from '../../../services/sync/relay-worker-committer.ts';
import { createWriteBackTable } from '../../../services/write-back-table.ts';
import { SimulatedPlatform } from './simulated-platform.ts';
import { queueStay, realStore, tempDir, waitUntil } from './helpers.ts';

/**
 * Issue 12: one failed commit (disk full) stopped the relay for good while the status still said online; only
 * a restart recovered. Here the disk fills for real as far as SQLite is concerned (PRAGMA max_page_count caps
 * the file at its current size, so the next page the relay's write-back needs is refused with SQLITE_FULL),
 * in the middle of a drain. The relay must keep every result, say the store is degraded, retry with backoff,
 * and finish the drain by itself once there is room again: every operation exactly once, in order.
 */
describe('relay on a full disk', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  let relay: Relay | null = null;
  const events: RelayEvent[] = [];

  afterEach(async () => {
    await relay?.stop();
    relay = null;
    store?.close();
    dir?.cleanup();
    events.length = 0;
  });

  it('keeps every result, reports the store degraded, and resumes without a restart when space returns', async () => {
    dir = tempDir('kiosk-full-');
    store = realStore(dir.dir);
    const p = new SimulatedPlatform();
    p.latencyMs = 2;
    const visits = ['P1', 'P2', 'P3', 'P4'].map((psnNo) => queueStay(store, { psnNo, feeBatches: 4, settle: true }));
    const total = visits.reduce((n, v) => n + v.items.length, 0);
    // The terminal's committer (a worker with its own connection), kept at hand to fill ITS disk below.
    const inWorker = workerCommitter(store, createWriteBackTable());
    let committer: RelayCommitter | null = null;
    const commitIn = (holder: string) => (committer = inWorker(holder));
    relay = new Relay({ writeBack: createWriteBackTable(), store, platform: p, concurrency: 2, backoff: { baseMs: 5, capMs: 40 }, commitIn, onEvent: (e) => events.push(e) });
    // The status bar's source: it must stop saying all is well while commits are refused.
    const connectivity = new Connectivity(store.clock);
    connectivity.attach(relay);
    let statusChanges = 0;
    connectivity.onChange(() => statusChanges++);
    await relay.start();
    await waitUntil(() => events.some((e) => e.type === 'done'), 'the first item done');
    expect(connectivity.store.degraded).toBe(false);

    // The disk is full: not one more page, on the relay's connection (PRAGMA max_page_count is per connection).
    const pages = Number(store.db.pragma('page_count', { simple: true }));
    await committer!.run('capPages', pages);
    await waitUntil(() => events.some((e) => e.type === 'store-degraded'), 'the relay to notice the full disk', 10_000);
    const degraded = events.find((e) => e.type === 'store-degraded');
    expect(degraded).toMatchObject({ error: expect.stringMatching(/full/i) });
    expect(relay.storeDegraded).toMatchObject({ error: expect.stringMatching(/full/i) });
    expect(connectivity.store).toMatchObject({ degraded: true, reason: expect.stringMatching(/full/i) });
    expect(statusChanges).toBeGreaterThan(0);
    // Stalled, not stopped: nothing new is claimed while results cannot be recorded.
    const doneWhileFull = store.outbox.list({ states: ['done'], limit: 10_000 }).length;
    await new Promise((r) => setTimeout(r, 1_000));
    expect(store.outbox.list({ states: ['done'], limit: 10_000 }).length).toBe(doneWhileFull);
    expect(doneWhileFull).toBeLessThan(total);
    const failures = events.filter((e) => e.type === 'store-degraded').length;
    expect(failures).toBeGreaterThan(1); // retried, paced (default backoff 0.5 s doubling)
    expect(failures).toBeLessThan(10);

    // Space returns (an operator cleared the disk): the relay finishes by itself.
    const freedAt = Date.now();
    await committer!.run('capPages', null);
    await waitUntil(() => events.some((e) => e.type === 'store-recovered'), 'the relay to commit again', 40_000);
    const recoveredMs = Date.now() - freedAt;
    await waitUntil(() => store.outbox.status(store.clock.now()).depth === 0, 'the queue to drain', 20_000);
    const drainedMs = Date.now() - freedAt;
    expect(relay.storeDegraded).toBeNull();
    expect(connectivity.store.degraded).toBe(false);
    connectivity.close();
    console.log(JSON.stringify({ figure: 'disk-full-recovery', degradedCommits: failures, recoveredMs, drainedMs, operations: total }));

    for (const v of visits) {
      const live = p.live().filter((e) => e.visitKey === v.iptNo);
      expect(live.map((e) => e.infno)).toEqual(v.items.map((i) => i.infno));
      expect(store.admissions.get(v.iptNo)!.status).toBe('settled');
    }
  }, 90_000);
});

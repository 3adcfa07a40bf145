import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore, type Store } from '../../../db/store.ts';
import { startTestSandbox, type TestSandbox } from '../../../insurance/sandbox/testing.ts';
import type { PlatformClient } from '../../../insurance/client/platform-client.ts';
import { Relay, type RelayEvent, type RelayOptions } from '../../../services/sync/relay.ts';
import { ClientPlatformPort } from '../../../services/sync/client-port.ts';
import { createOutboxPort } from '../../../services/sync/outbox-port.ts';
import { createQueueGroup } from '../../../services/status/queue-group.ts';
import { staffOperator } from '../../../insurance/client/envelope.ts';
import { checkExactlyOnce } from './exactly-once.ts';
import { platformClientFor } from './platform-client-for.ts';
import { HOSPITAL_CODE, SANDBOX_NOW, queueSandboxStay, writeWorld, type QueuedStay } from './sandbox-world.ts';
import { tempDir, waitUntil } from './helpers.ts';
import { GatedProxy } from './gated-proxy.ts';
import { createWriteBackTable } from '../../../services/write-back-table.ts';

/**
 * The relay through the real platform client to the real sandbox over HTTP (in this process), one fault at a
 * time: what each kind of failure does to an item, checked against the platform's own journal.
 */
describe('relay → platform client → sandbox', () => {
  let dir: ReturnType<typeof tempDir>;
  let sandbox: TestSandbox;
  let store: Store;
  let client: PlatformClient;
  let relay: Relay;
  const events: RelayEvent[] = [];

  let proxy: GatedProxy | null = null;

  async function setUp(people = 4, relayOptions: Partial<RelayOptions> = {}, throughProxy = false): Promise<ReturnType<typeof writeWorld>> {
    dir = tempDir('kiosk-client-port-');
    const world = writeWorld(dir.dir, people);
    // A state file of our own: closing the platform keeps it, as a real platform restart does.
    sandbox = await startTestSandbox({ fixturesPath: world.fixturesPath, now: SANDBOX_NOW, statePath: join(dir.dir, 'sandbox-state.sqlite') });
    store = openStore(join(dir.dir, 'kiosk.sqlite'), { fixmedinsCode: HOSPITAL_CODE });
    if (throughProxy) {
      proxy = new GatedProxy(Number(new URL(sandbox.url).port));
      await proxy.open();
    }
    const platformUrl = proxy?.url ?? sandbox.url;
    client = platformClientFor(store, platformUrl, 3_000);
    relay = new Relay({ writeBack: createWriteBackTable(),
      store,
      platform: new ClientPlatformPort({ client, store, writeBack: createWriteBackTable(), platformUrl, probeTimeoutMs: 500 }),
      concurrency: 2,
      backoff: { baseMs: 10, capMs: 100 },
      probeBackoff: { baseMs: 20, capMs: 100 },
      reversalBackoff: { baseMs: 20, capMs: 100 },
      pollIntervalMs: 100,
      onEvent: (e) => events.push(e),
      ...relayOptions,
    });
    return world;
  }

  afterEach(async () => {
    await relay?.stop();
    await proxy?.close();
    proxy = null;
    client?.close();
    store?.close();
    await sandbox?.close();
    dir?.cleanup();
    events.length = 0;
  });

  const drained = () => store.outbox.status(store.clock.now()).depth === 0;

  it('an answer lost after 2401 and after 2304 committed: reversed (2601), sent again under a new msgid, one admission and one settlement', async () => {
    const world = await setUp();
    const stays: QueuedStay[] = [queueSandboxStay(store, world.persons[0]!, world.catalogue, 2)];
    await sandbox.admin.addFault({ infno: '2401', kind: 'drop-after-commit', count: 1 });
    await sandbox.admin.addFault({ infno: '2304', kind: 'drop-after-commit', count: 1 });
    await relay.start();
    await waitUntil(drained, 'the stay to drain', 30_000);
    const journal = await sandbox.admin.journal();
    const report = checkExactlyOnce(store, stays, journal);
    expect(report.problems).toEqual([]);
    expect(report.reversedEntries).toBe(2);
    expect(journal.filter((j) => j.infno === '2601').map((j) => j.oinfno).sort()).toEqual(['2304', '2401']);
    const [admit] = stays[0]!.items;
    expect(store.outbox.attempts(admit!.id).map((a) => [a.infno, a.outcome])).toEqual([
      ['2401', 'unknown'],
      ['2601', 'ok'],
      ['2401', 'ok'],
    ]);
    // The 2601 recorded is the one the client journaled and sent.
    const reversal = store.outbox.attempts(admit!.id)[1]!;
    expect(journal.find((j) => j.infno === '2601' && j.oinfno === '2401')!.msgid).toBe(reversal.msgid);
    expect(store.reversals.pending()).toEqual([]);
    expect(events.filter((e) => e.type === 'reversed')).toHaveLength(2);
  });

  it('an answer lost after 2301 committed: the same msgid again, the platform answers from its ledger', async () => {
    const world = await setUp();
    const stays = [queueSandboxStay(store, world.persons[0]!, world.catalogue, 3)];
    await sandbox.admin.addFault({ infno: '2301', kind: 'drop-after-commit', count: 2 });
    await relay.start();
    await waitUntil(drained, 'the stay to drain', 30_000);
    const report = checkExactlyOnce(store, stays, await sandbox.admin.journal());
    expect(report.problems).toEqual([]);
    expect(report.reversals).toBe(0);
    const resent = stays[0]!.items.filter((i) => i.infno === '2301').map((i) => store.outbox.attempts(i.id));
    expect(resent.flat().filter((a) => a.outcome === 'unknown')).toHaveLength(2);
    for (const attempts of resent) expect(new Set(attempts.map((a) => a.msgid)).size).toBe(1);
    expect(store.feeLines.byVisit(stays[0]!.iptNo).every((l) => l.state === 'uploaded')).toBe(true);
  });

  it('a business refusal from the platform is a dead letter with its err_msg; the stay waits', async () => {
    const world = await setUp();
    const stay = queueSandboxStay(store, world.persons[0]!, world.catalogue, 1);
    // 2401 of a stay whose ipt_no the platform already has: refused (住院号已办理入院).
    await relay.start();
    await waitUntil(drained, 'the first stay');
    const again = store.write((tx) =>
      store.outbox.enqueue(tx, { visitKey: 'ZY2026999999', infno: '2401', input: stay.items[0]!.input, msgid: store.msgids.next(tx.now), envelope: { insuplc_admdvs: '320200' } }),
    );
    relay.kick();
    const dead = await relay.waitFor(again.id);
    expect(dead.state).toBe('dead');
    expect(dead.lastError).toContain('已办理入院');
    const staff = { opterNo: '1001', name: '收费员' };
    const operators = { current: () => staffOperator(staff.opterNo, staff.name), staff: () => staff, requireStaff: () => staff };
    const queue = createQueueGroup({ store, clock: store.clock, operators, outbox: createOutboxPort(relay, store), writeBack: createWriteBackTable() });
    expect(await queue.status({}, { transport: 'memory' })).toMatchObject({ depth: 1, deadLetters: 1, items: [{ id: String(again.id), state: 'dead' }] });
    const after = await queue.cancel({ id: String(again.id), reason: '重复登记' }, { transport: 'memory' });
    expect(after.depth).toBe(0);
    await expect(queue.retry({ id: 'x' }, { transport: 'memory' })).rejects.toMatchObject({ code: 'QUEUE_ITEM_NOT_FOUND' });
  });

  it('settle() of an item whose answer was lost before anyone asked: "unknown" at once, not a wait for the next event', async () => {
    // The discharge's 2402 is claimed with its enqueue and sent the moment that commits; its answer can be lost,
    // and the relay's unknown-outcome commit made, before the service reaches settle(). That event has passed:
    // settle() must read the item's state, not wait for an event that already came (it waited until its timeout,
    // or until a later paced 2601 got through, and the screen never said a reversal was under way).
    // The relay's next 2601 is a minute away (paced): nothing about this item happens while settle() waits.
    const world = await setUp(4, { backoff: { baseMs: 60_000, capMs: 60_000 } });
    await sandbox.admin.addFault({ infno: '2401', kind: 'drop-after-commit', count: 1 });
    await sandbox.admin.addFault({ infno: '2601', kind: 'http5xx', count: 1 }); // the client's inline reversal fails
    const stay = queueSandboxStay(store, world.persons[0]!, world.catalogue, 1);
    const admit = stay.items[0]!;
    await relay.start();
    await waitUntil(() => store.outbox.stateOf(admit.id)?.state === 'unknown-outcome', 'the lost 2401 to be an unknown outcome', 10_000);
    const outbox = createOutboxPort(relay, store);
    const outcome = await outbox.settle(admit.id, { timeoutMs: 3_000 });
    expect(outcome).toMatchObject({ state: 'waiting', reason: 'unknown', item: { id: admit.id, state: 'unknown-outcome' } });
    expect(relay.online).toBe(true);
  });

  it('an answer lost after 2304 committed and the network gone before its 2601: the relay waits for the platform as offline and reverses the moment it is back', async () => {
    // The relay's own retry of the item is a minute away (paced; 5 minutes at the production cap): only the
    // platform coming back, found by the relay's probe, may bring the 2601 forward.
    const world = await setUp(4, { backoff: { baseMs: 60_000, capMs: 60_000 }, random: () => 0.99 }, true);
    const stay = queueSandboxStay(store, world.persons[0]!, world.catalogue, 1);
    const settle = stay.items.at(-1)!;
    expect(settle.infno).toBe('2304');
    await sandbox.admin.addFault({ infno: '2304', kind: 'drop-after-commit', count: 1 });
    proxy!.cutAfter('"infno":"2304"');
    await relay.start();
    // What the cashier's settle hears: the outcome is unknown (it may have settled), never "offline, not done".
    const heard = await createOutboxPort(relay, store).settle(settle.id, { timeoutMs: 10_000 });
    expect(heard).toMatchObject({ state: 'waiting', reason: 'unknown' });
    await waitUntil(() => store.outbox.stateOf(settle.id)?.state === 'unknown-outcome', 'the lost 2304 to wait for its 2601', 10_000);
    expect(events.some((e) => e.type === 'offline')).toBe(true);
    expect(store.outbox.get(settle.id)!.lastErrorKind).toBe('offline');
    expect(store.reversals.pending().map((r) => r.lastError)).toEqual(['unreachable']);
    await proxy!.reopen();
    await waitUntil(drained, 'the 2601 and the fresh 2304 once the platform is back', 15_000);
    const journal = await sandbox.admin.journal();
    expect(checkExactlyOnce(store, [stay], journal).problems).toEqual([]);
    expect(journal.filter((j) => j.infno === '2601').map((j) => j.oinfno)).toEqual(['2304']);
    // The attempt stays what it was (unknown), the 2601 that found no connection is not on the item (the client's).
    expect(store.outbox.attempts(settle.id).map((a) => [a.infno, a.outcome])).toEqual([
      ['2304', 'unknown'],
      ['2601', 'ok'],
      ['2304', 'ok'],
    ]);
  });

  it('platform down: items wait, the relay probes, and drains when it is back; settle() says "offline" meanwhile', async () => {
    const world = await setUp();
    await relay.start();
    const outbox = createOutboxPort(relay, store);
    const first = queueSandboxStay(store, world.persons[0]!, world.catalogue, 1);
    expect(await outbox.settle(first.items[0]!.id, { timeoutMs: 10_000 })).toMatchObject({ state: 'done' });
    await waitUntil(drained, 'the first stay');
    const url = sandbox.url;
    await sandbox.close();
    const second = queueSandboxStay(store, world.persons[1]!, world.catalogue, 1);
    const outcome = await outbox.settle(second.items[0]!.id, { timeoutMs: 10_000 });
    expect(outcome).toMatchObject({ state: 'waiting', reason: 'offline' });
    expect(outbox.online).toBe(false);
    sandbox = await startTestSandbox({ fixturesPath: world.fixturesPath, now: SANDBOX_NOW, statePath: sandbox.statePath, port: Number(new URL(url).port) });
    await waitUntil(drained, 'the second stay after the platform came back', 30_000);
    expect(events.some((e) => e.type === 'online')).toBe(true);
    const report = checkExactlyOnce(store, [first, second], await sandbox.admin.journal());
    expect(report.problems).toEqual([]);
  });
});

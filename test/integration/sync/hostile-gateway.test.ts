import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore, type Store } from '../../../db/store.ts';
import { startTestSandbox, type TestSandbox } from '../../../insurance/sandbox/testing.ts';
import type { PlatformClient } from '../../../insurance/client/platform-client.ts';
import { Relay, type RelayEvent } from '../../../services/sync/relay.ts';
import { ClientPlatformPort } from '../../../services/sync/client-port.ts';
import { cancelItem, retryItem } from '../../../services/sync/operator-actions.ts';
import { createWriteBackTable } from '../../../services/write-back-table.ts';
import { checkExactlyOnce } from './exactly-once.ts';
import { HOSTILE_MODES, startHostileGateway, type HostileGateway, type HostileMode } from './hostile-gateway.ts';
import { platformClientFor } from './platform-client-for.ts';
import { HOSPITAL_CODE, SANDBOX_NOW, queueSandboxStay, writeWorld } from './sandbox-world.ts';
import { tempDir, waitUntil } from './helpers.ts';

/**
 * Issue 12, reversal storm: a gateway that answers a committed 2401 with an HTML 500, an empty body, garbage,
 * a reset, 200,000 levels of JSON or an oversize body. Before the fix the relay reversed (2601) and resent at
 * once, forever (82 admit-and-reverse cycles a second). Now each reversal is followed by a paced wait that
 * doubles, the item stops at its reversal cap and waits for a person with the reason (the stay shows it), and
 * when the gateway is fixed and the person retries, the patient is admitted exactly once.
 *
 * Pacing here is scaled down (base 100 ms instead of 10 s) so a mode runs in about two seconds; the floor of
 * each wait is checked against the attempt history, so the figure at production settings follows from it.
 */
const CAP = 4;
const BASE_MS = 100;
const OVERSIZE = 256 * 1024;

describe('relay behind a hostile gateway (reversal storm)', () => {
  let dir: ReturnType<typeof tempDir>;
  let sandbox: TestSandbox;
  let gateway: HostileGateway;
  let store: Store;
  let client: PlatformClient;
  let relay: Relay;
  const events: RelayEvent[] = [];

  afterEach(async () => {
    await relay?.stop();
    client?.close();
    store?.close();
    await gateway?.close();
    await sandbox?.close();
    dir?.cleanup();
    events.length = 0;
  });

  /** Sandbox, hostile gateway in front of it, store, client and relay; returns the world. */
  async function setUp(mode: HostileMode, seed: number): Promise<ReturnType<typeof writeWorld>> {
    dir = tempDir('kiosk-hostile-');
    const world = writeWorld(dir.dir, 1);
    sandbox = await startTestSandbox({ fixturesPath: world.fixturesPath, now: SANDBOX_NOW, statePath: join(dir.dir, 'sandbox-state.sqlite') });
    gateway = await startHostileGateway(sandbox.url, { hostileInfnos: ['2401'], seed, oversizeBytes: OVERSIZE });
    gateway.mode = mode;
    store = openStore(join(dir.dir, 'kiosk.sqlite'), { fixmedinsCode: HOSPITAL_CODE });
    client = platformClientFor(store, gateway.url, 3_000, { maxResponseBytes: OVERSIZE / 2 });
    const writeBack = createWriteBackTable();
    relay = new Relay({
      writeBack,
      store,
      platform: new ClientPlatformPort({ client, store, writeBack, platformUrl: gateway.url, probeTimeoutMs: 500 }),
      backoff: { baseMs: 10, capMs: 100 },
      probeBackoff: { baseMs: 20, capMs: 100 },
      reversalBackoff: { baseMs: BASE_MS, capMs: 10 * BASE_MS },
      maxReversals: CAP,
      pollIntervalMs: 50,
      onEvent: (e) => events.push(e),
    });
    return world;
  }

  for (const [index, mode] of HOSTILE_MODES.entries()) {
    it(`${mode} after every committed 2401: paced reversals, held at the cap with the reason, exactly one admission after the fix`, async () => {
      const world = await setUp(mode, 1_000 + index);
      const stay = queueSandboxStay(store, world.persons[0]!, world.catalogue, 1);
      const admit = stay.items[0]!;
      const started = Date.now();
      await relay.start();

      const held = await relay.waitFor(admit.id);
      const elapsedMs = Date.now() - started;
      expect(held).toMatchObject({ state: 'dead', deadReason: 'reversal-cap', reversals: CAP });
      expect(held.lastError).toContain(`冲正（2601）${CAP}次`);
      // The stay says it waits for a person, not "queued".
      expect(store.admissions.get(stay.iptNo)?.status).toBe('dead-letter');
      expect(gateway.garbled).toBe(CAP);

      // Every 2401 that committed was reversed; the waits between cycles were at least the paced floor.
      let journal = await sandbox.admin.journal();
      const admits = journal.filter((j) => j.infno === '2401');
      expect(admits).toHaveLength(CAP);
      expect(admits.every((j) => j.reversed_by !== null)).toBe(true);
      const sends = store.outbox.attempts(admit.id).filter((a) => a.infno === '2401');
      expect(sends).toHaveLength(CAP);
      for (let k = 1; k < sends.length; k++) {
        const floor = Math.min(10 * BASE_MS, BASE_MS * 2 ** (k - 1)) / 2;
        expect(sends[k]!.startedAt - sends[k - 1]!.startedAt).toBeGreaterThanOrEqual(floor);
      }
      const cyclesPerMinute = (CAP * 60_000) / elapsedMs;
      console.log(JSON.stringify({ figure: 'reversal-cycles', mode, cycles: CAP, elapsedMs, cyclesPerMinute: Math.round(cyclesPerMinute) }));

      // A person fixes the gateway and retries: the stay drains, one admission stands on the platform.
      gateway.mode = 'pass';
      retryItem(store, admit.id, { actor: 'opter:1001' }, '网关已修复');
      relay.kick();
      await waitUntil(() => store.outbox.status(store.clock.now()).depth === 0, 'the stay to drain', 20_000);
      journal = await sandbox.admin.journal();
      const report = checkExactlyOnce(store, [stay], journal);
      expect(report.problems).toEqual([]);
      expect(journal.filter((j) => j.infno === '2401' && j.reversed_by === null)).toHaveLength(1);
      expect(store.admissions.get(stay.iptNo)?.status).toBe('settled');
    }, 60_000);
  }

  it('an accepted 2401 (infcode 0) whose output breaks its schema waits for a person with the reason, on the queue and the stay; retry reverses it and admits once', async () => {
    const world = await setUp('invalid-output', 7);
    const stay = queueSandboxStay(store, world.persons[0]!, world.catalogue, 1);
    const admit = stay.items[0]!;
    await relay.start();
    const held = await relay.waitFor(admit.id);
    expect(held).toMatchObject({ state: 'dead', deadReason: 'output-invalid', reversals: 0 });
    expect(held.lastError).toContain('医保平台已受理');
    expect(held.output).toEqual({ result: { note: 'no mdtrt_id' } }); // kept as it came, for the person who looks
    expect(store.admissions.get(stay.iptNo)?.status).toBe('dead-letter');
    // Not reversed behind anyone's back: it stands on the platform until a person decides.
    let journal = await sandbox.admin.journal();
    expect(journal.filter((j) => j.infno === '2601')).toHaveLength(0);
    expect(store.audit.list({ limit: 50 }).some((a) => a.action === 'outbox.output-invalid')).toBe(true);
    // Cancelling would leave the admission in effect on the platform: refused with the reason.
    expect(() => cancelItem(store, createWriteBackTable(), admit.id, '测试', { actor: 'opter:1001' })).toThrow(/不能直接取消/);

    gateway.mode = 'pass';
    retryItem(store, admit.id, { actor: 'opter:1001' }, '平台已修复');
    relay.kick();
    await waitUntil(() => store.outbox.status(store.clock.now()).depth === 0, 'the stay to drain', 20_000);
    journal = await sandbox.admin.journal();
    expect(checkExactlyOnce(store, [stay], journal).problems).toEqual([]);
    expect(journal.filter((j) => j.infno === '2601')).toHaveLength(1);
  }, 60_000);
});

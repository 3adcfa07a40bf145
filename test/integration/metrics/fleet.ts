import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore } from '../../../db/store.ts';
import { loadConfig } from '../../../services/config/load.ts';
import { memoryLogger } from '../../../services/logging/logger.ts';
import { createTerminal, type Terminal } from '../../../services/terminal.ts';
import { ScriptProcess } from '../sync/processes.ts';
import { HOSPITAL_CODE, SANDBOX_NOW, queueSandboxStay, writeWorld } from '../sync/sandbox-world.ts';

/**
 * A hospital's fleet on one machine: `count` real terminals (createTerminal: store, platform client, relay,
 * metrics endpoint) against one sandbox platform in its own process. Each terminal's store is filled with
 * `stays` inpatient stays queued offline (2401, `batches` × 2301, 2402, 2303, 2304) before it starts, so
 * starting the fleet is every desk reconnecting after an outage: each relay drains its queue. Each terminal
 * has its own 住院号 prefix and msgid partition, as a hospital configures them.
 */
const KIOSK = resolve(import.meta.dirname, '../../../bin/kiosk.mjs');

export interface FleetTerminal {
  id: string;
  terminal: Terminal;
  queued: number;
  startedAt: number;
  /** Its JSON log lines. */
  logs: string[];
  /** performance.now() when its queue was seen empty; null until then. */
  drainedAt: number | null;
}

export interface Fleet {
  sandboxUrl: string;
  terminals: FleetTerminal[];
  /** Resolves when every terminal's queue is empty (polled every 20 ms), or rejects after `timeoutMs`. */
  drained(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export interface FleetOptions {
  dir: string;
  count: number;
  stays: number;
  batches: number;
  token?: string;
  otlpUrl?: string;
  sandbox?: { url: string };
}

const prefixOf = (i: number) => `Z${String.fromCharCode(65 + (i % 26))}${i >= 26 ? String.fromCharCode(65 + Math.floor(i / 26)) : ''}`;

/** The sandbox platform in its own process, with enough people for every stay of the fleet. */
export async function startFleetSandbox(dir: string, people: number): Promise<{ url: string; world: ReturnType<typeof writeWorld>; close(): Promise<void> }> {
  const world = writeWorld(dir, people);
  const sandbox = new ScriptProcess(KIOSK, ['sandbox', '--port', '0', '--state', join(dir, 'sandbox.sqlite'), '--fixtures', world.fixturesPath, '--now', SANDBOX_NOW, '--frozen']);
  const url = (await sandbox.waitFor((l) => typeof l.url === 'string', 'the sandbox to listen', 60_000)).url as string;
  return {
    url,
    world,
    close: async () => {
      sandbox.child.kill('SIGTERM');
      await sandbox.exited;
    },
  };
}

export async function startFleet(o: FleetOptions): Promise<Fleet> {
  const sandbox = await startFleetSandbox(o.dir, o.count * o.stays);
  const terminals: FleetTerminal[] = [];
  const close = async () => {
    for (const t of terminals) await t.terminal.close().catch(() => undefined);
    await sandbox.close();
  };
  try {
    // One clock for the stores and the terminals: the sandbox's frozen day, running in real time.
    const t0 = Date.parse(SANDBOX_NOW);
    const started = Date.now();
    const clock = { now: () => new Date(t0 + (Date.now() - started)) };
    // Queue every terminal's work first (offline), then start the terminals: the drain is the reconnection.
    const prepared = Array.from({ length: o.count }, (_, i) => {
      const dataDir = join(o.dir, `t${i}`);
      mkdirSync(dataDir, { recursive: true });
      const store = openStore(join(dataDir, 'kiosk.sqlite'), { clock, fixmedinsCode: HOSPITAL_CODE, iptNoPrefix: prefixOf(i), msgidPartition: { index: i, count: o.count } });
      const persons = sandbox.world.persons.slice(i * o.stays, (i + 1) * o.stays);
      const queued = persons.reduce((n, p) => n + queueSandboxStay(store, p, sandbox.world.catalogue, o.batches).items.length, 0);
      store.close();
      return { i, dataDir, queued };
    });
    for (const p of prepared) {
      const id = `desk-${String(p.i + 1).padStart(2, '0')}`;
      const loaded = loadConfig({ env: { KIOSK_DATA_DIR: p.dataDir, KIOSK_DEMO: 'false', KIOSK_PLATFORM_URL: sandbox.url, KIOSK_METRICS_PORT: '0', KIOSK_TERMINAL_ID: id } });
      loaded.config.readers = { ...loaded.config.readers, serial: [], hid: false, scanner: false, idcard: null };
      loaded.config.terminal.iptNoPrefix = prefixOf(p.i);
      loaded.config.terminal.msgidPartition = { index: p.i, count: o.count };
      loaded.config.metrics.token = o.token ?? null;
      if (o.otlpUrl) loaded.config.metrics.otlp = { url: o.otlpUrl, intervalSeconds: 3600, headers: {} };
      const startedAt = performance.now();
      const log = memoryLogger();
      const terminal = await createTerminal(loaded, { log, clock });
      terminals.push({ id, terminal, logs: log.lines, queued: p.queued, startedAt, drainedAt: null });
    }
  } catch (err) {
    await close();
    throw err;
  }
  return {
    sandboxUrl: sandbox.url,
    terminals,
    async drained(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        for (const t of terminals) {
          if (t.drainedAt === null && t.terminal.parts.store.outbox.status(new Date()).depth === 0) t.drainedAt = performance.now();
        }
        if (terminals.every((t) => t.drainedAt !== null)) return;
        if (Date.now() > deadline) throw new Error(`fleet not drained within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close,
  };
}

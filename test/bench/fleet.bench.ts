/**
 * Fleet figures (issue 16): 10 terminals × 200 queued operations draining at once against one sandbox
 * platform, beside one terminal alone with the same 200 operations, in the same run on the same sandbox kind.
 * Each terminal is the real composition (createTerminal: encrypted store, platform client, relay, metrics
 * endpoint); its 200 operations are 10 inpatient stays (2401, 16 × 2301, 2402, 2303, 2304) queued before it
 * starts, so the start is every desk reconnecting after an outage.
 *
 * Figures: platform requests per second (all terminals' operations / wall time from the first start to the
 * last empty queue), each terminal's drain time (start → queue empty), and the ratios fleet/alone: rate
 * (how much the platform's throughput grows with ten clients) and median drain time (how much each desk
 * waits longer when all reconnect together).
 *
 * Counts: KIOSK_BENCH_FLEET_TERMINALS (10) and KIOSK_BENCH_FLEET_OPS (200, a multiple of 20) for a smoke run.
 * Run alone: npm exec -- tsx test/bench/fleet.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startFleet } from '../integration/metrics/fleet.ts';
import { runWhenMain } from './run-alone.ts';

const TERMINALS = Number(process.env.KIOSK_BENCH_FLEET_TERMINALS ?? 10);
const OPS = Number(process.env.KIOSK_BENCH_FLEET_OPS ?? 200);
const BATCHES = 16; // 20 operations per stay

const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function drain(count: number): Promise<{ ops: number; opsPerSecond: number; drainMs: number[]; wallMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), `kiosk-bench-fleet-${count}-`));
  const fleet = await startFleet({ dir, count, stays: OPS / (BATCHES + 4), batches: BATCHES });
  try {
    await fleet.drained(20 * 60_000);
    const first = Math.min(...fleet.terminals.map((t) => t.startedAt));
    const last = Math.max(...fleet.terminals.map((t) => t.drainedAt!));
    const ops = fleet.terminals.reduce((n, t) => n + t.queued, 0);
    const wallMs = last - first;
    return { ops, opsPerSecond: round(ops / (wallMs / 1000), 1), drainMs: fleet.terminals.map((t) => Math.round(t.drainedAt! - t.startedAt)), wallMs: Math.round(wallMs) };
  } finally {
    await fleet.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<Record<string, unknown>> {
  if (OPS % (BATCHES + 4) !== 0) throw new Error(`KIOSK_BENCH_FLEET_OPS must be a multiple of ${BATCHES + 4}`);
  const started = performance.now();
  const alone = await drain(1);
  const fleet = await drain(TERMINALS);
  return {
    terminals: TERMINALS,
    operationsPerTerminal: OPS,
    alone: { opsPerSecond: alone.opsPerSecond, drainMs: alone.drainMs[0] },
    fleet: {
      opsPerSecond: fleet.opsPerSecond,
      wallMs: fleet.wallMs,
      drainMs: { min: Math.min(...fleet.drainMs), median: median(fleet.drainMs), max: Math.max(...fleet.drainMs), perTerminal: fleet.drainMs },
    },
    ratioRateFleetToAlone: round(fleet.opsPerSecond / alone.opsPerSecond, 2),
    ratioMedianDrainFleetToAlone: round(median(fleet.drainMs) / alone.drainMs[0]!, 2),
    benchSeconds: round((performance.now() - started) / 1000, 1),
  };
}

runWhenMain(import.meta.url, run);

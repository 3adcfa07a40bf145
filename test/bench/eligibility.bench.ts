import type { EligibilityDecision } from '../../contract/dto/eligibility.ts';
import { credentialsOf, startHarness } from '../integration/services/harness.ts';
import { runWhenMain } from './run-alone.ts';

/**
 * Card inserted → eligibility decision returned, on real parts: the virtual reader on a pseudo-terminal read
 * by the drivers over serialport, the sandbox platform over HTTP on loopback, the store in a SQLite file.
 *
 * Per run: t0 the card goes into the virtual reader; t1 the terminal's card-read event (the card-read floor,
 * measured in the same run: detection + the full 社保卡 read); t2 eligibility.check returns (1101, then 2001 +
 * filings + 5303 in parallel, the rules, the snapshot write). Overhead = t2 − t1, everything the services add
 * on top of the read. Goal: median overhead ≤ 150 ms.
 */
const RUNS = 20;
const WARMUP = 2;
// A filed in-province patient: every platform call of the check runs, and the filing rules have work to do.
const CARD = 'nj-filed-long-term/g3';

function stats(xs: number[]): { median: number; p95: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  const round = (n: number) => Math.round(n * 10) / 10;
  return { median: round(at(0.5)), p95: round(at(0.95)), min: round(s[0]!), max: round(s[s.length - 1]!) };
}

export async function run(): Promise<Record<string, unknown>> {
  const h = await startHarness({ mode: 'admission' });
  try {
    await h.call('operator', 'signIn', credentialsOf('1001'));
    const totals: number[] = [];
    const reads: number[] = [];
    const overheads: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const t0 = performance.now();
      const read = await h.insert(CARD);
      if (read.name !== 'card-read') throw new Error(`card read failed: ${JSON.stringify(read.payload)}`);
      const t1 = h.events.findLast((e) => e.name === 'card-read')!.at;
      const d = await h.call<EligibilityDecision>('eligibility', 'check', { credential: { kind: 'card' } });
      const t2 = performance.now();
      if (d.visitCase !== 'filed-long-term' || !d.direct) throw new Error(`unexpected decision ${d.visitCase} ${d.direct}`);
      if (i >= WARMUP) {
        totals.push(t2 - t0);
        reads.push(t1 - t0);
        overheads.push(t2 - t1);
      }
      const removed = performance.now();
      await h.control.remove();
      await h.waitFor('card-removed', removed, 10_000);
      await h.call('system', 'resetSession');
    }
    const overhead = stats(overheads);
    const floor = stats(reads);
    const total = stats(totals);
    return {
      what: 'card inserted → eligibility decision (virtual reader over a pty, sandbox over loopback HTTP, SQLite file)',
      runs: RUNS,
      card: CARD,
      totalMs: total,
      cardReadFloorMs: floor,
      overheadMs: overhead,
      overheadGoalMs: 150,
      overheadMedianWithinGoal: overhead.median <= 150,
      totalToFloorRatioMedian: Math.round((total.median / floor.median) * 100) / 100,
    };
  } finally {
    await h.close();
  }
}

runWhenMain(import.meta.url, run);

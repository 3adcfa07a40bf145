import { openSerialCardReader } from '../../drivers/reader-manager/card-reader.ts';
import { loadCardCatalog } from '../../drivers/virtual/fixtures.ts';
import { readFloor } from '../../drivers/virtual/floor.ts';
import { linkMessageMs } from '../../drivers/virtual/timing-model.ts';
import { spawnVirtualReader } from '../integration/drivers/helpers.ts';
import { runWhenMain } from './run-alone.ts';

/**
 * Card-read figures (issue 3): a full 社保卡 read over the serial link — the driver (serialport on a real
 * pseudo-terminal) against the virtual reader PROCESS, which delays every answer by the timing model of
 * reader-link.md §4. Per generation: median of 20 reads (after 2 warm-ups) as a ratio to the §4 floor of the
 * same card computed here from the fixture (power-on, SELECT SSSE, one exact-Le READ RECORD per record by SFI,
 * the PSAM exchanges on a 3rd-generation card; host link both ways). Goal: ≤ 1.10× for both generations.
 * The measured read also powers the card off afterwards (one more exchange, outside the floor; its model
 * time is reported). Host CPU per read: process.cpuUsage() of this process only; the reader runs elsewhere.
 * Run alone: npm exec -- tsx test/bench/drivers.bench.ts
 */
const RUNS = 20;
const WARMUP = 2;
const CARDS = { g2: 'local-employee/g2', g3: 'local-employee/g3' } as const;
const GOAL = 1.1;

const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number;
}
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
}

export async function run(): Promise<Record<string, unknown>> {
  const catalog = loadCardCatalog();
  const vr = await spawnVirtualReader();
  const reader = await openSerialCardReader(vr.path);
  try {
    const out: Record<string, unknown> = {
      what: 'full 社保卡 read over the serial link (pty) against the virtual reader process, vs the reader-link.md §4 floor',
      runs: RUNS,
      goalRatio: GOAL,
      powerOffModelMs: round(linkMessageMs('serial', 10) * 2, 2),
    };
    for (const [generation, cardId] of Object.entries(CARDS)) {
      const floor = readFloor(catalog.get(cardId)!, 'serial');
      const state = await vr.control.state();
      if (state.card) await vr.control.remove();
      await vr.control.insert(cardId);
      const times: number[] = [];
      const cpu: number[] = [];
      const commandsBefore = reader.client.stats.commands;
      const readerBefore = (await vr.control.state()).stats;
      for (let i = 0; i < WARMUP + RUNS; i++) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const { card } = await reader.read();
        const elapsed = performance.now() - t0;
        const c = process.cpuUsage(c0);
        if (card.cardSn !== catalog.get(cardId)!.issue!.cardSn) throw new Error(`read the wrong card: ${card.cardSn}`);
        if (i < WARMUP) continue;
        times.push(elapsed);
        cpu.push((c.user + c.system) / 1000);
      }
      const readerAfter = (await vr.control.state()).stats;
      const med = median(times);
      const exchangesPerRead = (reader.client.stats.commands - commandsBefore) / (WARMUP + RUNS);
      out[generation] = {
        card: cardId,
        floorMs: round(floor.totalMs, 2),
        floorCardMs: round(floor.cardMs, 2),
        floorLinkMs: round(floor.linkMs, 2),
        floorExchanges: floor.exchanges.length,
        exchangesPerRead,
        medianMs: round(med, 1),
        p95Ms: round(quantile(times, 0.95), 1),
        minMs: round(Math.min(...times), 1),
        maxMs: round(Math.max(...times), 1),
        ratioToFloor: round(med / floor.totalMs, 3),
        withinGoal: med / floor.totalMs <= GOAL,
        hostCpuPerReadMs: { median: round(median(cpu), 2), p95: round(quantile(cpu, 0.95), 2) },
        hostCpuShareOfReadTime: round(median(cpu) / med, 3),
        // How late the virtual reader's answers left, against the model, per read (its timers on a shared machine).
        readerLateMsPerRead: round((readerAfter.lateMsTotal - readerBefore.lateMsTotal) / (WARMUP + RUNS), 2),
      };
    }
    return out;
  } finally {
    await reader.close().catch(() => undefined);
    await vr.stop();
  }
}

runWhenMain(import.meta.url, run);

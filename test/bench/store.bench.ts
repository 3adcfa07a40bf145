/**
 * Store figures (issue 15): what encryption at rest costs, and how long the audit chain takes to verify.
 *
 * 1. Enqueue (a fee line + its 2301 outbox row in one transaction, synchronous=FULL) in an encrypted store
 *    (SQLCipher 4 with 1 KiB pages through SQLite3MultipleCiphers, db/encryption.ts STORE_CIPHER) against the
 *    same in a clear store opened the same way, sample by sample interleaved: p50/p99 and their ratios. Goal:
 *    ≤ 1.15. `withCheckpointer`: the same pair with the background WAL checkpointer (as the terminal runs).
 * 2. Drain: the relay draining queued stays (2401, 16 × 2301, 2402, 2303, 2304) to the sandbox platform (its
 *    own process, HTTP on 127.0.0.1) from an encrypted store and from a clear one, in alternating rounds (ABBA,
 *    as the outbox bench, because this machine's load drifts): the cost is clear rate / encrypted rate. Goal ≤ 1.15.
 * 3. `store.audit.verify()` over AUDIT_ROWS rows of the encrypted store, against the floor of reading the same
 *    rows (the scan verify cannot avoid): milliseconds and the ratio.
 *
 * 4. Integrity at open (issue 12): PRAGMA quick_check of an encrypted store of STORE_BENCH_QUICKCHECK_MB (default
 *    100) MB, as every open runs it, and the whole open (quick_check, migration check, settle); the floor is
 *    reading the same file from start to end (the I/O quick_check cannot avoid), both from a warm page cache.
 * 5. Disk full (issue 12): the file capped where it is (PRAGMA max_page_count after VACUUM) and filled until a
 *    commit fails with SQLITE_FULL; then the space comes back and the next commit is timed: how long the store
 *    takes to work again (no restart), against an ordinary commit on the same store (the peer).
 * 6. Pages (structural, issue 15): WAL frames per enqueue and per drained operation, by b-tree, and main-thread
 *    CPU per operation, clear and encrypted: what the ratios of 1 and 2 are made of (test/bench/store-pages.ts).
 *
 * Counts: STORE_BENCH_STAYS (default 200 per store) and STORE_BENCH_AUDIT_ROWS (default 100,000), smaller for
 * a smoke run; STORE_BENCH_ONLY=enqueue (comma list of the parts) runs some parts only. Run alone:
 * npm exec -- tsx test/bench/store.bench.ts
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { STORE_CIPHER } from '../../db/encryption.ts';
import { newKey } from '../../db/keystore.ts';
import { openStore, type StoreOptions } from '../../db/store.ts';
import { ScriptProcess } from '../integration/sync/processes.ts';
import { SANDBOX_NOW, writeWorld } from '../integration/sync/sandbox-world.ts';
import { enqueueSampler, percentile, RelayRounds, round } from './outbox.bench.ts';
import { drainPages, enqueuePages } from './store-pages.ts';
import { runWhenMain } from './run-alone.ts';

const STAYS = Number(process.env.STORE_BENCH_STAYS ?? 200);
const AUDIT_ROWS = Number(process.env.STORE_BENCH_AUDIT_ROWS ?? 100_000);
const ENQUEUE_SAMPLES = Number(process.env.STORE_BENCH_ENQUEUE_SAMPLES ?? 2_000);
const ROUNDS = 10;
const OPS_PER_STAY = 20;
const KIOSK = resolve(import.meta.dirname, '../../bin/kiosk.mjs');

function enqueue(dir: string): Record<string, unknown> {
  // What encryption costs: two stores opened the same way but for the key (the clear peer as ever), interleaved
  // sample by sample. Then, in a pass of its own, the same pair with the background WAL checkpointer, as the
  // terminal opens its store (services/terminal.ts): `withCheckpointer`. The passes are apart because a terminal
  // has one store: with all four interleaved, the checkpointer pair's threads (an encrypted checkpoint re-encrypts
  // for 3.5–5 ms) ran beside the primary pair's commits and put their fsyncs and CPU into its tail (measured
  // 2026-12-07, quiet machine: primary p99Cost 1.87–2.37 interleaved with them, 0.55–0.68 alone; p50 unchanged).
  const primary = samplePair(dir, {});
  const withCheckpointer = samplePair(join(dir, 'checkpointer'), { walCheckpointer: {} });
  return {
    samples: ENQUEUE_SAMPLES,
    ...primary,
    goal: '<= 1.15',
    withCheckpointer,
  };
}

function samplePair(dir: string, options: Pick<StoreOptions, 'walCheckpointer'>) {
  const clear = enqueueSampler(join(dir, 'clear'), 'FULL', null, options);
  const encrypted = enqueueSampler(join(dir, 'encrypted'), 'FULL', newKey(), options);
  const samples = { clear: [] as number[], encrypted: [] as number[] };
  for (let i = 0; i < ENQUEUE_SAMPLES; i++) {
    // Alternate which goes first, so neither always follows the other's fsync.
    if (i % 2 === 0) {
      samples.clear.push(clear.sample(i));
      samples.encrypted.push(encrypted.sample(i));
    } else {
      samples.encrypted.push(encrypted.sample(i));
      samples.clear.push(clear.sample(i));
    }
  }
  clear.close();
  encrypted.close();
  const stat = (xs: number[]) => ({ p50Us: Math.round(percentile(xs, 50)), p99Us: Math.round(percentile(xs, 99)) });
  const [c, e] = [stat(samples.clear), stat(samples.encrypted)];
  return { clear: c, encrypted: e, p50Cost: round(e.p50Us / c.p50Us, 3), p99Cost: round(e.p99Us / c.p99Us, 3) };
}

async function drain(dir: string): Promise<Record<string, unknown>> {
  const world = writeWorld(dir, STAYS * 2);
  const sandbox = new ScriptProcess(KIOSK, ['sandbox', '--port', '0', '--state', join(dir, 'sandbox.sqlite'), '--fixtures', world.fixturesPath, '--now', SANDBOX_NOW, '--frozen']);
  try {
    const url = (await sandbox.waitFor((l) => typeof l.url === 'string', 'the sandbox to listen', 60_000)).url as string;
    // Two terminals of one hospital: distinct persons, ipt_no prefixes and msgid partitions.
    const clear = new RelayRounds(join(dir, 'clear.sqlite'), url, world.persons.slice(0, STAYS), world.catalogue, { key: null, msgidIndex: 0, iptNoPrefix: 'ZC' });
    const encrypted = new RelayRounds(join(dir, 'encrypted.sqlite'), url, world.persons.slice(STAYS), world.catalogue, { key: newKey(), msgidIndex: 1, iptNoPrefix: 'ZE' });
    await clear.signIn();
    await encrypted.signIn();
    const perRound = (STAYS * OPS_PER_STAY) / ROUNDS;
    const totals = { clear: { ops: 0, ms: 0 }, encrypted: { ops: 0, ms: 0 } };
    const rounds: Array<{ clearOpsPerSecond: number; encryptedOpsPerSecond: number; cost: number }> = [];
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? (['clear', 'encrypted'] as const) : (['encrypted', 'clear'] as const);
      const got: Record<'clear' | 'encrypted', { ops: number; ms: number }> = { clear: { ops: 0, ms: 0 }, encrypted: { ops: 0, ms: 0 } };
      for (const k of order) got[k] = await (k === 'clear' ? clear : encrypted).round(perRound);
      if (got.clear.ops === 0 || got.encrypted.ops === 0) break; // one side drained (its rounds overshoot)
      for (const k of order) {
        totals[k].ops += got[k].ops;
        totals[k].ms += got[k].ms;
      }
      const cr = (got.clear.ops / got.clear.ms) * 1000;
      const er = (got.encrypted.ops / got.encrypted.ms) * 1000;
      rounds.push({ clearOpsPerSecond: round(cr, 1), encryptedOpsPerSecond: round(er, 1), cost: round(cr / er, 3) });
    }
    clear.close();
    encrypted.close();
    const cr = (totals.clear.ops / totals.clear.ms) * 1000;
    const er = (totals.encrypted.ops / totals.encrypted.ms) * 1000;
    return {
      operationsEach: totals.clear.ops,
      clearOpsPerSecond: round(cr, 1),
      encryptedOpsPerSecond: round(er, 1),
      cost: round(cr / er, 3),
      medianRoundCost: round(percentile(rounds.map((x) => x.cost), 50), 3),
      goal: '<= 1.15',
      rounds,
    };
  } finally {
    await sandbox.kill9();
  }
}

function auditVerify(dir: string): Record<string, unknown> {
  const store = openStore(join(dir, 'audit.sqlite'), { fixmedinsCode: 'H32020000001', key: newKey() });
  try {
    const perTx = 1_000;
    for (let done = 0; done < AUDIT_ROWS; done += perTx) {
      store.write((tx) => {
        for (let i = done; i < Math.min(AUDIT_ROWS, done + perTx); i++) {
          store.audit.append(tx, { actor: 'opter:1001', action: 'deposit.receive', subject: `admission:ZY2026${String(i).padStart(6, '0')}`, detail: { amountFen: 50_000 + i, receiptNo: `R${i}` } });
        }
      });
    }
    const scan0 = performance.now();
    let n = 0;
    for (const _row of store.db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate()) n++;
    const scanMs = performance.now() - scan0;
    const v0 = performance.now();
    const result = store.audit.verify();
    const verifyMs = performance.now() - v0;
    if (!result.ok || result.checked !== AUDIT_ROWS || n !== AUDIT_ROWS) throw new Error(`audit verify bench: ${JSON.stringify(result.problems.slice(0, 3))}`);
    return { rows: AUDIT_ROWS, verifyMs: round(verifyMs, 1), rowsPerSecond: Math.round((AUDIT_ROWS / verifyMs) * 1000), scanFloorMs: round(scanMs, 1), ratioToScan: round(verifyMs / scanMs, 2) };
  } finally {
    store.close();
  }
}

const QUICKCHECK_MB = Number(process.env.STORE_BENCH_QUICKCHECK_MB ?? 100);

/** quick_check at open on a store of QUICKCHECK_MB: the open-time budget's figure (db/integrity.ts). */
export function integrityAtOpen(dir: string): Record<string, unknown> {
  const path = join(dir, 'big.sqlite');
  const key = newKey();
  const store = openStore(path, { fixmedinsCode: 'H32020000001', key });
  try {
    // Audit-sized rows (≈ 500 bytes with their index entries) written in large transactions; quick_check
    // walks every page and record, so what fills the pages matters little. Hashes are not chained here.
    const insert = store.db.prepare('INSERT INTO audit_log (at, actor, action, subject, detail_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const fill = store.db.transaction((from: number) => {
      for (let i = from; i < from + 20_000; i++) insert.run(i, 'opter:1001', 'deposit.receive', `admission:ZY2026${String(i).padStart(6, '0')}`, JSON.stringify({ amountFen: 50_000 + i, receiptNo: `R${i}`, note: 'x'.repeat(300) }), '0'.repeat(64), String(i).padStart(64, '0'));
    });
    const pageSize = Number(store.db.pragma('page_size', { simple: true }));
    for (let n = 0; Number(store.db.pragma('page_count', { simple: true })) * pageSize < QUICKCHECK_MB * 1e6; n += 20_000) fill(n);
  } finally {
    store.close();
  }
  const bytes = statSync(path).size;
  const floor0 = performance.now();
  const fd = openSync(path, 'r');
  const chunk = Buffer.alloc(1 << 20);
  for (let pos = 0; pos < bytes; pos += chunk.length) readSync(fd, chunk, 0, chunk.length, pos);
  closeSync(fd);
  const floorMs = performance.now() - floor0;
  const open0 = performance.now();
  const again = openStore(path, { fixmedinsCode: 'H32020000001', key });
  const openMs = performance.now() - open0;
  const quickCheckMs = again.integrity!.quickCheckMs;
  again.close();
  return {
    megabytes: round(bytes / 1e6, 1),
    encrypted: true,
    quickCheckMs: round(quickCheckMs, 1),
    openMs: round(openMs, 1),
    readFileFloorMs: round(floorMs, 1),
    ratioQuickCheckToRead: round(quickCheckMs / floorMs, 2),
    msPer100Mb: round((quickCheckMs / bytes) * 1e8, 1),
  };
}

/** Recovery after disk full: the first commit once space is back, against an ordinary commit (medians). */
export function diskFullRecovery(dir: string, rounds = 7): Record<string, unknown> {
  const store = openStore(join(dir, 'full.sqlite'), { fixmedinsCode: 'H32020000001', key: newKey() });
  const append = (action: string, pad = 0) =>
    store.write((tx) => store.audit.append(tx, { actor: 'opter:1001', action, subject: 'bench', detail: pad ? { pad: 'x'.repeat(pad) } : {} }));
  const recovery: number[] = [];
  const ordinary: number[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      store.db.exec('VACUUM');
      store.db.pragma(`max_page_count = ${Number(store.db.pragma('page_count', { simple: true }))}`);
      let fullSeen = false;
      for (const pad of [2_000, 200, 20, 1]) {
        for (;;) {
          try {
            append('bench.fill', pad);
          } catch (err) {
            if ((err as { code?: string }).code !== 'SQLITE_FULL') throw err;
            fullSeen = true;
            break;
          }
        }
      }
      if (!fullSeen) throw new Error('disk-full bench: no SQLITE_FULL');
      const t0 = performance.now();
      store.db.pragma('max_page_count = 1073741823');
      append('bench.after-full');
      recovery.push(performance.now() - t0);
      const t1 = performance.now();
      append('bench.ordinary');
      ordinary.push(performance.now() - t1);
    }
  } finally {
    store.close();
  }
  const rec = percentile(recovery, 50);
  const ord = percentile(ordinary, 50);
  return { rounds, firstCommitAfterSpaceBackMedianMs: round(rec, 2), ordinaryCommitMedianMs: round(ord, 2), ratioToOrdinaryCommit: round(rec / ord, 2), restartNeeded: false };
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-bench-store-'));
  const say = (m: string) => process.stderr.write(`store bench: ${m}\n`);
  const parts: Record<string, () => Promise<unknown> | unknown> = {
    enqueue: () => (say(`enqueue, ${ENQUEUE_SAMPLES} samples each`), enqueue(dir)),
    drain: () => (say(`drain, ${STAYS} stays each`), drain(dir)),
    auditVerify: () => (say(`audit verify, ${AUDIT_ROWS} rows`), auditVerify(dir)),
    integrityAtOpen: () => (say('integrity at open'), integrityAtOpen(dir)),
    diskFullRecovery: () => (say('disk-full recovery'), diskFullRecovery(dir)),
    enqueuePages: () => (say('pages per enqueue'), enqueuePages(dir)),
    drainPages: () => (say('pages per drained operation'), drainPages(dir)),
  };
  // STORE_BENCH_ONLY=enqueue (a comma list) runs some parts only: repeated smoke runs of one figure.
  const only = process.env.STORE_BENCH_ONLY?.split(',').map((p) => p.trim());
  const figures: Record<string, unknown> = { cipher: `${STORE_CIPHER.name} (SQLite3MultipleCiphers)` };
  try {
    for (const [name, part] of Object.entries(parts)) if (!only || only.includes(name)) figures[name] = await part();
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runWhenMain(import.meta.url, run);

/**
 * What encryption costs, counted instead of timed (issue 15; part of `npm run bench -- store`): the pages (WAL frames)
 * one operation writes, by b-tree, and the main thread's CPU per operation, in a clear store and an encrypted one.
 * Wall-clock ratios on a loaded machine are noise; these counts are not. SQLCipher encrypts and authenticates
 * every page a commit writes, so the encrypted side's extra CPU per operation divided by its pages per operation is
 * what one page's crypto costs here, and a page an operation stops writing is that much off its cost.
 *
 * - enqueue: the store bench's enqueue (a fee line + its 2301 outbox row, one transaction), ENQUEUE_PAGES_SAMPLES
 *   commits after a warm-up, the two stores interleaved commit by commit.
 * - drain: the relay draining queued stays (2401, 16 × 2301, 2402, 2303, 2304) to the sandbox platform, as the
 *   store bench's drain, DRAIN_PAGES_STAYS stays per store. The relay groups operations into commits as they
 *   come back, and a page written by several operations of one commit is written once: frames per operation
 *   depend on that grouping (commitsPerOp beside them). No CPU figure: one drain after the other is too noisy.
 * Frames are counted exactly: the WAL is emptied before the measured window and a read snapshot held through it
 * keeps any checkpoint from copying or restarting it, then every frame header's page number is mapped to its
 * b-tree through dbstat
 * ("page 1" is the file header page, rewritten whenever the file grows).
 * Run alone: npm exec -- tsx test/bench/store-pages.ts
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDatabase, type SqliteDatabase } from '../../db/connection.ts';
import type { Store } from '../../db/store.ts';
import { newKey } from '../../db/keystore.ts';
import { ScriptProcess } from '../integration/sync/processes.ts';
import { SANDBOX_NOW, writeWorld } from '../integration/sync/sandbox-world.ts';
import { enqueueSampler, RelayRounds, round } from './outbox.bench.ts';
import { walFrames } from '../unit/db/wal-frames.ts';
import { runWhenMain } from './run-alone.ts';

const ENQUEUE_PAGES_SAMPLES = Number(process.env.STORE_BENCH_PAGES_SAMPLES ?? 400);
const DRAIN_PAGES_STAYS = Number(process.env.STORE_BENCH_PAGES_STAYS ?? 10);
const KIOSK = resolve(import.meta.dirname, '../../bin/kiosk.mjs');

/**
 * Empties the WAL, then holds a read snapshot on a connection of its own so that no checkpoint (the terminal's
 * background checkpointer, the writer's autocheckpoint) can copy or restart the WAL: from now on it holds exactly
 * the frames written, until `release` ends the snapshot.
 */
function startCounting(store: Store, key: Buffer | null): { release(): void } {
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  const reader = openDatabase(store.path, { key, readonly: true });
  reader.exec('BEGIN');
  reader.prepare('SELECT count(*) FROM sqlite_schema').get(); // the snapshot starts at the first read
  return {
    release() {
      reader.exec('COMMIT');
      reader.close();
    },
  };
}

interface Counted {
  frames: number;
  /** Commit frames (a nonzero database size in the frame header): one per transaction. */
  commits: number;
  byTree: Record<string, number>;
}

/** Frames in the WAL since startCounting, by the b-tree that owns each page now. */
function framesByTree(db: SqliteDatabase, path: string): Counted {
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  const owner = new Map((db.prepare('SELECT name, pageno FROM dbstat').all() as Array<{ name: string; pageno: number }>).map((r) => [r.pageno, r.name]));
  const wal = readFileSync(`${path}-wal`);
  const byTree: Record<string, number> = {};
  let frames = 0;
  let commits = 0;
  for (const frame of walFrames(wal, pageSize)) {
    // Every frame carries the header's salts unless the WAL was restarted, which the held snapshot prevents.
    if (!frame.current) throw new Error('store pages: the WAL was restarted during the count');
    const page = frame.pgno;
    if (frame.commitSize !== 0) commits++;
    const name = page === 1 ? 'page 1' : (owner.get(page) ?? 'free list');
    byTree[name] = (byTree[name] ?? 0) + 1;
    frames++;
  }
  return { frames, commits, byTree };
}

function perOperation(counted: Counted, ops: number, pageSize: number) {
  const byTree = Object.entries(counted.byTree)
    .map(([name, n]) => [name, round(n / ops, 2)] as const)
    .sort((a, b) => b[1] - a[1]);
  return { pageSize, commitsPerOp: round(counted.commits / ops, 2), framesPerOp: round(counted.frames / ops, 2), kbPerOp: round((counted.frames * pageSize) / ops / 1024, 1), byTree: Object.fromEntries(byTree) };
}

export function enqueuePages(dir: string, samples = ENQUEUE_PAGES_SAMPLES): Record<string, unknown> {
  const keys = { clear: null, encrypted: newKey() };
  const sides = {
    clear: enqueueSampler(join(dir, 'pages-clear'), 'FULL', keys.clear),
    encrypted: enqueueSampler(join(dir, 'pages-encrypted'), 'FULL', keys.encrypted),
  };
  const names = Object.keys(sides) as Array<keyof typeof sides>;
  const counting: Array<{ release(): void }> = [];
  try {
    for (let i = 0; i < 50; i++) for (const n of names) sides[n].sample(i); // warm-up: tables past their first pages
    for (const n of names) counting.push(startCounting(sides[n].store, keys[n]));
    const cpuUs = { clear: 0, encrypted: 0 };
    for (let i = 50; i < 50 + samples; i++) {
      for (const n of names) {
        const c0 = process.threadCpuUsage();
        sides[n].sample(i);
        const c = process.threadCpuUsage(c0);
        cpuUs[n] += c.user + c.system;
      }
    }
    const side = (n: keyof typeof sides) => {
      const db = sides[n].store.db;
      return { ...perOperation(framesByTree(db, db.name), samples, Number(db.pragma('page_size', { simple: true }))), cpuUsPerOp: Math.round(cpuUs[n] / samples) };
    };
    const figures = { clear: side('clear'), encrypted: side('encrypted') };
    const extraCpu = figures.encrypted.cpuUsPerOp - figures.clear.cpuUsPerOp;
    return { samples, ...figures, encryptedExtraCpuUsPerOp: extraCpu, extraCpuUsPerEncryptedPage: round(extraCpu / figures.encrypted.framesPerOp, 1) };
  } finally {
    for (const c of counting) c.release();
    for (const n of names) sides[n].close();
  }
}

export async function drainPages(dir: string, stays = DRAIN_PAGES_STAYS): Promise<Record<string, unknown>> {
  const world = writeWorld(dir, stays * 2);
  const sandbox = new ScriptProcess(KIOSK, ['sandbox', '--port', '0', '--state', join(dir, 'pages-sandbox.sqlite'), '--fixtures', world.fixturesPath, '--now', SANDBOX_NOW, '--frozen']);
  try {
    const url = (await sandbox.waitFor((l) => typeof l.url === 'string', 'the sandbox to listen', 60_000)).url as string;
    const figures: Record<string, unknown> = { stays };
    for (const [k, side] of (['clear', 'encrypted'] as const).entries()) {
      const path = join(dir, `pages-drain-${side}.sqlite`);
      const key = side === 'encrypted' ? newKey() : null;
      const rounds = new RelayRounds(path, url, world.persons.slice(k * stays, (k + 1) * stays), world.catalogue, { key, msgidIndex: k, iptNoPrefix: side === 'encrypted' ? 'ZE' : 'ZC' });
      let counting: { release(): void } | null = null;
      try {
        await rounds.signIn();
        const db = rounds.store.db;
        counting = startCounting(rounds.store, key);
        const { ops } = await rounds.round(rounds.total);
        figures[side] = { ops, ...perOperation(framesByTree(db, path), ops, Number(db.pragma('page_size', { simple: true }))) };
      } finally {
        counting?.release();
        rounds.close();
      }
    }
    return figures;
  } finally {
    await sandbox.kill9();
  }
}

runWhenMain(import.meta.url, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-bench-store-pages-'));
  try {
    return { enqueue: enqueuePages(dir), drain: await drainPages(dir) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

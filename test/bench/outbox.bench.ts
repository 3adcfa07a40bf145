/**
 * Store and outbox figures (issue 5).
 *
 * 1. Drain of 10,000 queued operations (500 stays: 2401, 16 × 2301, 2402, 2303, 2304, all queued before the
 *    drain starts) by the relay through the platform client to the sandbox platform (its own process, over
 *    HTTP on 127.0.0.1), as a ratio to the sandbox's raw request rate from a bare client in the same run: the
 *    same kind of stays, pre-serialised envelopes POSTed by a keep-alive loop that only parses each answer and
 *    checks infcode, with the same number of stays in flight. The drain runs in 10 rounds of 1,000 operations
 *    alternating with 10 bare rounds of 1,000 (ABBA order), because this machine's load moves the platform's
 *    rate by a factor of several within minutes; the figure is the ratio of the summed rates and the median
 *    of the per-round ratios. Goal: ratio ≥ 0.9 (issue 11; issue 5 asked for 0.8).
 * 2. Enqueue latency with synchronous=FULL: one domain row (a fee line) + its outbox row in one transaction,
 *    p50/p99 over 2,000 commits, against the floor of one single-row commit with FULL on the same disk, and
 *    the same enqueue with synchronous=NORMAL as a peer (what FULL costs); the three interleaved sample by
 *    sample.
 * Run alone: npm exec -- tsx test/bench/outbox.bench.ts
 */
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { openStore, type Store, type StoreOptions } from '../../db/store.ts';
import { openDatabase } from '../../db/connection.ts';
import { newKey } from '../../db/keystore.ts';
import { buildEnvelope } from '../../insurance/client/envelope.ts';
import { chinaDateTime } from '../../base/china-time.ts';
import { Relay, type RelayOptions } from '../../services/sync/relay.ts';
import { ClientPlatformPort } from '../../services/sync/client-port.ts';
import { ScriptProcess } from '../integration/sync/processes.ts';
import { platformClientFor } from '../integration/sync/platform-client-for.ts';
import { HOSPITAL_CODE, ADMDVS, SANDBOX_NOW, queueSandboxStay, writeWorld, type QueuedStay, type WorldPerson, type CatalogueLine } from '../integration/sync/sandbox-world.ts';
import { createWriteBackTable } from '../../services/write-back-table.ts';

// Measurement-only knobs (never set for the figures of record): OUTBOX_BENCH_WRITE_TIMING=1 prints, per relay
// round, the main thread's event-loop utilisation, CPU per operation (main thread, whole process) and the time
// the main thread spent inside store.write; OUTBOX_BENCH_RELAY_COMMIT=worker runs the relay's commits in its
// commit worker (issue 11) instead of on the main thread, to compare; OUTBOX_BENCH_RELAY_SYNC (main-thread
// commits only: a PRAGMA does not reach the worker's connection) and OUTBOX_BENCH_RELAY_CLEAR change the relay
// store's synchronous mode or drop its encryption, to see what fsync and encryption cost (issue 11 notes).
// test/bench/relay-ab.ts compares two relay configurations in one run.
// OUTBOX_BENCH_STAYS / OUTBOX_BENCH_ROUNDS shrink a smoke run (e.g. 100 / 4) on a shared machine; the figures
// of record use the defaults.
const STAYS = Number(process.env.OUTBOX_BENCH_STAYS ?? 500);
const BATCHES = 16; // 20 operations per stay
const CONCURRENCY = 16;
const ROUNDS = Number(process.env.OUTBOX_BENCH_ROUNDS ?? 10);
const COMMIT_WINDOW_MS = process.env.OUTBOX_BENCH_COMMIT_WINDOW_MS === undefined ? undefined : Number(process.env.OUTBOX_BENCH_COMMIT_WINDOW_MS);
/** Measurement knob: 'worker' runs the relay's commits in its commit worker (RelayOptions.commitIn); default as the terminal. */
const RELAY_COMMIT = process.env.OUTBOX_BENCH_RELAY_COMMIT === 'worker' ? 'worker' : 'main-thread';
const ENQUEUE_SAMPLES = Number(process.env.OUTBOX_BENCH_ENQUEUE_SAMPLES ?? 2_000);
const KIOSK = resolve(import.meta.dirname, '../../bin/kiosk.mjs');

export const writeTiming = { ms: 0, commits: 0 };

/** CPU time of this process's main thread (Linux: /proc/self/task/<pid>/stat, utime + stime), for the timing knob. */
function mainThreadCpuMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ = 100
  } catch {
    return 0;
  }
}
export const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

function post(agent: http.Agent, url: URL, body: string): Promise<string> {
  return new Promise((res, rej) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(body) } }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => res(Buffer.concat(chunks).toString('utf8')));
      r.on('error', rej);
    });
    req.on('error', rej);
    req.end(body);
  });
}

/** Runs `work` for every element with at most `n` at a time. */
async function pool<T>(items: readonly T[], n: number, work: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/**
 * The bare client: the stays' envelopes serialised in advance (msgid, sign_no, input), the mdtrt_id filled in
 * by a string replace once 2401 answered; per answer only JSON.parse and the infcode check.
 */
async function bareDrain(endpoint: URL, scratch: Store, persons: WorldPerson[], catalogue: CatalogueLine[], signNo: string): Promise<{ ops: number; ms: number }> {
  const stays: QueuedStay[] = persons.map((p) => queueSandboxStay(scratch, p, catalogue, BATCHES));
  const operator = { opter: 'ZZJ01', opter_name: '自助机01', opter_type: '2' as const };
  const identity = { fixmedins_code: HOSPITAL_CODE, fixmedins_name: '无锡市第一人民医院', mdtrtarea_admvs: ADMDVS, recer_sys_code: 'MBS', infver: 'V1.0' };
  const bodies = stays.map((s) =>
    s.items.map((i) =>
      JSON.stringify(buildEnvelope({ identity, infno: i.infno, msgid: i.msgid, insuplc_admdvs: ADMDVS, operator, inf_time: chinaDateTime(new Date()), sign_no: signNo, input: i.input })),
    ),
  );
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let ops = 0;
  const started = performance.now();
  await pool(bodies, CONCURRENCY, async (stay) => {
    let mdtrtId = '';
    for (const template of stay) {
      const body = mdtrtId ? template.replaceAll('{{mdtrt_id}}', mdtrtId) : template;
      const answer = JSON.parse(await post(agent, endpoint, body)) as { infcode: number | string; err_msg?: string; output?: { result?: { mdtrt_id?: string } } };
      if (Number(answer.infcode) !== 0) throw new Error(`bare client: refused: ${answer.err_msg}`);
      mdtrtId ||= answer.output?.result?.mdtrt_id ?? '';
      ops++;
    }
  });
  const ms = performance.now() - started;
  agent.destroy();
  return { ops, ms };
}

/**
 * The relay over a store where every stay is queued: each call drains about `ops` more operations (the relay is
 * stopped once that many are done; the attempts in flight are written back before the time is taken).
 */
export class RelayRounds {
  /** Read by store-pages.ts to count what the drain writes. */
  readonly store: Store;
  private readonly client: ReturnType<typeof platformClientFor>;
  private readonly port: ClientPlatformPort;
  readonly total: number;
  done = 0;
  /** How long each round's relay took to get its commit worker ready (not timed in the round). */
  readonly prepareMs: number[] = [];

  constructor(
    storePath: string,
    private readonly url: string,
    persons: WorldPerson[],
    catalogue: CatalogueLine[],
    options: { key: Buffer | null; msgidIndex?: number; iptNoPrefix?: string },
    private readonly relayOptions: Partial<RelayOptions> = {},
  ) {
    // Opened as services/terminal.ts opens the terminal's store: with the background WAL checkpointer, so that no
    // relay commit carries a checkpoint (without it, one commit in a hundred or so copied ~1,000 pages into the
    // file and fsynced it on the relay's thread, which the terminal never does).
    this.store = openStore(storePath, {
      fixmedinsCode: HOSPITAL_CODE,
      msgidPartition: { index: options.msgidIndex ?? 0, count: 3 },
      key: options.key,
      iptNoPrefix: options.iptNoPrefix ?? 'ZY',
      walCheckpointer: { onProblem: (err) => console.error(`relay store: WAL checkpointer problem: ${err.message}`) },
    });
    if (process.env.OUTBOX_BENCH_RELAY_SYNC) this.store.db.pragma(`synchronous = ${process.env.OUTBOX_BENCH_RELAY_SYNC}`);
    const stays = persons.map((p) => queueSandboxStay(this.store, p, catalogue, BATCHES));
    if (process.env.OUTBOX_BENCH_WRITE_TIMING) {
      const inner = this.store.write.bind(this.store);
      (this.store as { write: typeof inner }).write = ((fn: never) => {
        const t0 = performance.now();
        try {
          return inner(fn);
        } finally {
          writeTiming.ms += performance.now() - t0;
          writeTiming.commits++;
        }
      }) as typeof inner;
    }
    this.total = stays.reduce((n, s) => n + s.items.length, 0);
    this.client = platformClientFor(this.store, url, 30_000);
    this.port = new ClientPlatformPort({ client: this.client, store: this.store, writeBack: createWriteBackTable(), platformUrl: url });
  }

  async signIn(): Promise<void> {
    await this.client.ensureSignedIn(this.client.defaultOperator); // as the bare client, start signed in
  }

  async round(ops: number): Promise<{ ops: number; ms: number }> {
    const relay = new Relay({
      writeBack: createWriteBackTable(),
      store: this.store,
      platform: this.port,
      concurrency: CONCURRENCY,
      ...(COMMIT_WINDOW_MS === undefined ? {} : { commitWindowMs: COMMIT_WINDOW_MS }),
      ...(RELAY_COMMIT === 'worker' ? { commitIn: 'worker' as const } : {}),
      ...this.relayOptions,
    });
    let doneHere = 0;
    let failed: string | null = null;
    const target = Math.min(ops, this.total - this.done);
    if (target <= 0) return { ops: 0, ms: 0 }; // drained already: the slots of the last round overshoot its target
    const reached = new Promise<void>((res) => {
      relay.subscribe((e) => {
        if (process.env.BENCH_DEBUG) process.stderr.write(`relay event ${e.type} ${JSON.stringify(e).slice(0, 300)}\n`);
        if (e.type === 'done' && ++doneHere >= target) res();
        if (e.type === 'dead' || e.type === 'retry') {
          failed ??= `${e.type}: ${e.item.infno} ${'error' in e ? e.error : ''}`;
          res();
        }
      });
    });
    const w0 = { ...writeTiming };
    // A commit worker (OUTBOX_BENCH_RELAY_COMMIT=worker) is started before the clock: a terminal would start it
    // once, at launch, not per drain (its start is reported as drain.relayPrepareMs, never part of a round).
    const preparing = performance.now();
    await relay.prepare();
    this.prepareMs.push(performance.now() - preparing);
    const elu0 = performance.eventLoopUtilization();
    const cpu0 = { main: mainThreadCpuMs(), all: process.cpuUsage() };
    const started = performance.now();
    await relay.start();
    await reached;
    await relay.stop();
    const ms = performance.now() - started;
    if (process.env.OUTBOX_BENCH_WRITE_TIMING) {
      const elu = performance.eventLoopUtilization(elu0).utilization;
      const all = process.cpuUsage(cpu0.all);
      const perOp = (cpuMs: number) => round((cpuMs / Math.max(1, doneHere)) * 1000, 0);
      console.error(JSON.stringify({ roundMs: Math.round(ms), ops: doneHere, eventLoopUtilisation: round(elu, 3), mainThreadCpuUsPerOp: perOp(mainThreadCpuMs() - cpu0.main), processCpuUsPerOp: perOp((all.user + all.system) / 1000), writeMs: Math.round(writeTiming.ms - w0.ms), mainThreadWrites: writeTiming.commits - w0.commits, share: round((writeTiming.ms - w0.ms) / ms, 3) }));
    }
    if (failed) throw new Error(`relay drain: ${failed}`);
    this.done += doneHere;
    return { ops: doneHere, ms };
  }

  close(): void {
    if (this.store.outbox.status(new Date()).depth !== 0) throw new Error('relay drain: the queue is not empty at the end');
    this.client.close();
    this.store.close();
  }
}

export interface Sampler {
  sample(i: number): number;
  close(): void;
}

/** A sampler writing to a store (store-pages.ts counts the pages its samples write). */
export interface StoreSampler extends Sampler {
  readonly store: Store;
}

/** One fee line + its 2301 outbox row per transaction, as the charges service writes them (in an encrypted store
 * when given a key, as the terminal's; store.bench.ts compares it with a clear one; `walCheckpointer` as the
 * terminal opens its store). */
export function enqueueSampler(dir: string, synchronous: 'FULL' | 'NORMAL', key: Buffer | null, options: Pick<StoreOptions, 'walCheckpointer'> = {}): StoreSampler {
  const store = openStore(join(dir, `enqueue-${synchronous}-${key ? 'encrypted' : 'clear'}.sqlite`), { fixmedinsCode: HOSPITAL_CODE, key, ...options });
  store.db.pragma(`synchronous = ${synchronous}`);
  const iptNo = store.write((tx) =>
    store.admissions.create(tx, {
      psnNo: 'P',
      insutype: '310',
      insuplcAdmdvs: ADMDVS,
      checkId: null,
      medType: '21',
      admissionType: 'normal',
      deptCode: 'A03',
      deptName: '心血管内科',
      ward: '5',
      bed: '1',
      atddrNo: 'D',
      chfpdrName: '李',
      diagCode: 'I10',
      diagName: '高血压',
      begntime: '2026-11-20 08:00:00',
      direct: true,
    }),
  ).iptNo;
  return {
    store,
    sample(i) {
      const sn = `F${i}`;
      const t0 = performance.now();
      store.write((tx) => {
        store.feeLines.add(tx, { iptNo, feedetlSn: sn, initFeedetlSn: null, medListCodg: 'X', medinsListCodg: 'H', name: '床位费', chrgitmType: '01', chrgitmLv: '01', cnt: '1', pricFen: 3000, detItemFeeSumamtFen: 3000, feeOcurTime: '2026-11-20 08:30:00', bilgDeptCodg: 'A03', bilgDrCodg: 'D' });
        store.outbox.enqueue(tx, {
          visitKey: iptNo,
          infno: '2301',
          input: { feedetail: [{ feedetl_sn: sn, mdtrt_id: '{{mdtrt_id}}', psn_no: 'P', det_item_fee_sumamt: '30.00', cnt: '1', pric: '30.00', med_list_codg: 'X' }] },
          // The msgid drawn by the enqueue itself, as the product's enqueues do (services/charges/fee-upload.ts).
          envelope: { insuplc_admdvs: ADMDVS },
        });
      });
      return (performance.now() - t0) * 1000;
    },
    close: () => store.close(),
  };
}

/** The floor: one single-row commit with synchronous=FULL in WAL on the same disk (one fsync). */
function floorSampler(dir: string): Sampler {
  const db = openDatabase(join(dir, 'floor.sqlite'));
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  const ins = db.prepare('INSERT INTO t (v) VALUES (?)');
  const tx = db.transaction(() => ins.run('x'.repeat(200)));
  return {
    sample() {
      const t0 = performance.now();
      tx.immediate();
      return (performance.now() - t0) * 1000;
    },
    close: () => db.close(),
  };
}

function latency(dir: string): Record<string, unknown> {
  // The terminal's store is encrypted (docs/security.md): the enqueue is measured as it runs there.
  const key = newKey();
  const samplers = { full: enqueueSampler(dir, 'FULL', key), normal: enqueueSampler(dir, 'NORMAL', key), floor: floorSampler(dir) };
  const samples = { full: [] as number[], normal: [] as number[], floor: [] as number[] };
  for (let i = 0; i < ENQUEUE_SAMPLES; i++) {
    for (const k of ['floor', 'full', 'normal'] as const) samples[k].push(samplers[k].sample(i));
  }
  for (const s of Object.values(samplers)) s.close();
  const stat = (xs: number[]) => ({ p50Us: Math.round(percentile(xs, 50)), p99Us: Math.round(percentile(xs, 99)) });
  const full = stat(samples.full);
  const floor = stat(samples.floor);
  return {
    samples: ENQUEUE_SAMPLES,
    storeEncrypted: true,
    synchronousFull: full,
    synchronousNormal: stat(samples.normal),
    singleRowCommitFloorFull: floor,
    p50RatioToFloor: round(full.p50Us / floor.p50Us, 2),
    p99RatioToFloor: round(full.p99Us / floor.p99Us, 2),
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-bench-outbox-'));
  const world = writeWorld(dir, STAYS * 2);
  const sandbox = new ScriptProcess(KIOSK, ['sandbox', '--port', '0', '--state', join(dir, 'sandbox.sqlite'), '--fixtures', world.fixturesPath, '--now', SANDBOX_NOW, '--frozen']);
  try {
    const url = (await sandbox.waitFor((l) => typeof l.url === 'string', 'the sandbox to listen', 60_000)).url as string;
    const endpoint = new URL('/fsi/api/rsfComIfsService/callService', url);
    // The bare client signs in once through the real client (untimed) and reuses the sign_no.
    // Two stores of one hospital, like two terminals: distinct ipt_no prefixes and msgid counter partitions.
    const scratch = openStore(join(dir, 'bare-scratch.sqlite'), { fixmedinsCode: HOSPITAL_CODE, iptNoPrefix: 'ZB', msgidPartition: { index: 1, count: 3 } });
    const signer = platformClientFor(scratch, url);
    const signNo = (await signer.ensureSignedIn(signer.defaultOperator)).sign_no;
    signer.close();

    const relay = new RelayRounds(join(dir, 'kiosk.sqlite'), url, world.persons.slice(0, STAYS), world.catalogue, { key: process.env.OUTBOX_BENCH_RELAY_CLEAR ? null : newKey() });
    await relay.signIn();
    const barePersons = world.persons.slice(STAYS);
    const perRound = STAYS / ROUNDS;
    const rounds: Array<{ relayOpsPerSecond: number; bareOpsPerSecond: number; ratio: number }> = [];
    let relayOps = 0;
    let relayMs = 0;
    let bareOps = 0;
    let bareMs = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const bareRound = () => bareDrain(endpoint, scratch, barePersons.slice(r * perRound, (r + 1) * perRound), world.catalogue, signNo);
      const relayRound = () => relay.round((STAYS * 20) / ROUNDS);
      // ABBA: bare first on even rounds, relay first on odd ones, so a drifting load favours neither side.
      let b: { ops: number; ms: number };
      let d: { ops: number; ms: number };
      if (r % 2 === 0) {
        b = await bareRound();
        d = await relayRound();
      } else {
        d = await relayRound();
        b = await bareRound();
      }
      relayOps += d.ops;
      relayMs += d.ms;
      bareOps += b.ops;
      bareMs += b.ms;
      const relayRate = (d.ops / d.ms) * 1000;
      const bareRate = (b.ops / b.ms) * 1000;
      rounds.push({ relayOpsPerSecond: round(relayRate, 1), bareOpsPerSecond: round(bareRate, 1), ratio: round(relayRate / bareRate, 3) });
    }
    relay.close();
    scratch.close();
    const relayRate = (relayOps / relayMs) * 1000;
    const bareRate = (bareOps / bareMs) * 1000;
    const ratios = rounds.map((x) => x.ratio);
    return {
      drain: {
        operations: relayOps,
        concurrency: CONCURRENCY,
        relayOpsPerSecond: round(relayRate, 1),
        relaySeconds: round(relayMs / 1000, 2),
        bareOpsPerSecond: round(bareRate, 1),
        ratio: round(relayRate / bareRate, 3),
        medianRoundRatio: round(percentile(ratios, 50), 3),
        goal: '>= 0.9',
        storeEncrypted: true,
        /** Where the relay's commits ran ('main-thread', as in the terminal; OUTBOX_BENCH_RELAY_COMMIT=worker to measure the worker). */
        relayCommits: RELAY_COMMIT,
        /** Median start of the relay's committer per round (a worker: thread + second connection), outside the rounds' time. */
        relayPrepareMs: round(percentile(relay.prepareMs, 50), 1),
        rounds,
      },
      enqueue: latency(dir),
    };
  } finally {
    await sandbox.kill9();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  run()
    .then((figures) => console.log(JSON.stringify(figures, null, 2)))
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}

import { closeSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerEntry } from './worker-entry.ts';

/**
 * The background WAL checkpointer: a worker thread with a connection of its own (db/wal-checkpoint-worker.ts)
 * that copies the WAL into the database file (`PRAGMA wal_checkpoint(PASSIVE)`) as the WAL grows, so checkpoints
 * leave the commit path.
 *
 * Why. In WAL mode the connection whose commit crosses `wal_autocheckpoint` runs the checkpoint inside that
 * commit: in an encrypted store that means decrypting every WAL frame and encrypting it again into the file, plus
 * an fsync of the file — one commit in a hundred or so took milliseconds (the enqueue p99 in
 * test/bench/store.bench.ts). A PASSIVE checkpoint takes no lock a writer needs: commits go on while it runs.
 *
 * Rules:
 * - it never writes a row and never blocks a writer; it is started after the store is open and migrated;
 * - the writer's own autocheckpoint (4 MB, db/connection.ts) stays as it is: the safety net, and the bound on the
 *   WAL's length. In a long run of commits a PASSIVE checkpoint never catches the last frame, so the WAL is never
 *   restarted and grows until the writer's own checkpoint copies the tail and lets it restart. Raising that bound
 *   to 16 MB (as this module once did) made every encrypted commit of a burst ~25 % slower once the WAL passed
 *   ~8 MB (test/bench/store.bench.ts `withCheckpointer`: p50 cost 1.40-1.48 against 1.16-1.18 with 4 MB,
 *   measured 2026-12-07), while the writer's tail checkpoint copies only what this thread has not yet copied;
 * - `stop()` is synchronous and joins the thread's connection (closed before it returns): the store's `close()`
 *   calls it first, so the store's connection is the last one and SQLite removes the WAL at close as before;
 *   anything that needs the only connection (re-encryption, rotation, restore) runs with the store closed;
 * - a failure (the worker cannot open the store, a checkpoint error) is reported through `onProblem` and never
 *   ends the process; a failed checkpoint is tried again at the next poll, paced by FAILURE_BACKOFF_MS.
 */
export interface CheckpointerOptions {
  /** Told about a failure of the checkpointer (the terminal logs it). Never throws into the store. */
  onProblem?: (err: Error) => void;
  /** Checkpoint once this many bytes of WAL are not yet in the database file. */
  thresholdBytes?: number;
  /** How often the thread looks at the WAL index (ms). */
  pollMs?: number;
}

/** A checkpoint once this much of the WAL is not yet in the file: a quarter of the writer's autocheckpoint. */
export const CHECKPOINT_THRESHOLD_BYTES = 1_024_000;
export const CHECKPOINT_POLL_MS = 50;
/** Frames left in the WAL this long with no new ones are checkpointed anyway (a quiet desk empties its WAL). */
export const CHECKPOINT_IDLE_MS = 2_000;
export const FAILURE_BACKOFF_MS = 1_000;
const JOIN_TIMEOUT_MS = 10_000;

/** Slots of the shared control array. */
export const Slot = { stop: 0, state: 1, checkpoints: 2, failures: 3 } as const;
export const State = { starting: 0, running: 1, stopped: 2 } as const;

export interface CheckpointerWorkerData {
  path: string;
  key: Uint8Array | null;
  control: SharedArrayBuffer;
  thresholdBytes: number;
  pollMs: number;
}

export type CheckpointerMessage = { problem: { message: string; code?: string; stack?: string } };

export class WalCheckpointer {
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * 4));
  private readonly worker: Worker;
  private stopped = false;
  /** The last failure, for status and tests. */
  lastProblem: Error | null = null;

  constructor(
    path: string,
    key: Buffer | null,
    private readonly options: CheckpointerOptions = {},
  ) {
    const entry = workerEntry(new URL('./wal-checkpoint-worker.ts', import.meta.url), 'wal-checkpoint-worker.cjs');
    const workerData: CheckpointerWorkerData = {
      path,
      key: key ? new Uint8Array(key) : null,
      control: this.control.buffer as SharedArrayBuffer,
      thresholdBytes: options.thresholdBytes ?? CHECKPOINT_THRESHOLD_BYTES,
      pollMs: options.pollMs ?? CHECKPOINT_POLL_MS,
    };
    this.worker = new Worker(entry.file, { workerData, execArgv: entry.execArgv });
    this.worker.unref(); // never what keeps the process alive
    this.worker.on('message', (m: CheckpointerMessage) => this.problem(Object.assign(new Error(m.problem.message), { code: m.problem.code, stack: m.problem.stack })));
    // An 'error' event without a listener would end the process: a checkpointer must never do that.
    this.worker.on('error', (err) => this.problem(err));
    this.worker.on('exit', () => Atomics.store(this.control, Slot.state, State.stopped));
  }

  /** Checkpoints done so far (tests, status). */
  get checkpoints(): number {
    return Atomics.load(this.control, Slot.checkpoints);
  }
  get failures(): number {
    return Atomics.load(this.control, Slot.failures);
  }
  get running(): boolean {
    return !this.stopped && Atomics.load(this.control, Slot.state) !== State.stopped;
  }

  /**
   * Stops the thread and waits (blocking, at most JOIN_TIMEOUT_MS) until its connection is closed. Idempotent.
   * Returns false when the thread did not confirm in time (it is then terminated; its connection goes with it).
   */
  stop(): boolean {
    if (this.stopped) return true;
    this.stopped = true;
    Atomics.store(this.control, Slot.stop, 1);
    Atomics.notify(this.control, Slot.stop);
    const deadline = Date.now() + JOIN_TIMEOUT_MS;
    for (;;) {
      const state = Atomics.load(this.control, Slot.state);
      if (state === State.stopped) return true;
      const left = deadline - Date.now();
      if (left <= 0) break;
      Atomics.wait(this.control, Slot.state, state, Math.min(left, 100));
    }
    this.problem(new Error('WAL checkpointer did not stop in time; terminated'));
    void this.worker.terminate();
    return false;
  }

  private problem(err: Error): void {
    this.lastProblem = err;
    try {
      this.options.onProblem?.(err);
    } catch {
      // a reporter's failure is not the store's
    }
  }
}

/**
 * Frames of the WAL not yet copied into the database file, from the WAL index (the -shm file; its layout is
 * SQLite's documented wal-index format, native byte order): mxFrame (header offset 16) less nBackfill (the
 * checkpoint info at offset 96). 0 when there is no WAL index yet.
 */
export function pendingWalFrames(shmFd: number): number {
  const buf = Buffer.alloc(100);
  const n = readSync(shmFd, buf, 0, 100, 0);
  if (n < 100) return 0;
  const le = endianness() === 'LE';
  const mxFrame = le ? buf.readUInt32LE(16) : buf.readUInt32BE(16);
  const nBackfill = le ? buf.readUInt32LE(96) : buf.readUInt32BE(96);
  return Math.max(0, mxFrame - nBackfill);
}

/** Opens the store's WAL index for reading, or null while it does not exist. */
export function openWalIndex(path: string): number | null {
  try {
    return openSync(`${path}-shm`, 'r');
  } catch {
    return null;
  }
}

export function closeWalIndex(fd: number | null): void {
  if (fd !== null) closeSync(fd);
}

/**
 * The WAL checkpointer's thread (started by db/wal-checkpointer.ts; bundled as dist/electron/
 * wal-checkpoint-worker.cjs for the packaged app). Opens its own connection to the store with the same key and
 * settings as every connection (openDatabase), then polls the WAL index and runs PASSIVE checkpoints until told
 * to stop through the shared control array; closes its connection before it says it has stopped.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, type SqliteDatabase } from './connection.ts';
import { closeWalIndex, FAILURE_BACKOFF_MS, CHECKPOINT_IDLE_MS, openWalIndex, pendingWalFrames, Slot, State, type CheckpointerMessage, type CheckpointerWorkerData } from './wal-checkpointer.ts';

const data = workerData as CheckpointerWorkerData;
const control = new Int32Array(data.control);
const stopping = () => Atomics.load(control, Slot.stop) !== 0;

function report(err: unknown): void {
  const e = err instanceof Error ? err : new Error(String(err));
  const message: CheckpointerMessage = { problem: { message: e.message, code: (e as { code?: string }).code, stack: e.stack } };
  parentPort?.postMessage(message);
}

/** Sleeps `ms` unless told to stop. */
function pause(ms: number): void {
  if (!stopping()) Atomics.wait(control, Slot.stop, 0, ms);
}

function run(db: SqliteDatabase): void {
  const thresholdFrames = Math.max(1, Math.floor(data.thresholdBytes / Number(db.pragma('page_size', { simple: true }))));
  let index: number | null = null;
  let seen = 0;
  let changedAt = Date.now();
  try {
    while (!stopping()) {
      pause(data.pollMs);
      if (stopping()) break;
      index ??= openWalIndex(data.path);
      const pending = index === null ? 0 : readPending(index);
      if (pending === null) {
        // The WAL index cannot be read (not expected; a platform's file locks?): checkpoint once a second instead.
        closeWalIndex(index);
        index = null;
        pause(FAILURE_BACKOFF_MS);
        if (!stopping()) checkpoint(db);
        continue;
      }
      if (pending !== seen) {
        seen = pending;
        changedAt = Date.now();
      }
      if (pending === 0 || (pending < thresholdFrames && Date.now() - changedAt < CHECKPOINT_IDLE_MS)) continue;
      checkpoint(db);
    }
  } finally {
    closeWalIndex(index);
  }
}

function checkpoint(db: SqliteDatabase): void {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    Atomics.add(control, Slot.checkpoints, 1);
  } catch (err) {
    Atomics.add(control, Slot.failures, 1);
    report(err);
    pause(FAILURE_BACKOFF_MS);
  }
}

let indexProblemReported = false;
function readPending(index: number): number | null {
  try {
    return pendingWalFrames(index);
  } catch (err) {
    if (!indexProblemReported) report(err);
    indexProblemReported = true;
    return null;
  }
}

let db: SqliteDatabase | null = null;
try {
  Atomics.store(control, Slot.state, State.running);
  if (!stopping()) {
    db = openDatabase(data.path, { key: data.key ? Buffer.from(data.key) : null });
    run(db);
  }
} catch (err) {
  report(err);
} finally {
  try {
    db?.close();
  } catch (err) {
    report(err);
  }
  Atomics.store(control, Slot.state, State.stopped);
  Atomics.notify(control, Slot.state);
}

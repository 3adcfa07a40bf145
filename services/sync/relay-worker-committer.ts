import { Worker } from 'node:worker_threads';
import type { Clock } from '../../base/clock.ts';
import type { Store } from '../../db/store.ts';
import { createWriteBackTable } from '../write-back-table.ts';
import { InThreadCommitter, type RelayCommitter, type RelayCommitterFactory } from './relay-committer.ts';
import { workerEntry, type WorkerEntry } from '../../db/worker-entry.ts';
import { deserializeError, type WorkerCall, type WorkerReply } from './relay-worker-protocol.ts';
import type { HeldClaims, RelayOp, RelayOps } from './relay-writer.ts';
import type { SecondConnectionSpec } from '../../db/store.ts';
import type { WriteBackTable } from './write-back.ts';

/** The worker's bundle beside main.cjs in the Electron app (scripts/build-electron.mjs WORKER_BUNDLES). */
export const RELAY_WORKER_BUNDLE = 'relay-commit-worker.cjs';

/** Where the relay's commit worker is: relay-commit-worker.ts through tsx from source, its bundle in the app. */
export function relayWorkerEntry(): WorkerEntry {
  return workerEntry(new URL('./relay-commit-worker.ts', import.meta.url), RELAY_WORKER_BUNDLE);
}

/**
 * The relay's committer in a worker thread (relay-commit-worker.ts) with its own connection to the store: the
 * main thread posts an operation and goes on reading answers and sending requests while the worker's
 * transaction commits and waits for its fsync (synchronous=FULL: an operation resolves only once on disk).
 *
 * When the worker dies (an uncaught error, an exit, a failed open), every operation waiting on it is rejected,
 * later ones are refused, and the failure listeners hear of it once: the relay stops (Relay.committerFailed)
 * and nothing is lost, for what it had claimed is in flight in the file and the next start recovers it.
 */
export class WorkerCommitter implements RelayCommitter {
  private readonly worker: Worker;
  private readonly calls = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  private nextId = 1;
  private failure: Error | null = null;
  private closing = false;
  private readonly exited: Promise<void>;
  private readonly opened: Promise<void>;
  private markOpened: () => void = () => undefined;
  private readonly failureListeners: Array<(err: Error) => void> = [];

  constructor(
    spec: SecondConnectionSpec,
    holder: string,
    private readonly clock: Clock,
    entry: WorkerEntry = relayWorkerEntry(),
    /**
     * The same writer on the main thread's connection, for the commits the relay marks `inline`: when nothing
     * else is in flight (a lone item a service waits for, a discharge's next step) the event loop has nothing
     * to do during the fsync, and two thread hand-overs and a page cache the other connection made cold
     * would only lengthen the wait.
     */
    private readonly inline: InThreadCommitter | null = null,
  ) {
    this.opened = new Promise((resolve) => (this.markOpened = resolve));
    this.worker = new Worker(entry.file, { workerData: { spec, holder }, execArgv: entry.execArgv });
    this.worker.on('message', (reply: WorkerReply) => this.answered(reply));
    this.worker.on('error', (err) => this.fail(err));
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        if (!this.closing) this.fail(new Error(`the relay's commit worker ended (exit code ${code})`));
        else this.fail(new Error("the relay's commit worker was closed"), false);
        resolve();
      });
    });
  }

  run<K extends RelayOp>(op: K, arg: RelayOps[K][0], options: { inline?: boolean } = {}): Promise<RelayOps[K][1]> {
    if (this.failure) return Promise.reject(this.failure);
    if (options.inline && this.inline) return this.inline.run(op, arg);
    // A full disk is full for both connections: the test seam caps the inline one too.
    if (op === 'capPages' && this.inline) void this.inline.run(op, arg);
    if (this.closing) return Promise.reject(new Error("the relay's commit worker is closed"));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve: resolve as (value: unknown) => void, reject });
      const call: WorkerCall = { id, op, arg, now: this.clock.now().getTime() };
      this.worker.postMessage(call);
    });
  }

  ready(): Promise<void> {
    return Promise.race([this.opened, this.exited.then(() => Promise.reject(this.failure ?? new Error("the relay's commit worker ended")))]);
  }

  onFailure(listener: (err: Error) => void): void {
    this.failureListeners.push(listener);
  }

  /** Closes the worker's connection and ends the thread (after the operations already posted). */
  close(): Promise<void> {
    if (!this.closing) {
      this.closing = true;
      if (this.failure) void this.worker.terminate();
      else this.worker.postMessage({ id: 0, op: 'close', arg: null, now: 0 } satisfies WorkerCall);
    }
    return this.exited;
  }

  /** Ends the thread at once, as a fatal error in it would (the tests of what the relay does then). */
  crash(): Promise<void> {
    void this.worker.terminate();
    return this.exited;
  }

  private answered(reply: WorkerReply): void {
    if ('ready' in reply) {
      this.markOpened();
      return;
    }
    const call = this.calls.get(reply.id);
    if (!call) return;
    this.calls.delete(reply.id);
    if (reply.ok) call.resolve(reply.value);
    else call.reject(deserializeError(reply.error));
  }

  private fail(err: Error, tell = true): void {
    if (this.failure) return;
    this.failure = err;
    for (const call of this.calls.values()) call.reject(err);
    this.calls.clear();
    if (!tell) return;
    for (const listener of this.failureListeners) listener(err);
  }
}

/**
 * The terminal's committer: a worker per run of the relay, on a second connection to `store`. The worker builds
 * the one write-back table itself (services/write-back-table.ts; functions do not cross threads), so the relay
 * must have been given that table: a test's own table runs with commitIn 'main-thread'.
 */
export function workerCommitter(store: Store, writeBack: WriteBackTable, held: HeldClaims | null = null): RelayCommitterFactory {
  const spec = store.connectionSpec;
  if (!spec) throw new Error("relay: this store has no second connection (:memory:, read-only, or a test's commit seam): use commitIn 'main-thread'");
  if (!sameTable(writeBack, createWriteBackTable())) throw new Error("relay: a write-back table of its own cannot cross into the commit worker: use commitIn 'main-thread'");
  return (holder) => new WorkerCommitter(spec, holder, store.clock, relayWorkerEntry(), new InThreadCommitter(store, writeBack, holder, held));
}

function sameTable(a: WriteBackTable, b: WriteBackTable): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

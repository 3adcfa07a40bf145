import type { Store } from '../../db/store.ts';
import { RelayWriter, type HeldClaims, type RelayOp, type RelayOps } from './relay-writer.ts';
import type { WriteBackTable } from './write-back.ts';

/**
 * Where the relay's transactions run. One operation at a time (the relay never has two in flight); each
 * resolves once its transaction is committed (on disk: synchronous=FULL) and rejects when it is not.
 *
 * - `WorkerCommitter` (relay-worker-committer.ts), the terminal's: a worker thread with a store connection of
 *   its own, so the event loop keeps reading answers and sending requests while a commit waits for its fsync.
 * - `InThreadCommitter`: the same writer on the store's own connection, on the main thread. For stores whose
 *   commits a test seam must reach (db/commit.ts CommitSeam, a connection's PRAGMA), and for `:memory:`.
 */
export interface RelayCommitter {
  /**
   * `inline`: the relay has nothing else in flight, so nothing would overlap this commit: a committer that can
   * may run it on the main thread's connection at once rather than hand it to its worker and back (see
   * WorkerCommitter). Only ever set for `flush`; operations still run one at a time.
   */
  run<K extends RelayOp>(op: K, arg: RelayOps[K][0], options?: { inline?: boolean }): Promise<RelayOps[K][1]>;
  /** Resolves once the committer can run operations (its worker has opened the store); rejects if it cannot. */
  ready(): Promise<void>;
  /** Called at most once, when the committer can take no more operations (its worker died). */
  onFailure(listener: (err: Error) => void): void;
  /** After the last operation: ends the worker (no-op in thread). */
  close(): Promise<void>;
}

/** Makes the committer of one run of the relay (start → stop). */
export type RelayCommitterFactory = (holder: string) => RelayCommitter;

/** The relay's writer on the main thread's connection: each operation runs synchronously inside `run`. */
export class InThreadCommitter implements RelayCommitter {
  private readonly writer: RelayWriter;

  constructor(store: Store, writeBack: WriteBackTable, holder: string, held: HeldClaims | null = null) {
    this.writer = new RelayWriter(store, writeBack, holder, held);
  }

  run<K extends RelayOp>(op: K, arg: RelayOps[K][0]): Promise<RelayOps[K][1]> {
    try {
      return Promise.resolve(this.writer.run(op, arg));
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }

  onFailure(): void {
    // The main thread's connection cannot die apart from the process.
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** `held`: the relay's claims in memory (RelayWriter), so that its commits do not read its items back. */
export function inThreadCommitter(store: Store, writeBack: WriteBackTable, held: HeldClaims | null = null): RelayCommitterFactory {
  return (holder) => new InThreadCommitter(store, writeBack, holder, held);
}

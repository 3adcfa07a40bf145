/**
 * The relay's commit worker (a worker thread): owns a store connection of its own and runs the relay's
 * transactions on it (relay-writer.ts), one message at a time, so that the main thread's event loop never waits
 * for a commit's fsync. Started by relay-worker-committer.ts; bundled as dist/electron/relay-commit-worker.cjs
 * for the packaged app (scripts/build-electron.mjs WORKER_BUNDLES), found by relayWorkerEntry.
 *
 * Protocol (relay-worker-protocol.ts): workerData { spec, holder }; in: { id, op, arg, now } (now: the relay's
 * clock, ms); out: { ready } once the store is open, then one { id, ok, value } or { id, ok: false, error } per
 * message, in order. { op: 'close' } closes the connection and ends the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSecondConnection, type SecondConnectionSpec } from '../../db/store.ts';
import { createWriteBackTable } from '../write-back-table.ts';
import { RelayWriter, type RelayOp } from './relay-writer.ts';
import { serializeError, type WorkerCall } from './relay-worker-protocol.ts';

const port = parentPort;
if (!port) throw new Error('relay-commit-worker runs as a worker thread only');
const { spec, holder } = workerData as { spec: SecondConnectionSpec; holder: string };
// tx.now is the relay's clock at the moment it asked (the demo's sandbox day, a test's clock): never this thread's.
let now = Date.now();
const store = openSecondConnection(spec, { now: () => new Date(now) });
const writer = new RelayWriter(store, createWriteBackTable(), holder);

port.on('message', (call: WorkerCall) => {
  if (call.op === 'close') {
    // The last message: the connection closes here, in its own thread, and the thread ends with its port.
    store.close();
    port.close();
    return;
  }
  now = call.now;
  try {
    const value = writer.run(call.op as RelayOp, call.arg as never);
    port.postMessage({ id: call.id, ok: true, value });
  } catch (err) {
    port.postMessage({ id: call.id, ok: false, error: serializeError(err) });
  }
});
port.postMessage({ ready: true });

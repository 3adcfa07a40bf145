/**
 * The relay as its own process, for the crash tests: opens the store, builds the real platform client on it
 * (msgids, sign-ins and 2601 journal in the same SQLite file) and drains the outbox to the platform at
 * --platform over HTTP. Prints one JSON line per event that matters to the test on stdout:
 *   {"event":"started","pid":…}  {"event":"progress","done":n}  {"event":"drained"}
 * With --exit-when-drained it stops and exits 0 once no item is left but dead letters; otherwise it runs until
 * killed. Usage: tsx relay-process.ts --store <file> --platform <url> [--concurrency n] [--exit-when-drained]
 */
import { parseArgs } from 'node:util';
import { openEncryptedStore } from '../../../db/store-key.ts';
import { cliKeyStore } from '../../../services/security/key-store.ts';
import { Relay } from '../../../services/sync/relay.ts';
import { ClientPlatformPort } from '../../../services/sync/client-port.ts';
import { HOSPITAL_CODE } from './sandbox-world.ts';
import { platformClientFor } from './platform-client-for.ts';
import { createWriteBackTable } from '../../../services/write-back-table.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      store: { type: 'string' },
      platform: { type: 'string' },
      concurrency: { type: 'string', default: '8' },
      'exit-when-drained': { type: 'boolean', default: false },
    },
  });
  if (!values.store || !values.platform) throw new Error('--store and --platform are required');
  const store = openEncryptedStore(values.store, cliKeyStore(values.store), { fixmedinsCode: HOSPITAL_CODE });
  const client = platformClientFor(store, values.platform);
  const port = new ClientPlatformPort({ client, store, writeBack: createWriteBackTable(), platformUrl: values.platform, probeTimeoutMs: 1_000 });
  const say = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);
  let done = 0;
  const relay = new Relay({ writeBack: createWriteBackTable(),
    store,
    platform: port,
    concurrency: Number(values.concurrency),
    backoff: { baseMs: 20, capMs: 400 },
    probeBackoff: { baseMs: 50, capMs: 400 },
    // Kill tests reverse items many times over many lives: paced, not capped.
    reversalBackoff: { baseMs: 5, capMs: 20 },
    maxReversals: 1_000,
    pollIntervalMs: 200,
    leaseTtlMs: 5_000,
    onEvent: (e) => {
      if (e.type === 'done') {
        done++;
        if (done % 25 === 0) say({ event: 'progress', done });
      } else if (e.type === 'error') {
        say({ event: 'error', error: e.error instanceof Error ? e.error.message : String(e.error) });
      } else if (e.type === 'dead') {
        say({ event: 'dead', id: e.item.id, infno: e.item.infno, error: e.error });
      }
    },
  });
  await relay.start();
  say({ event: 'started', pid: process.pid });
  if (!values['exit-when-drained']) return;
  const timer = setInterval(() => {
    const s = store.outbox.status(store.clock.now());
    if (s.depth === s.deadLetters && relay.inFlight === 0) {
      clearInterval(timer);
      void relay.stop().then(() => {
        client.close();
        store.close();
        say({ event: 'drained', deadLetters: s.deadLetters });
        process.exit(0);
      });
    }
  }, 50);
}

main().catch((err: unknown) => {
  process.stderr.write(`relay-process: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

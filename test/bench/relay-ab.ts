/**
 * Paired measurement of the relay's drain in two configurations (issue 11): RELAY_AB_BEFORE=main-thread
 * (default) compares the relay with its commits on the main thread (before) and in its commit worker (after);
 * RELAY_AB_BEFORE=no-claim-ahead compares it without and with claims ahead and a stay's 2301 batches together.
 * Two relays over two stores of the same kind of queued stays, against ONE sandbox process,
 * rounds alternating ABBA, each round's rate compared with the other relay's round next to it. Not part of
 * `npm run bench` (the figure of record is drain.ratio of outbox.bench.ts against the bare client); it answers
 * "how much did the change move the relay's rate" on a machine whose load moves every rate by several times.
 * Run: RELAY_AB_STAYS=64 RELAY_AB_ROUNDS=8 npm exec -- tsx test/bench/relay-ab.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { newKey } from '../../db/keystore.ts';
import { ScriptProcess } from '../integration/sync/processes.ts';
import { SANDBOX_NOW, writeWorld } from '../integration/sync/sandbox-world.ts';
import { percentile, RelayRounds, round } from './outbox.bench.ts';

const BEFORE = process.env.RELAY_AB_BEFORE ?? 'main-thread';
const BEFORE_OPTIONS = BEFORE === 'no-claim-ahead' ? { claimAhead: false, alongside: null } : { commitIn: 'main-thread' as const };
const STAYS = Number(process.env.RELAY_AB_STAYS ?? 64);
const ROUNDS = Number(process.env.RELAY_AB_ROUNDS ?? 8);
const KIOSK = resolve(import.meta.dirname, '../../bin/kiosk.mjs');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-relay-ab-'));
  const world = writeWorld(dir, STAYS * 2);
  const sandbox = new ScriptProcess(KIOSK, ['sandbox', '--port', '0', '--state', join(dir, 'sandbox.sqlite'), '--fixtures', world.fixturesPath, '--now', SANDBOX_NOW, '--frozen']);
  try {
    const url = (await sandbox.waitFor((l) => typeof l.url === 'string', 'the sandbox to listen', 60_000)).url as string;
    // Two terminals of one hospital: distinct ipt_no prefixes and msgid partitions, both stores encrypted.
    const before = new RelayRounds(join(dir, 'before.sqlite'), url, world.persons.slice(0, STAYS), world.catalogue, { key: newKey(), msgidIndex: 0, iptNoPrefix: 'ZA' }, BEFORE_OPTIONS);
    const after = new RelayRounds(join(dir, 'after.sqlite'), url, world.persons.slice(STAYS), world.catalogue, { key: newKey(), msgidIndex: 2, iptNoPrefix: 'ZB' }, BEFORE === 'no-claim-ahead' ? {} : { commitIn: 'worker' });
    await before.signIn();
    await after.signIn();
    const perRound = (STAYS * 20) / ROUNDS;
    const totals = { before: { ops: 0, ms: 0 }, after: { ops: 0, ms: 0 } };
    const ratios: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const b = r % 2 === 0 ? await before.round(perRound) : null;
      const a = await after.round(perRound);
      const b2 = b ?? (await before.round(perRound));
      totals.before.ops += b2.ops;
      totals.before.ms += b2.ms;
      totals.after.ops += a.ops;
      totals.after.ms += a.ms;
      const rate = (x: { ops: number; ms: number }) => (x.ops / x.ms) * 1000;
      ratios.push(round(rate(a) / rate(b2), 3));
      console.error(JSON.stringify({ round: r, beforeOpsPerSecond: round(rate(b2), 1), afterOpsPerSecond: round(rate(a), 1), ratio: ratios.at(-1) }));
    }
    before.close();
    after.close();
    const rate = (x: { ops: number; ms: number }) => (x.ops / x.ms) * 1000;
    console.log(
      JSON.stringify(
        {
          before: BEFORE,
          stays: STAYS,
          rounds: ROUNDS,
          beforeOpsPerSecond: round(rate(totals.before), 1),
          afterOpsPerSecond: round(rate(totals.after), 1),
          afterOverBefore: round(rate(totals.after) / rate(totals.before), 3),
          medianRoundAfterOverBefore: round(percentile(ratios, 50), 3),
          roundRatios: ratios,
        },
        null,
        2,
      ),
    );
  } finally {
    await sandbox.kill9();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

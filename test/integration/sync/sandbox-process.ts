/**
 * The sandbox platform as its own process, for the test that kills the platform: starts it on --port with its
 * durable state in --state and prints {"url":…} once it listens. Equivalent to `kiosk sandbox`, kept here so
 * this test depends only on insurance/sandbox's public startSandbox.
 * Usage: tsx sandbox-process.ts --port <n> --state <file> --fixtures <file> --now <ISO> [--seed n]
 */
import { parseArgs } from 'node:util';
import { startSandbox } from '../../../insurance/sandbox/index.ts';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' }, state: { type: 'string' }, fixtures: { type: 'string' }, now: { type: 'string' }, seed: { type: 'string', default: '1' } },
});
const handle = await startSandbox({
  port: Number(values.port),
  ...(values.state ? { statePath: values.state } : {}),
  ...(values.fixtures ? { fixturesPath: values.fixtures } : {}),
  ...(values.now ? { now: values.now, frozen: true } : {}),
  seed: Number(values.seed),
});
process.stdout.write(`${JSON.stringify({ url: handle.url })}\n`);

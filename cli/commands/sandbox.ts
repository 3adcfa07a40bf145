import { existsSync } from 'node:fs';
import { UsageError, parseCliArgs } from '../args.ts';
import type { CliCommand } from '../command.ts';
import { parseIsoInstant } from '../../insurance/sandbox/china-time.ts';
import { DEFAULT_FIXTURES_PATH, startSandbox } from '../../insurance/sandbox/index.ts';

const DEFAULT_STATE = '.kiosk-data/sandbox-state.sqlite';

const usage = `kiosk sandbox [--port <n>] [--fixtures <file>] [--state <file>] [--now <ISO time>] [--frozen] [--seed <n>]

Runs the sandbox 医保 platform of docs/sandbox.md: the national interface (POST the envelope at
/fsi/api/rsfComIfsService/callService or /) with the Jiangsu policy engine, on 127.0.0.1 only, plus the
loopback admin API under /admin/ (clock, faults, journal, filings, registrations). When listening it prints
one JSON line and keeps running until SIGINT/SIGTERM:
  {"url":"http://127.0.0.1:PORT"}

  --port <n>        port (default 0 = any free port)
  --fixtures <file> world file (default insurance/sandbox/fixtures/default.json)
  --state <file>    SQLite state file, kept across restarts (default ${DEFAULT_STATE})
  --now <ISO time>  start the clock at this time, e.g. 2026-11-20T10:00:00+08:00 (no offset = China time)
  --frozen          keep the clock at --now instead of running from it
  --seed <n>        seed of the fault injector's random source (default 1)`;

export const sandboxCommand: CliCommand = {
  name: 'sandbox',
  summary: '沙箱医保平台 — national-interface platform simulator with the Jiangsu policy engine (loopback)',
  usage,
  async run(argv) {
    const { values, positionals } = parseCliArgs(argv, {
      port: { type: 'string' },
      fixtures: { type: 'string' },
      state: { type: 'string' },
      now: { type: 'string' },
      frozen: { type: 'boolean' },
      seed: { type: 'string' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0..65535');
    const fixtures = values.fixtures ?? DEFAULT_FIXTURES_PATH;
    if (!existsSync(fixtures)) throw new UsageError(`no such fixtures file: ${fixtures}`);
    if (values.now !== undefined && parseIsoInstant(values.now) === null) throw new UsageError(`--now is not an ISO time: ${values.now}`);
    if (values.frozen && values.now === undefined) throw new UsageError('--frozen needs --now');
    const seed = values.seed === undefined ? 1 : Number(values.seed);
    if (!Number.isInteger(seed)) throw new UsageError('--seed must be an integer');

    const sandbox = await startSandbox({
      port,
      fixturesPath: fixtures,
      statePath: values.state ?? DEFAULT_STATE,
      ...(values.now !== undefined ? { now: values.now } : {}),
      frozen: values.frozen ?? false,
      seed,
    });
    process.stdout.write(`${JSON.stringify({ url: sandbox.url })}\n`);

    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await sandbox.close();
    return 0;
  },
};

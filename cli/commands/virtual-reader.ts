import { existsSync, fstatSync } from 'node:fs';
import { UsageError, parseCliArgs } from '../args.ts';
import type { CliCommand } from '../command.ts';
import { DEFAULT_FIXTURE_FILES } from '../../drivers/virtual/fixtures.ts';
import { startVirtualReader } from '../../drivers/virtual/start-virtual-reader.ts';

const usage = `kiosk virtual-reader --link serial [--cards <file>]... [--control-port <n>] [--insert <card-id>] [--stable-path <path>] [--no-psam]

Runs the virtual card reader of docs/readers.md: CCID over the serial framing of reader-link.md on a NEW
pseudo-terminal, with the §4 timing model, a PSAM in slot 1 and cards from fixture files. When ready it prints
one JSON line and keeps running until SIGINT/SIGTERM:
  {"path":"/dev/pts/N","control":"http://127.0.0.1:PORT"}

  --link serial        the only link a separate process can offer here (see below)
  --cards <file>       people file (fixtures/people.json) and/or cards file; repeatable.
                       Default: fixtures/people.json + drivers/virtual/fixtures/special-cards.json
  --control-port <n>   loopback port of the control API (default: any free port)
  --insert <card-id>   card in the reader at start, e.g. local-employee/g3
  --stable-path <path> keep a symlink to the current pty there (re-pointed when the reader is replugged)
  --no-psam            no PSAM in slot 1 (third-generation cards then cannot be read)

--link hid needs a kernel HID device (/dev/uhid), which this command does not create; the HID path runs
in-process: startVirtualReader({ link: 'hid' }) and inject its hidOpener into the reader manager.`;

export const virtualReaderCommand: CliCommand = {
  name: 'virtual-reader',
  summary: '虚拟读卡器 — virtual CCID reader on a pseudo-terminal, with a loopback control API',
  usage,
  async run(argv) {
    const { values } = parseCliArgs(argv, {
      link: { type: 'string' },
      cards: { type: 'string', multiple: true },
      'control-port': { type: 'string' },
      insert: { type: 'string' },
      'stable-path': { type: 'string' },
      'no-psam': { type: 'boolean' },
    });
    const link = values.link ?? 'serial';
    if (link === 'hid') {
      console.error('kiosk virtual-reader: --link hid needs /dev/uhid to create a HID device for another process; run the HID virtual reader in-process (startVirtualReader({ link: "hid" })), see docs/readers.md.');
      return 2;
    }
    if (link !== 'serial') throw new UsageError(`--link must be serial or hid, not "${link}"`);
    const files = values.cards ?? DEFAULT_FIXTURE_FILES;
    for (const f of files) if (!existsSync(f)) throw new UsageError(`no such cards file: ${f}`);
    const port = values['control-port'] === undefined ? 0 : Number(values['control-port']);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--control-port must be 0..65535');

    const reader = await startVirtualReader({
      link: 'serial',
      cardFiles: files,
      controlPort: port,
      insert: values.insert,
      stablePath: values['stable-path'],
      psam: !values['no-psam'],
    });
    process.stdout.write(`${JSON.stringify({ path: reader.path, control: reader.controlUrl, ...(reader.stablePath ? { stablePath: reader.stablePath } : {}) })}\n`);

    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      // Started with a pipe as stdin (by a test or the demo), the parent going away closes it: stop then too,
      // so no orphaned pseudo-terminals. A terminal or /dev/null as stdin is left alone.
      if (fstatSync(0).isFIFO()) {
        process.stdin.on('end', stop);
        process.stdin.on('error', stop);
        process.stdin.resume();
      }
    });
    process.stdin.pause();
    await reader.stop();
    return 0;
  },
};

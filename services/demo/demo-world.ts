import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualReaderControl, type VirtualCardSummary } from '../../drivers/virtual/control-client.ts';
import { startVirtualReader, type VirtualReader } from '../../drivers/virtual/start-virtual-reader.ts';
import type { Logger } from '../logging/logger.ts';
import { NetworkSwitch } from './network-switch.ts';
import { startDemoSandbox, type DemoSandbox } from './sandbox-starter.ts';

/**
 * The demo world `npm start` brings up when there is no configuration: the sandbox platform (its own SQLite
 * state in the data directory, default fixtures), the virtual card reader on a real pseudo-terminal with a
 * card for every fixture person, and the network switch the terminal's client goes through.
 */
export interface DemoWorld {
  /**
   * The demo world's clock, shared by the sandbox and the terminal: it runs in real time from the day the
   * fixtures were written for (their filings, waiting period and expired card are dated around it), so every
   * demo person shows what people.json says they show, whatever the machine's date.
   */
  clock: { now(): Date };
  /** What the terminal's platform client uses: the network switch in front of the sandbox. */
  platformUrl: string;
  sandboxUrl: string;
  /** The virtual reader's pseudo-terminal (the reader manager opens it like any serial reader). */
  readerPath: string;
  control: VirtualReaderControl;
  network: NetworkSwitch;
  /** The virtual reader's cards (person cards as `<key>/g2|g3`, old cards `<key>/old/g3`, special cards). */
  cards: VirtualCardSummary[];
  /** people.json descriptions by person key. */
  descriptions: ReadonlyMap<string, { name: string; description: string }>;
  close(): Promise<void>;
}

export interface DemoWorldOptions {
  dataDir: string;
  log: Logger;
  /** Where the sandbox keeps its state (default <dataDir>/demo-sandbox.sqlite). */
  sandboxStateFile?: string;
  /** Where the demo day starts (ISO instant); default DEMO_START. */
  start?: string;
}

/** The demo day: inside every default filing's validity and the waiting period, after the expired card's 有效期. */
export const DEMO_START = '2026-11-20T08:30:00+08:00';

const PEOPLE_FILE = join(import.meta.dirname, '..', '..', 'fixtures', 'people.json');

export async function startDemoWorld(options: DemoWorldOptions): Promise<DemoWorld> {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    const offset = Date.parse(options.start ?? DEMO_START) - Date.now();
    const clock = { now: () => new Date(Date.now() + offset) };
    const sandbox: DemoSandbox = await startDemoSandbox({
      stateFile: options.sandboxStateFile ?? join(options.dataDir, 'demo-sandbox.sqlite'),
      now: clock.now().toISOString(),
    });
    closers.push(() => sandbox.close());
    const network = await NetworkSwitch.start(sandbox.url);
    closers.push(() => network.close());
    const reader: VirtualReader = await startVirtualReader({ link: 'serial', controlPort: 0 });
    closers.push(() => reader.stop());
    if (!reader.path || !reader.controlUrl) throw new Error('the virtual reader did not open a pseudo-terminal and a control API');
    const control = new VirtualReaderControl(reader.controlUrl);
    const cards = await control.cards();
    const people = JSON.parse(readFileSync(PEOPLE_FILE, 'utf8')) as { people: { key: string; name: string; description: string }[] };
    const descriptions = new Map(people.people.map((p) => [p.key, { name: p.name, description: p.description }]));
    options.log.info('demo world up', { sandbox: sandbox.url, reader: reader.path, cards: cards.length });
    return { clock, platformUrl: network.urlFor(sandbox.url), sandboxUrl: sandbox.url, readerPath: reader.path, control, network, cards, descriptions, close };
  } catch (err) {
    await close();
    throw err;
  }
}

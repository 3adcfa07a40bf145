import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualReaderControl, type VirtualCardSummary } from '../../drivers/virtual/control-client.ts';
import { startVirtualReader, type VirtualReader } from '../../drivers/virtual/start-virtual-reader.ts';
import type { HidDeviceOpener } from '../../drivers/transport/hid-device.ts';
import { VirtualIdCardReader } from '../../drivers/virtual/idcard/virtual-idcard-reader.ts';
import type { Logger } from '../logging/logger.ts';
import { NetworkSwitch } from './network-switch.ts';
import { startDemoSandbox, type DemoSandbox } from './sandbox-starter.ts';
import { startDemoPaymentSandbox, type DemoPaymentSandbox } from './payment-sandbox-starter.ts';

/**
 * The demo world `npm start` brings up when there is no configuration: the sandbox platform (its own SQLite
 * state in the data directory, default fixtures), the virtual card reader on a real pseudo-terminal (HID where there is none) with a
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
  /**
   * How the reader manager reaches the virtual reader: its pseudo-terminal (opened like any serial reader),
   * or, where there is no pseudo-terminal (Windows), its in-process HID device.
   */
  reader: { link: 'serial'; path: string } | { link: 'hid'; hidOpener: HidDeviceOpener };
  /**
   * The virtual ID card reader on its own pseudo-terminal (the ID card service reads it like any serial ID
   * reader); null where there is no pseudo-terminal: the ID card reader speaks only serial.
   */
  idCardReader: VirtualIdCardReader | null;
  /** The payment sandbox (Alipay's wire) and the application keys made for it at start. */
  payments: DemoPaymentSandbox;
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
  /** The virtual reader's link; default serial (a pseudo-terminal), hid where none can be opened. KIOSK_DEMO_READER overrides. */
  readerLink?: 'serial' | 'hid';
}

/**
 * The virtual reader on a pseudo-terminal; where the platform has none (Windows) or node-pty has no binary
 * for it, the same reader over its in-process HID link, so `npm start` works everywhere.
 */
async function startDemoReader(link: 'serial' | 'hid' | undefined, log: Logger): Promise<VirtualReader> {
  if (link !== 'hid' && process.platform !== 'win32') {
    try {
      return await startVirtualReader({ link: 'serial', controlPort: 0 });
    } catch (err) {
      if (link === 'serial') throw err;
      log.warn('demo: no pseudo-terminal for the virtual reader; using its HID link', { error: err instanceof Error ? err.message : String(err) });
    }
  }
  return startVirtualReader({ link: 'hid', controlPort: 0 });
}

/** The virtual ID card reader needs a pseudo-terminal; without one the demo has no ID card reader (and says so). */
async function startDemoIdCardReader(log: Logger): Promise<VirtualIdCardReader | null> {
  if (process.platform === 'win32') return null;
  try {
    return await VirtualIdCardReader.start();
  } catch (err) {
    log.warn('demo: no pseudo-terminal for the virtual ID card reader; 读身份证 is not available', { error: err instanceof Error ? err.message : String(err) });
    return null;
  }
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
    const payments = await startDemoPaymentSandbox({ statementDir: join(options.dataDir, 'payment-statements'), now: clock.now().toISOString() });
    closers.push(() => payments.close());
    const network = await NetworkSwitch.start(sandbox.url);
    closers.push(() => network.close());
    const link = options.readerLink ?? (process.env.KIOSK_DEMO_READER as 'serial' | 'hid' | undefined);
    const reader = await startDemoReader(link, options.log);
    closers.push(() => reader.stop());
    if (!reader.controlUrl) throw new Error('the virtual reader did not start its control API');
    const readerLink = reader.path ? { link: 'serial' as const, path: reader.path } : reader.hidOpener ? { link: 'hid' as const, hidOpener: reader.hidOpener } : null;
    if (!readerLink) throw new Error('the virtual reader opened neither a pseudo-terminal nor a HID device');
    const idCardReader = await startDemoIdCardReader(options.log);
    if (idCardReader) closers.push(() => idCardReader.stop());
    const control = new VirtualReaderControl(reader.controlUrl);
    const cards = await control.cards();
    const people = JSON.parse(readFileSync(PEOPLE_FILE, 'utf8')) as { people: { key: string; name: string; description: string }[] };
    const descriptions = new Map(people.people.map((p) => [p.key, { name: p.name, description: p.description }]));
    options.log.info('demo world up', { sandbox: sandbox.url, paymentSandbox: payments.url, reader: reader.path ?? 'hid (in-process)', idCardReader: idCardReader?.path ?? 'none', cards: cards.length });
    return { clock, platformUrl: network.urlFor(sandbox.url), sandboxUrl: sandbox.url, payments, reader: readerLink, idCardReader, control, network, cards, descriptions, close };
  } catch (err) {
    await close();
    throw err;
  }
}

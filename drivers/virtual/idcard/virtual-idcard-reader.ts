import { PtyRelay } from '../pty.ts';
import { loadIdCardCatalog, type IdCardCatalog } from './idcard-catalog.ts';
import type { IdCardQuirk } from './idcard-quirks.ts';
import { VirtualIdCardReaderCore, type IdCardReaderState } from './idcard-reader-core.ts';

export interface VirtualIdCardReaderOptions {
  catalog?: IdCardCatalog;
  /** Card to place in the field at start. */
  card?: string;
  quirks?: IdCardQuirk[];
  /** 1 = the timing model of §10.1. */
  timeScale?: number;
}

/**
 * The virtual ID card reader on a new pseudo-terminal: the same PtyRelay as the 社保卡 virtual reader, asked
 * to report the line settings with every chunk (the reader discards bytes sent at another speed, §2). `path`
 * is what a driver opens, as it would open /dev/ttyUSB0.
 */
export class VirtualIdCardReader {
  private constructor(
    private readonly relay: PtyRelay,
    readonly core: VirtualIdCardReaderCore,
    readonly catalog: IdCardCatalog,
  ) {}

  static async start(options: VirtualIdCardReaderOptions = {}): Promise<VirtualIdCardReader> {
    const catalog = options.catalog ?? loadIdCardCatalog();
    const relay = await PtyRelay.open({ reportLine: true });
    const core = new VirtualIdCardReaderCore(catalog, (bytes) => relay.write(bytes), options.timeScale ?? 1);
    relay.onData((chunk, line) => core.receive(chunk, line));
    core.setQuirks(options.quirks ?? []);
    if (options.card) core.place(options.card);
    return new VirtualIdCardReader(relay, core, catalog);
  }

  get path(): string {
    return this.relay.path;
  }

  place(cardId: string): void {
    this.core.place(cardId);
  }

  remove(): void {
    this.core.remove();
  }

  setQuirks(quirks: IdCardQuirk[]): void {
    this.core.setQuirks(quirks);
  }

  state(): IdCardReaderState {
    return this.core.state();
  }

  async stop(): Promise<void> {
    this.core.dispose();
    await this.relay.close();
  }
}

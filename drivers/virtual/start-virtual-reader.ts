import { randomBytes } from 'node:crypto';
import { rename, symlink, unlink } from 'node:fs/promises';
import { startControlServer, type ControlServer } from './control-server.ts';
import { loadCardCatalog, type CardCatalog } from './fixtures.ts';
import { VirtualHidOpener } from './hid-endpoint.ts';
import { PtyRelay } from './pty.ts';
import { VirtualReaderCore, VirtualReaderError } from './reader-core.ts';
import { SerialReaderEndpoint, type NoiseMode } from './serial-endpoint.ts';
import type { VirtualReader, VirtualReaderStatus } from './virtual-reader.ts';

export type { VirtualReader, VirtualReaderStatus } from './virtual-reader.ts';

export interface StartVirtualReaderOptions {
  link: 'serial' | 'hid';
  /** Fixture files (people and/or cards files); default fixtures/people.json + drivers/virtual/fixtures/special-cards.json. */
  cardFiles?: string[];
  /** An already loaded catalog (wins over cardFiles). */
  catalog?: CardCatalog;
  /** Loopback port of the control API: 0 (default) picks a free port, null starts none. */
  controlPort?: number | null;
  /** Card id to insert at start. */
  insert?: string;
  /** PSAM fitted in slot 1 (default true). */
  psam?: boolean;
  /** Serial: keep a symlink here to the current pty, re-pointed on replug (a stable "device path"). */
  stablePath?: string;
  hidIds?: { vendorId: number; productId: number };
  /** 1 = the §4 timing model (default). */
  timeScale?: number;
  identity?: { vendor?: string; model?: string; firmware?: string; serial?: string };
}

export async function startVirtualReader(options: StartVirtualReaderOptions): Promise<VirtualReader> {
  const catalog = options.catalog ?? loadCardCatalog(options.cardFiles);
  const core = new VirtualReaderCore({ catalog, link: options.link, psam: options.psam, timeScale: options.timeScale, identity: options.identity });
  if (options.insert) core.insert(options.insert);
  const reader = options.link === 'serial' ? await SerialVirtualReader.start(core, catalog, options.stablePath ?? null) : new HidVirtualReader(core, catalog, options.hidIds);
  if (options.controlPort !== null) {
    try {
      reader.control = await startControlServer(reader, options.controlPort ?? 0);
    } catch (err) {
      await reader.stop();
      throw err;
    }
  }
  return reader;
}

abstract class BaseVirtualReader implements VirtualReader {
  abstract readonly link: 'serial' | 'hid';
  control: ControlServer | null = null;

  constructor(
    readonly core: VirtualReaderCore,
    readonly catalog: CardCatalog,
  ) {}

  get controlUrl(): string | null {
    return this.control?.url ?? null;
  }

  get path(): string | null {
    return null;
  }

  get stablePath(): string | null {
    return null;
  }

  get hidOpener(): VirtualHidOpener | null {
    return null;
  }

  status(): VirtualReaderStatus {
    return { ...this.core.state(), path: this.path, stablePath: this.stablePath, serialLink: null };
  }

  injectNoise(_bytes: Uint8Array, _mode: NoiseMode): void {
    throw new VirtualReaderError('bad-request', 'line noise exists on the serial link only');
  }

  abstract unplug(): Promise<void>;
  abstract replug(): Promise<void>;

  async stop(): Promise<void> {
    this.core.dispose();
    await this.control?.close();
    this.control = null;
  }
}

class SerialVirtualReader extends BaseVirtualReader {
  readonly link = 'serial' as const;
  private relay: PtyRelay | null = null;
  private readonly endpoint: SerialReaderEndpoint;
  private stopped = false;

  private constructor(
    core: VirtualReaderCore,
    catalog: CardCatalog,
    private readonly symlinkPath: string | null,
  ) {
    super(core, catalog);
    this.endpoint = new SerialReaderEndpoint(core, (bytes) => this.relay?.write(bytes));
  }

  static async start(core: VirtualReaderCore, catalog: CardCatalog, stablePath: string | null): Promise<SerialVirtualReader> {
    const reader = new SerialVirtualReader(core, catalog, stablePath);
    await reader.openPty();
    return reader;
  }

  override get path(): string | null {
    return this.relay?.path ?? null;
  }

  override get stablePath(): string | null {
    return this.symlinkPath;
  }

  override status(): VirtualReaderStatus {
    return { ...super.status(), serialLink: { ...this.endpoint.stats } };
  }

  override injectNoise(bytes: Uint8Array, mode: NoiseMode): void {
    if (!this.relay) throw new VirtualReaderError('unplugged', 'the reader is unplugged');
    this.endpoint.injectNoise(bytes, mode);
  }

  async unplug(): Promise<void> {
    if (!this.relay) return;
    this.core.unplug();
    this.endpoint.reset();
    const relay = this.relay;
    this.relay = null;
    if (this.symlinkPath) await unlink(this.symlinkPath).catch(() => undefined);
    await relay.close();
  }

  async replug(): Promise<void> {
    if (this.relay) return;
    await this.openPty();
    this.core.replug();
  }

  override async stop(): Promise<void> {
    this.stopped = true;
    await super.stop();
    const relay = this.relay;
    this.relay = null;
    if (this.symlinkPath) await unlink(this.symlinkPath).catch(() => undefined);
    await relay?.close();
  }

  private async openPty(): Promise<void> {
    const relay = await PtyRelay.open();
    relay.onData((chunk) => this.endpoint.receive(chunk));
    relay.onExit(() => {
      // The helper died on its own (killed from outside): the reader is as good as unplugged.
      if (this.relay === relay && !this.stopped) {
        this.relay = null;
        this.core.unplug();
      }
    });
    this.relay = relay;
    if (this.symlinkPath) {
      const tmp = `${this.symlinkPath}.${randomBytes(4).toString('hex')}`;
      await symlink(relay.path, tmp);
      await rename(tmp, this.symlinkPath);
    }
  }
}

class HidVirtualReader extends BaseVirtualReader {
  readonly link = 'hid' as const;
  private readonly opener: VirtualHidOpener;

  constructor(core: VirtualReaderCore, catalog: CardCatalog, ids?: { vendorId: number; productId: number }) {
    super(core, catalog);
    this.opener = new VirtualHidOpener(core, ids);
  }

  override get hidOpener(): VirtualHidOpener {
    return this.opener;
  }

  async unplug(): Promise<void> {
    this.core.unplug();
  }

  async replug(): Promise<void> {
    this.core.replug();
  }
}

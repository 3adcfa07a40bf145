import type { CardCatalog } from './fixtures.ts';
import type { VirtualHidOpener } from './hid-endpoint.ts';
import type { VirtualReaderCore, VirtualReaderState } from './reader-core.ts';
import type { NoiseMode, SerialEndpointStats } from './serial-endpoint.ts';

export interface VirtualReaderStatus extends VirtualReaderState {
  /** Serial: the current pseudo-terminal (changes on replug); null for HID or while unplugged. */
  path: string | null;
  stablePath: string | null;
  serialLink: SerialEndpointStats | null;
}

/** A running virtual reader: a VirtualReaderCore behind a serial pty or an in-process HID device. */
export interface VirtualReader {
  readonly link: 'serial' | 'hid';
  readonly core: VirtualReaderCore;
  readonly catalog: CardCatalog;
  /** Serial: the pty path now. */
  readonly path: string | null;
  readonly stablePath: string | null;
  /** http://127.0.0.1:PORT of the control API, or null. */
  readonly controlUrl: string | null;
  /** HID: inject this as the reader manager's HID device opener. */
  readonly hidOpener: VirtualHidOpener | null;
  status(): VirtualReaderStatus;
  injectNoise(bytes: Uint8Array, mode: NoiseMode): void;
  unplug(): Promise<void>;
  replug(): Promise<void>;
  stop(): Promise<void>;
}

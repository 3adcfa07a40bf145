import { EventEmitter } from 'node:events';
import { HID_REPORT_SIZE, HidReassembler, encodeHidReports } from '../link/hid-frame.ts';
import type { HidDevice, HidDeviceInfo, HidDeviceOpener } from '../transport/hid-device.ts';
import { DEFAULT_READER_HID } from '../transport/hid-device.ts';
import type { VirtualReaderCore } from './reader-core.ts';

/**
 * The reader's end of the HID link (reader-link.md §3) as an object with node-hid's device shape: the driver's
 * HidLink writes output reports into it and gets input reports from it. Used in-process, injected behind the
 * HID transport interface (no /dev/uhid here to make a real HID device).
 */
export class VirtualHidDevice extends EventEmitter implements HidDevice {
  private readonly reassembler = new HidReassembler();
  private gone = false;
  private closed = false;
  reportsReceived = 0;
  reportsSent = 0;

  constructor(
    private readonly core: VirtualReaderCore,
    readonly info: HidDeviceInfo,
  ) {
    super();
  }

  /** Connects this device to the core (the current plug session). */
  attach(): void {
    this.core.connect((message) => this.deliver(message));
  }

  write(data: Uint8Array): number {
    if (this.gone || this.closed) throw new Error('could not write to HID device');
    // node-hid's leading report-ID byte (0x00: no report IDs).
    const report = data.length === HID_REPORT_SIZE + 1 && data[0] === 0 ? data.subarray(1) : data;
    this.reportsReceived++;
    for (const event of this.reassembler.push(report)) if (event.type === 'message') this.core.handle(event.message);
    return data.length;
  }

  close(): void {
    this.closed = true;
  }

  /** The device went away: node-hid reports a read error on an unplugged device. */
  disconnect(): void {
    if (this.gone) return;
    this.gone = true;
    if (!this.closed) this.emit('error', new Error('could not read from HID device'));
  }

  private deliver(message: Uint8Array): void {
    if (this.gone || this.closed) return;
    for (const report of encodeHidReports(message)) {
      this.reportsSent++;
      this.emit('data', Buffer.from(report));
    }
  }
}

/**
 * A HidDeviceOpener that finds the virtual reader while it is plugged in. Each plug session is a new device
 * path, as a real re-enumeration would be.
 */
export class VirtualHidOpener implements HidDeviceOpener {
  private session = 0;
  private device: VirtualHidDevice | null = null;

  constructor(
    private readonly core: VirtualReaderCore,
    private readonly ids: { vendorId: number; productId: number } = DEFAULT_READER_HID,
  ) {
    this.plugIn();
    core.on('unplugged', () => {
      this.device?.disconnect();
      this.device = null;
    });
    core.on('replugged', () => this.plugIn());
  }

  get currentDevice(): VirtualHidDevice | null {
    return this.device;
  }

  async list(vendorId: number, productId: number): Promise<HidDeviceInfo[]> {
    if (!this.device || vendorId !== this.ids.vendorId || productId !== this.ids.productId) return [];
    return [this.device.info];
  }

  async open(path: string): Promise<HidDevice> {
    if (!this.device || this.device.info.path !== path) throw new Error(`no HID device at ${path}`);
    return this.device;
  }

  private plugIn(): void {
    this.session++;
    this.device = new VirtualHidDevice(this.core, {
      path: `virtual-hid:${this.session}`,
      vendorId: this.ids.vendorId,
      productId: this.ids.productId,
      product: 'Virtual CCID reader (HID)',
      serialNumber: `VR${String(this.session).padStart(4, '0')}`,
    });
    this.device.attach();
  }
}

import { EventEmitter } from 'node:events';
import type { HidDevice, HidDeviceInfo, HidDeviceOpener } from '../transport/hid-device.ts';
import { encodeHidPosReports } from './hid-pos-report.ts';

/**
 * A USB-HID POS scanner for tests and demos, beside the driver it stands in for (hid-pos-scanner.ts): its
 * `opener` is what HidPosScanner.open takes instead of node-hid, and `scan(code)` sends the code as the
 * 64-byte input reports a real scanner sends (hid-pos-report.ts), so everything above the USB stack is real.
 */
export class FakeHidScanner {
  private readonly device = Object.assign(new EventEmitter(), { write: () => 0, close: () => undefined }) as EventEmitter & HidDevice;
  private plugged = true;
  readonly info: HidDeviceInfo;

  constructor(ids: { vid: number; pid: number }, path = 'fake-hid-pos-scanner') {
    this.info = { path, vendorId: ids.vid, productId: ids.pid, product: 'HID POS scanner (fake)' };
  }

  readonly opener: HidDeviceOpener = {
    list: async (vid, pid) => (this.plugged && vid === this.info.vendorId && pid === this.info.productId ? [this.info] : []),
    open: async (path) => {
      if (!this.plugged || path !== this.info.path) throw new Error(`no HID device at ${path}`);
      return this.device;
    },
  };

  /** One scan of `code` (ASCII), as its input reports. */
  scan(code: string): void {
    for (const report of encodeHidPosReports(new TextEncoder().encode(code))) this.device.emit('data', report);
  }

  unplug(): void {
    this.plugged = false;
    this.device.emit('error', new Error('device disconnected'));
  }
}

import type * as NodeHid from 'node-hid';
import type { HidDevice, HidDeviceInfo, HidDeviceOpener } from './hid-device.ts';

export class HidUnavailableError extends Error {
  constructor(cause: unknown) {
    super(
      `USB-HID support is not available on this machine (node-hid could not be loaded: ${cause instanceof Error ? cause.message : String(cause)}). ` +
        'Install libusb/hidraw support or use a serial reader.',
      { cause },
    );
    this.name = 'HidUnavailableError';
  }
}

/**
 * node-hid, loaded on first use. It is a native module: importing it at start-up would crash a machine
 * without its libraries even when only serial readers are used, so it is imported here, lazily, and a failure
 * becomes a clear HidUnavailableError. On Linux it uses the hidraw backend (the kernel's /dev/hidraw*, no
 * detaching of kernel drivers as the libusb backend does); its prebuilt binary still links libusb-1.0 and
 * libudev, so a machine without them has no USB-HID readers (serial readers are unaffected).
 */
export async function loadNodeHidOpener(): Promise<HidDeviceOpener> {
  let hid: typeof NodeHid;
  try {
    hid = await import('node-hid');
    if (process.platform === 'linux') hid.setDriverType('hidraw');
  } catch (err) {
    throw new HidUnavailableError(err);
  }
  return {
    async list(vendorId: number, productId: number): Promise<HidDeviceInfo[]> {
      const devices = await hid.devicesAsync(vendorId, productId);
      return devices
        .filter((d): d is typeof d & { path: string } => typeof d.path === 'string')
        .map((d) => ({ path: d.path, vendorId: d.vendorId, productId: d.productId, product: d.product, serialNumber: d.serialNumber }));
    },
    async open(path: string): Promise<HidDevice> {
      const device = await hid.HIDAsync.open(path);
      return {
        write: (data) => device.write(Buffer.from(data.buffer, data.byteOffset, data.length)),
        on: (event: 'data' | 'error', listener: (arg: never) => void) => device.on(event, listener as (...args: unknown[]) => void),
        close: () => device.close(),
      } as HidDevice;
    },
  };
}

/**
 * The HID device as the driver sees it: the subset of node-hid's HIDAsync we use. Tests inject an object with
 * this shape (the virtual reader's HID endpoint); production gets node-hid through `loadNodeHidOpener`.
 */
export interface HidDevice {
  /** Writes one output report. With no report IDs, node-hid wants a leading 0x00: 65 bytes for a 64-byte report. */
  write(data: Uint8Array): Promise<number> | number;
  on(event: 'data', listener: (report: Uint8Array) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): Promise<void> | void;
}

export interface HidDeviceInfo {
  path: string;
  vendorId: number;
  productId: number;
  product?: string;
  serialNumber?: string;
}

/** Finds and opens HID devices. Injected in tests; node-hid in production. */
export interface HidDeviceOpener {
  list(vendorId: number, productId: number): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidDevice>;
}

/** Default identity of the project's reader family (reader-link.md §3). */
export const DEFAULT_READER_HID = { vendorId: 0x1209, productId: 0x0001 } as const;

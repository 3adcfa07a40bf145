import { EventEmitter } from 'node:events';
import { kioskError } from '../kiosk-errors.ts';
import type { KioskError } from '../../contract/errors.ts';
import type { HidDevice, HidDeviceOpener } from '../transport/hid-device.ts';
import { loadNodeHidOpener } from '../transport/node-hid-opener.ts';
import { HidPosReassembler } from './hid-pos-report.ts';
import { parseScannedCode } from './scanned-code.ts';

export interface HidPosScannerEvents {
  'qr-scanned': [{ code: string }];
  /** A scan that cannot be an e-voucher code (QR_INVALID), for the screen to say so. */
  'qr-invalid': [{ error: KioskError }];
  detached: [];
}

/**
 * A HID POS QR scanner (node-hid, loaded lazily): reports reassembled into a code, checked, emitted.
 * The opener is injectable, like the card reader's.
 */
export class HidPosScanner extends EventEmitter<HidPosScannerEvents> {
  private readonly reassembler = new HidPosReassembler();

  private constructor(private readonly device: HidDevice) {
    super();
    device.on('data', (report) => this.receive(report));
    device.on('error', () => this.emit('detached'));
  }

  static async open(ids: { vid: number; pid: number }, opener?: HidDeviceOpener): Promise<HidPosScanner | null> {
    const hid = opener ?? (await loadNodeHidOpener());
    const [first] = await hid.list(ids.vid, ids.pid);
    if (!first) return null;
    return new HidPosScanner(await hid.open(first.path));
  }

  async close(): Promise<void> {
    await this.device.close();
  }

  private receive(report: Uint8Array): void {
    const r = this.reassembler.push(report);
    if (!r.ok) return void this.emit('qr-invalid', { error: kioskError('QR_INVALID', new Error(r.reason)) });
    if (r.value === null) return;
    let text = '';
    for (const b of r.value) text += String.fromCharCode(b);
    const code = parseScannedCode(text);
    if (code.ok) this.emit('qr-scanned', { code: code.value });
    else this.emit('qr-invalid', { error: kioskError('QR_INVALID', new Error(code.reason)) });
  }
}

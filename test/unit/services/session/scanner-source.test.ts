import { describe, expect, it } from 'vitest';
import { FakeHidScanner } from '../../../../drivers/scanner/fake-hid-scanner.ts';
import { memoryLogger } from '../../../../services/logging/logger.ts';
import type { ReaderEvent } from '../../../../services/session/reader-events.ts';
import { hidScannerSource } from '../../../../services/session/scanner-source.ts';

const IDS = { vid: 0x0c2e, pid: 0x0b61 };
const VOUCHER = '320200ec32ecbef721a4ba6837093000a9c9';

async function until(check: () => boolean, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('HID QR scanner source', () => {
  it('turns scans into qr-scanned, drops stray barcodes, and finds the scanner again after an unplug', async () => {
    let scanner = new FakeHidScanner(IDS);
    // The opener follows whichever scanner is plugged in now (a replugged device is a new device).
    const source = hidScannerSource({ ids: IDS, log: memoryLogger(), pollMs: 10, opener: { list: (v, p) => scanner.opener.list(v, p), open: (path) => scanner.opener.open(path) } });
    const seen: ReaderEvent[] = [];
    source.subscribe((e) => seen.push(e));
    await source.start?.();
    scanner.scan(VOUCHER);
    scanner.scan('6901234567892'); // an EAN-13 on a drug box: not a voucher
    expect(seen).toEqual([{ type: 'qr-scanned', code: VOUCHER }]);

    scanner.unplug();
    scanner = new FakeHidScanner(IDS);
    await until(() => {
      scanner.scan(VOUCHER);
      return seen.length >= 2;
    });
    expect(seen[1]).toEqual({ type: 'qr-scanned', code: VOUCHER });
    await source.close();
  });

  it('gives up quietly on a machine without HID support (keyboard-wedge scanners still work)', async () => {
    const log = memoryLogger();
    const unavailable = Object.assign(new Error('node-hid could not be loaded'), { name: 'HidUnavailableError' });
    let looked = 0;
    const list = async () => {
      looked += 1;
      return Promise.reject(unavailable);
    };
    const source = hidScannerSource({ ids: IDS, log, pollMs: 5, opener: { list, open: async () => Promise.reject(unavailable) } });
    await source.start?.();
    await new Promise((r) => setTimeout(r, 40));
    // Asked once, not every poll: nothing will load node-hid on this machine until it is restarted.
    expect(looked).toBe(1);
    expect(source.readers()).toEqual([]);
    await source.close();
  });
});

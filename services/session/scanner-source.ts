import type { HidDeviceOpener } from '../../drivers/transport/hid-device.ts';
import { HidPosScanner } from '../../drivers/scanner/hid-pos-scanner.ts';
import type { Logger } from '../logging/logger.ts';
import type { ReaderEvent, ReaderSource } from './reader-events.ts';

export interface ScannerSourceOptions {
  /** The scanner's USB ids (config readers.scanner). */
  ids: { vid: number; pid: number };
  /** node-hid by default (loaded lazily); tests inject a HID device. */
  opener?: HidDeviceOpener;
  log: Logger;
  /** How often to look for the scanner while none is attached (hot plug). */
  pollMs?: number;
}

/**
 * The USB-HID POS QR scanner as a source of session events: each scanned 医保电子凭证 code becomes a
 * `qr-scanned` event (the session turns it into the KioskApi event the screens identify the patient with).
 * Looks for the scanner until it is there, and again after it is unplugged; a machine without HID support
 * (no node-hid) is logged once and left alone: keyboard-wedge scanners still work in the renderer.
 */
export function hidScannerSource(options: ScannerSourceOptions): ReaderSource {
  const listeners = new Set<(e: ReaderEvent) => void>();
  const pollMs = options.pollMs ?? 3_000;
  let scanner: HidPosScanner | null = null;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const attach = (s: HidPosScanner) => {
    scanner = s;
    options.log.info('QR scanner attached', { vid: options.ids.vid, pid: options.ids.pid });
    s.on('qr-scanned', ({ code }) => {
      for (const l of listeners) l({ type: 'qr-scanned', code });
    });
    // A scan that cannot be a voucher (a drug barcode, a wrong keyboard layout) is dropped: nothing to identify.
    s.on('qr-invalid', ({ error }) => options.log.info('QR scan refused', { reason: error.message }));
    s.on('detached', () => {
      scanner = null;
      options.log.warn('QR scanner detached');
      void s.close().catch(() => undefined);
      schedule();
    });
  };

  const look = async () => {
    timer = null;
    if (closed || scanner) return;
    try {
      const found = await HidPosScanner.open(options.ids, options.opener);
      if (closed) return void (await found?.close());
      if (found) return attach(found);
    } catch (err) {
      options.log.warn('QR scanner unavailable', { error: err });
      if (err instanceof Error && err.name === 'HidUnavailableError') return;
    }
    schedule();
  };

  const schedule = () => {
    if (!closed && !timer) timer = setTimeout(() => void look(), pollMs);
  };

  return {
    readers: () => [],
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start: () => look(),
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await scanner?.close();
      scanner = null;
    },
  };
}

/** The card readers and the QR scanner as one source for the session. */
export function bothSources(readers: ReaderSource, scanner: ReaderSource): ReaderSource {
  return {
    readers: () => [...readers.readers(), ...scanner.readers()],
    ...(readers.verifyPin ? { verifyPin: readers.verifyPin.bind(readers) } : {}),
    subscribe(listener) {
      const a = readers.subscribe(listener);
      const b = scanner.subscribe(listener);
      return () => {
        a();
        b();
      };
    },
    async start() {
      await readers.start?.();
      await scanner.start?.();
    },
    async close() {
      await Promise.allSettled([readers.close(), scanner.close()]);
    },
  };
}

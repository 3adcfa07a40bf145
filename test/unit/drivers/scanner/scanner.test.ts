import fc from 'fast-check';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { HidPosScanner } from '../../../../drivers/scanner/hid-pos-scanner.ts';
import { HID_POS_REPORT_SIZE, HidPosReassembler, decodeHidPosReport, encodeHidPosReports } from '../../../../drivers/scanner/hid-pos-report.ts';
import { KeyboardWedgeDetector } from '../../../../drivers/scanner/keyboard-wedge.ts';
import { parseScannedCode } from '../../../../drivers/scanner/scanned-code.ts';
import type { HidDevice, HidDeviceOpener } from '../../../../drivers/transport/hid-device.ts';

const CODE = '320000ecnqssaor2nj7a2a480a0000a4cef57c';
const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('scanned codes', () => {
  it('accepts an e-voucher token and drops the scanner suffix', () => {
    expect(parseScannedCode(`${CODE}\r\n`)).toEqual({ ok: true, value: CODE });
  });
  it('refuses what cannot be an e-voucher code', () => {
    expect(parseScannedCode('').ok).toBe(false);
    expect(parseScannedCode('6901234567892').ok).toBe(false); // an EAN-13 drug barcode
    expect(parseScannedCode(`${CODE} x`).ok).toBe(false);
    expect(parseScannedCode(`${CODE}中`).ok).toBe(false);
    expect(parseScannedCode('A'.repeat(4097)).ok).toBe(false);
  });
});

describe('HID POS scanner reports', () => {
  it('decodes id 02, length, AIM id, data and the "more" flag (Honeywell layout)', () => {
    const [r] = encodeHidPosReports(bytes('hello'), ']Q1');
    expect(r?.length).toBe(HID_POS_REPORT_SIZE);
    const d = decodeHidPosReport(r as Uint8Array);
    expect(d).toMatchObject({ ok: true, value: { aim: ']Q1', more: false } });
    expect(d.ok && new TextDecoder().decode(d.value.data)).toBe('hello');
  });

  it('joins a long code spread over several reports', () => {
    const long = CODE.repeat(5);
    const reports = encodeHidPosReports(bytes(long));
    expect(reports.length).toBeGreaterThan(1);
    const r = new HidPosReassembler();
    const results = reports.map((x) => r.push(x));
    const last = results.at(-1);
    expect(results.slice(0, -1).every((x) => x.ok && x.value === null)).toBe(true);
    expect(last?.ok && last.value && new TextDecoder().decode(last.value)).toBe(long);
  });

  it('never throws on random reports', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 60, maxLength: 66 }), { maxLength: 100 }), (reports) => {
        const r = new HidPosReassembler();
        for (const x of reports) r.push(x);
      }),
      { numRuns: 300 },
    );
  });

  it('emits qr-scanned for a good code and qr-invalid (QR_INVALID) for a stray barcode, from an injected device', async () => {
    const device = new EventEmitter() as EventEmitter & HidDevice;
    Object.assign(device, { write: () => 0, close: () => undefined });
    const opener: HidDeviceOpener = { list: async () => [{ path: 'pos', vendorId: 1, productId: 2 }], open: async () => device };
    const scanner = await HidPosScanner.open({ vid: 1, pid: 2 }, opener);
    const seen: string[] = [];
    scanner?.on('qr-scanned', ({ code }) => seen.push(code));
    scanner?.on('qr-invalid', ({ error }) => seen.push(error.code));
    for (const r of encodeHidPosReports(bytes(CODE))) device.emit('data', Buffer.from(r));
    for (const r of encodeHidPosReports(bytes('6901234567892'))) device.emit('data', Buffer.from(r));
    expect(seen).toEqual([CODE, 'QR_INVALID']);
  });
});

describe('keyboard-wedge scanner detection', () => {
  const typeOut = (d: KeyboardWedgeDetector, text: string, start: number, gapMs: number) => {
    let t = start;
    for (const ch of text) d.feed(ch, (t += gapMs));
    return d.feed('Enter', t + gapMs);
  };

  it('takes a fast burst ended by Enter as a scan', () => {
    expect(typeOut(new KeyboardWedgeDetector(), CODE, 0, 8)).toEqual({ kind: 'scan', code: CODE });
  });

  it('ignores a person typing the same characters', () => {
    expect(typeOut(new KeyboardWedgeDetector(), CODE, 0, 120)).toBeNull();
  });

  it('ignores a short fast burst (a person hitting keys at once) and a burst that stalls before Enter', () => {
    expect(typeOut(new KeyboardWedgeDetector(), 'abc', 0, 5)).toBeNull();
    const d = new KeyboardWedgeDetector();
    let t = 0;
    for (const ch of CODE) d.feed(ch, (t += 8));
    expect(d.feed('Enter', t + 500)).toBeNull();
  });

  it('finds the scan after some typing, and reports a fast burst that is not a valid code', () => {
    const d = new KeyboardWedgeDetector();
    typeOut(d, 'hello', 0, 150);
    expect(typeOut(d, CODE, 10_000, 10)).toEqual({ kind: 'scan', code: CODE });
    expect(typeOut(d, '12345678901234567 89', 20_000, 10)).toMatchObject({ kind: 'invalid-scan' });
  });

  it('never throws on random key streams', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(fc.string({ maxLength: 2 }), fc.constant('Enter'), fc.constant('Shift')), fc.integer({ min: 0, max: 500 })), { maxLength: 200 }), (keys) => {
        const d = new KeyboardWedgeDetector();
        let t = 0;
        for (const [k, gap] of keys) d.feed(k, (t += gap));
      }),
    );
  });
});

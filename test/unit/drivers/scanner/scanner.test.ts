import fc from 'fast-check';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { HidPosScanner } from '../../../../drivers/scanner/hid-pos-scanner.ts';
import { HID_POS_REPORT_SIZE, HidPosReassembler, decodeHidPosReport, encodeHidPosReports } from '../../../../drivers/scanner/hid-pos-report.ts';
import { parseScannedCode } from '../../../../drivers/scanner/scanned-code.ts';
import type { HidDevice, HidDeviceOpener } from '../../../../drivers/transport/hid-device.ts';

const CODE = '320000ecnqssaor2nj7a2a480a0000a4cef57c';
const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('scanned codes', () => {
  it('accepts an e-voucher token and drops the scanner suffix', () => {
    expect(parseScannedCode(`${CODE}\r\n`)).toEqual({ ok: true, value: CODE });
  });
  it('never throws on any string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 5000 }), (s) => {
        const r = parseScannedCode(s);
        if (r.ok) expect(r.value.length).toBeGreaterThanOrEqual(16);
      }),
      { numRuns: 500 },
    );
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

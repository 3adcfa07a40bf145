import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../base/bytes.ts';
import { HID_REPORT_SIZE, HidReassembler, encodeHidReports, hidReportCount } from '../../../../drivers/link/hid-frame.ts';

function message(length: number): Uint8Array {
  const m = new Uint8Array(length);
  for (let i = 0; i < length; i++) m[i] = (i * 7 + 1) & 0xff;
  m[0] = 0x80;
  return m;
}

describe('HID framing (reader-link.md §3)', () => {
  it('lays a short message out as channel 0101, tag 05, seq 0000, length (BE), data, zero padding', () => {
    const m = message(12);
    const [report, ...rest] = encodeHidReports(m);
    expect(rest).toEqual([]);
    expect(report?.length).toBe(HID_REPORT_SIZE);
    expect(toHex((report as Uint8Array).subarray(0, 7))).toBe('01010500000' + '00C');
    expect(toHex((report as Uint8Array).subarray(7, 19))).toBe(toHex(m));
    expect([...(report as Uint8Array).subarray(19)].every((b) => b === 0)).toBe(true);
  });

  it('puts 57 bytes in packet 0 and 59 in each following packet', () => {
    expect(hidReportCount(57)).toBe(1);
    expect(hidReportCount(58)).toBe(2);
    expect(hidReportCount(57 + 59)).toBe(2);
    expect(hidReportCount(57 + 60)).toBe(3);
    const reports = encodeHidReports(message(100));
    expect(reports.map((r) => toHex(r.subarray(0, 5)))).toEqual(['0101050000', '0101050001']);
  });

  it('sends NotifySlotChange as a single tag-06 report', () => {
    const [r] = encodeHidReports(Uint8Array.of(0x50, 0x03));
    expect(toHex((r as Uint8Array).subarray(0, 6))).toBe('010106000003');
    expect(new HidReassembler().push(r as Uint8Array)).toEqual([{ type: 'message', message: Uint8Array.of(0x50, 0x03) }]);
  });

  it('discards a message with a gap in packet seq', () => {
    const reports = encodeHidReports(message(200));
    const r = new HidReassembler();
    r.push(reports[0] as Uint8Array);
    const events = r.push(reports[2] as Uint8Array);
    expect(events).toEqual([{ type: 'discarded', reason: 'packet seq gap: got 2, expected 1' }]);
    // The reassembler is ready for the next message.
    const again = encodeHidReports(message(30));
    expect(r.push(again[0] as Uint8Array)[0]?.type).toBe('message');
  });

  it('discards a message when a report comes on the wrong channel', () => {
    const reports = encodeHidReports(message(100));
    const r = new HidReassembler();
    r.push(reports[0] as Uint8Array);
    const foreign = (reports[1] as Uint8Array).slice();
    foreign[1] = 0x02;
    expect(r.push(foreign)[0]?.type).toBe('discarded');
    expect(r.push(reports[1] as Uint8Array)[0]?.type).toBe('discarded');
  });
});

describe('HID framing properties', () => {
  it('round-trips every message length 1..271', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 271 }), (m) => {
        const r = new HidReassembler();
        const out = encodeHidReports(m).flatMap((report) => r.push(report));
        expect(out.map((e) => (e.type === 'message' ? toHex(e.message) : e.type))).toEqual([toHex(m)]);
      }),
    );
  });

  it('never throws on random reports', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 30 }), (reports) => {
        const r = new HidReassembler();
        for (const report of reports) expect(r.push(report).length).toBeLessThanOrEqual(2);
      }),
      { numRuns: 500 },
    );
  });
});

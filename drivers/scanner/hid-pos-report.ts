import { decoded, rejected, type Decoded } from '../decoded.ts';

/**
 * Input reports of a USB HID POS scanner (usage page 0x8C) in the layout Honeywell and compatible scanners use
 * (see docs/readers.md): `0x02 (report id) | length | AIM id (3) | data (length) … | flags`, 64 bytes, where
 * bit 0 of the last byte says more reports of the same code follow. Pure; never throws.
 */
export const HID_POS_REPORT_ID = 0x02;
export const HID_POS_REPORT_SIZE = 64;
const DATA_OFFSET = 5;
/** Bytes available for data in one report: 64 minus id, length, AIM (3) and 3 trailer bytes. */
export const HID_POS_MAX_DATA = HID_POS_REPORT_SIZE - DATA_OFFSET - 3;

export interface HidPosReport {
  aim: string;
  data: Uint8Array;
  more: boolean;
}

export function decodeHidPosReport(report: Uint8Array): Decoded<HidPosReport> {
  if (report.length !== HID_POS_REPORT_SIZE) return rejected(`report of ${report.length} bytes`);
  if (report[0] !== HID_POS_REPORT_ID) return rejected(`report id 0x${(report[0] as number).toString(16)}`);
  const length = report[1] as number;
  if (length > HID_POS_MAX_DATA) return rejected(`data length ${length} exceeds ${HID_POS_MAX_DATA}`);
  const aim = String.fromCharCode(report[2] as number, report[3] as number, report[4] as number);
  return decoded({ aim, data: report.slice(DATA_OFFSET, DATA_OFFSET + length), more: ((report[HID_POS_REPORT_SIZE - 1] as number) & 0x01) === 1 });
}

export function encodeHidPosReports(data: Uint8Array, aim = ']Q1'): Uint8Array[] {
  const reports: Uint8Array[] = [];
  for (let offset = 0; offset < data.length || reports.length === 0; offset += HID_POS_MAX_DATA) {
    const chunk = data.subarray(offset, offset + HID_POS_MAX_DATA);
    const r = new Uint8Array(HID_POS_REPORT_SIZE);
    r[0] = HID_POS_REPORT_ID;
    r[1] = chunk.length;
    r.set([aim.charCodeAt(0), aim.charCodeAt(1), aim.charCodeAt(2)], 2);
    r.set(chunk, DATA_OFFSET);
    r[HID_POS_REPORT_SIZE - 1] = offset + HID_POS_MAX_DATA < data.length ? 1 : 0;
    reports.push(r);
  }
  return reports;
}

/** Longest code the reassembler collects before giving up on a scanner that never says "last report". */
const MAX_CODE_BYTES = 4096;

/** Joins the reports of one scanned code. */
export class HidPosReassembler {
  private parts: Uint8Array[] = [];
  private size = 0;

  /** Returns the complete code bytes when the last report of a code arrives; errors reset the code in progress. */
  push(report: Uint8Array): Decoded<Uint8Array | null> {
    const r = decodeHidPosReport(report);
    if (!r.ok) {
      this.reset();
      return r;
    }
    this.parts.push(r.value.data);
    this.size += r.value.data.length;
    if (this.size > MAX_CODE_BYTES) {
      this.reset();
      return rejected(`code longer than ${MAX_CODE_BYTES} bytes`);
    }
    if (r.value.more) return decoded(null);
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    this.reset();
    return decoded(out);
  }

  private reset(): void {
    this.parts = [];
    this.size = 0;
  }
}

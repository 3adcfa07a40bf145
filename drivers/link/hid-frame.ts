/**
 * HID framing of reader-link.md §3 (modelled on LedgerHQ hid-framing.ts): 64-byte reports
 * `channel (2, BE) = 0x0101 | tag (1) | packet seq (2, BE) | payload (59)`. Tag 0x05 carries a CCID message
 * (packet 0 starts with the message length, 2 BE), tag 0x06 a NotifySlotChange. Pure: no I/O.
 */
import { MAX_MESSAGE_LENGTH, NOTIFY_SLOT_CHANGE } from './serial-frame.ts';

export const HID_REPORT_SIZE = 64;
export const HID_CHANNEL = 0x0101;
export const TAG_MESSAGE = 0x05;
export const TAG_NOTIFY = 0x06;
const HEADER = 5;
const PAYLOAD = HID_REPORT_SIZE - HEADER; // 59
const FIRST_CHUNK = PAYLOAD - 2; // 57

function header(report: Uint8Array, tag: number, seq: number): void {
  report[0] = HID_CHANNEL >> 8;
  report[1] = HID_CHANNEL & 0xff;
  report[2] = tag;
  report[3] = (seq >> 8) & 0xff;
  report[4] = seq & 0xff;
}

/** Splits one CCID message into zero-padded 64-byte reports. A NotifySlotChange goes as a single tag-0x06 report. */
export function encodeHidReports(message: Uint8Array): Uint8Array[] {
  if (message.length === 2 && message[0] === NOTIFY_SLOT_CHANGE) {
    const report = new Uint8Array(HID_REPORT_SIZE);
    header(report, TAG_NOTIFY, 0);
    report[HEADER] = message[1] as number;
    return [report];
  }
  const reports: Uint8Array[] = [];
  let offset = 0;
  let seq = 0;
  while (offset < message.length || seq === 0) {
    const report = new Uint8Array(HID_REPORT_SIZE);
    header(report, TAG_MESSAGE, seq);
    let at = HEADER;
    if (seq === 0) {
      report[at++] = (message.length >> 8) & 0xff;
      report[at++] = message.length & 0xff;
    }
    const take = Math.min(HID_REPORT_SIZE - at, message.length - offset);
    report.set(message.subarray(offset, offset + take), at);
    offset += take;
    reports.push(report);
    seq++;
  }
  return reports;
}

/** Number of reports a message needs on the HID link (timing model: 1 ms each). */
export function hidReportCount(messageLength: number, isNotification = false): number {
  if (isNotification || messageLength <= FIRST_CHUNK) return 1;
  return 1 + Math.ceil((messageLength - FIRST_CHUNK) / PAYLOAD);
}

export type HidFrameEvent =
  | { type: 'message'; message: Uint8Array }
  | { type: 'discarded'; reason: string };

/**
 * Reassembles reports into messages. A gap in packet seq or a wrong channel discards the message in progress
 * (§3). Never throws; work is linear in the report size.
 */
export class HidReassembler {
  private buffer: Uint8Array | null = null;
  private filled = 0;
  private nextSeq = 0;

  push(report: Uint8Array): HidFrameEvent[] {
    const events: HidFrameEvent[] = [];
    if (report.length < HEADER + 1) {
      this.drop(events, `short report (${report.length} bytes)`);
      return events;
    }
    const channel = ((report[0] as number) << 8) | (report[1] as number);
    if (channel !== HID_CHANNEL) {
      this.drop(events, `wrong channel 0x${channel.toString(16).padStart(4, '0')}`);
      return events;
    }
    const tag = report[2] as number;
    const seq = ((report[3] as number) << 8) | (report[4] as number);
    if (tag === TAG_NOTIFY) {
      events.push({ type: 'message', message: Uint8Array.of(NOTIFY_SLOT_CHANGE, report[HEADER] as number) });
      return events;
    }
    if (tag !== TAG_MESSAGE) {
      events.push({ type: 'discarded', reason: `unknown tag 0x${tag.toString(16)}` });
      return events;
    }
    if (seq === 0) {
      if (this.buffer) this.drop(events, 'new message before the previous one was complete');
      if (report.length < HEADER + 2) return events;
      const length = ((report[HEADER] as number) << 8) | (report[HEADER + 1] as number);
      if (length === 0 || length > MAX_MESSAGE_LENGTH) {
        events.push({ type: 'discarded', reason: `bad message length ${length}` });
        return events;
      }
      this.buffer = new Uint8Array(length);
      this.filled = 0;
      this.nextSeq = 1;
      this.take(report, HEADER + 2, events);
      return events;
    }
    if (!this.buffer) {
      events.push({ type: 'discarded', reason: `packet seq ${seq} without a first packet` });
      return events;
    }
    if (seq !== this.nextSeq) {
      this.drop(events, `packet seq gap: got ${seq}, expected ${this.nextSeq}`);
      return events;
    }
    this.nextSeq++;
    this.take(report, HEADER, events);
    return events;
  }

  private take(report: Uint8Array, from: number, events: HidFrameEvent[]): void {
    const buffer = this.buffer as Uint8Array;
    const n = Math.min(buffer.length - this.filled, Math.max(0, report.length - from));
    buffer.set(report.subarray(from, from + n), this.filled);
    this.filled += n;
    if (this.filled === buffer.length) {
      events.push({ type: 'message', message: buffer });
      this.buffer = null;
      this.filled = 0;
    }
  }

  private drop(events: HidFrameEvent[], reason: string): void {
    events.push({ type: 'discarded', reason });
    this.buffer = null;
    this.filled = 0;
  }
}

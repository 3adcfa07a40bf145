import type { HidDevice } from '../transport/hid-device.ts';
import { HID_REPORT_SIZE, HidReassembler, encodeHidReports } from './hid-frame.ts';
import { LinkError, emptyLinkStats, type LinkStats, type MessageLink } from './message-link.ts';

/**
 * Host side of the HID link (reader-link.md §3) over an opened HID device. Output reports get node-hid's
 * leading 0x00 (no report IDs); input reports are reassembled, and a device error means the reader is gone.
 */
export class HidLink implements MessageLink {
  readonly stats: LinkStats = emptyLinkStats();
  private readonly reassembler = new HidReassembler();
  private messageListener: (message: Uint8Array) => void = () => {};
  private closeListener: (error?: Error) => void = () => {};
  private open = true;

  constructor(
    private readonly device: HidDevice,
    readonly description: string,
  ) {
    device.on('data', (report) => this.receive(report));
    device.on('error', (error) => this.finish(error));
  }

  get isOpen(): boolean {
    return this.open;
  }

  async send(message: Uint8Array): Promise<void> {
    if (!this.open) throw new LinkError('closed', `HID reader ${this.description} is gone`);
    for (const report of encodeHidReports(message)) {
      const out = new Uint8Array(HID_REPORT_SIZE + 1);
      out.set(report, 1);
      try {
        await this.device.write(out);
      } catch (err) {
        this.finish(err instanceof Error ? err : new Error(String(err)));
        throw new LinkError('write-failed', `write to HID reader ${this.description} failed`, { cause: err });
      }
      this.stats.framesSent++;
    }
  }

  onMessage(listener: (message: Uint8Array) => void): void {
    this.messageListener = listener;
  }

  onError(): void {
    // HID has no NAK/resend; every failure is fatal and reported through onClose.
  }

  onClose(listener: (error?: Error) => void): void {
    this.closeListener = listener;
  }

  async close(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    try {
      await this.device.close();
    } finally {
      this.closeListener(undefined);
    }
  }

  private receive(report: Uint8Array): void {
    if (!this.open) return;
    this.stats.framesReceived++;
    for (const event of this.reassembler.push(report)) {
      if (event.type === 'message') this.messageListener(event.message);
      else this.stats.badFrames++;
    }
  }

  private finish(error: Error): void {
    if (!this.open) return;
    this.open = false;
    Promise.resolve()
      .then(() => this.device.close())
      .catch(() => {});
    this.closeListener(error);
  }
}

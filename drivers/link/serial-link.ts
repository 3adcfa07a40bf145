import type { ByteTransport } from '../transport/byte-transport.ts';
import { LinkError, emptyLinkStats, type LinkStats, type MessageLink } from './message-link.ts';
import { INTER_BYTE_TIMEOUT_MS, NAK_FRAME, SerialFrameDecoder, encodeSerialFrame } from './serial-frame.ts';

/** A NAKed frame is resent at most this many times, then the sender reports a link error (§2). */
export const MAX_RESENDS = 3;

/**
 * Host side of the serial link (reader-link.md §2): frames outgoing messages, answers bad frames with NAK,
 * resends our last frame when the reader NAKs it, and drops partial frames after 100 ms of silence.
 */
export class SerialLink implements MessageLink {
  readonly stats: LinkStats = emptyLinkStats();
  private readonly decoder: SerialFrameDecoder;
  private lastFrame: Uint8Array | null = null;
  private resends = 0;
  private messageListener: (message: Uint8Array) => void = () => {};
  private errorListener: (error: LinkError) => void = () => {};
  private closeListener: (error?: Error) => void = () => {};
  private staleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly transport: ByteTransport,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.decoder = new SerialFrameDecoder(INTER_BYTE_TIMEOUT_MS);
    transport.onData((chunk) => this.receive(chunk));
    transport.onClose((error) => {
      this.clearStaleTimer();
      this.closeListener(error);
    });
  }

  get description(): string {
    return this.transport.description;
  }

  get isOpen(): boolean {
    return this.transport.isOpen;
  }

  async send(message: Uint8Array): Promise<void> {
    const frame = encodeSerialFrame(message);
    this.lastFrame = frame;
    this.resends = 0;
    await this.write(frame);
    this.stats.framesSent++;
  }

  onMessage(listener: (message: Uint8Array) => void): void {
    this.messageListener = listener;
  }

  onError(listener: (error: LinkError) => void): void {
    this.errorListener = listener;
  }

  onClose(listener: (error?: Error) => void): void {
    this.closeListener = listener;
  }

  close(): Promise<void> {
    this.clearStaleTimer();
    return this.transport.close();
  }

  private async write(bytes: Uint8Array): Promise<void> {
    try {
      await this.transport.write(bytes);
    } catch (err) {
      throw new LinkError('write-failed', `write to ${this.description} failed`, { cause: err });
    }
  }

  private receive(chunk: Uint8Array): void {
    for (const event of this.decoder.push(chunk, this.now())) {
      switch (event.type) {
        case 'message':
          this.stats.framesReceived++;
          this.messageListener(event.message);
          break;
        case 'nak':
          this.stats.naksReceived++;
          this.resendLast();
          break;
        case 'bad':
          this.stats.badFrames++;
          this.requestResend();
          break;
        case 'stale':
          this.stats.staleFramesDropped++;
          this.requestResend();
          break;
      }
    }
    this.armStaleTimer();
  }

  /**
   * NAK: the reader resends its last frame. Sent for a bad frame (§2), and also, beyond §2's minimum, when a
   * partial frame is dropped after 100 ms: noise that looked like a frame start can swallow the reader's real
   * answer into a frame that never completes, and without a NAK that answer would be lost until the 2 s timeout.
   */
  private requestResend(): void {
    this.stats.naksSent++;
    this.write(NAK_FRAME).catch((err: unknown) => this.errorListener(err instanceof LinkError ? err : new LinkError('write-failed', String(err))));
  }

  private resendLast(): void {
    if (!this.lastFrame) return;
    if (this.resends >= MAX_RESENDS) {
      this.lastFrame = null;
      this.errorListener(new LinkError('nak-limit', `reader on ${this.description} rejected our frame ${MAX_RESENDS + 1} times`));
      return;
    }
    this.resends++;
    this.stats.resends++;
    this.write(this.lastFrame).catch((err: unknown) => this.errorListener(err instanceof LinkError ? err : new LinkError('write-failed', String(err))));
  }

  // A partial frame is dropped when its next byte comes late; this timer also drops it when no byte comes at all,
  // so that the next frame is not glued to its remains.
  private armStaleTimer(): void {
    this.clearStaleTimer();
    if (!this.decoder.inFrame) return;
    this.staleTimer = setTimeout(() => {
      this.staleTimer = null;
      for (const event of this.decoder.expire(this.now())) {
        if (event.type !== 'stale') continue;
        this.stats.staleFramesDropped++;
        if (this.transport.isOpen) this.requestResend();
      }
    }, INTER_BYTE_TIMEOUT_MS + 5);
    this.staleTimer.unref();
  }

  private clearStaleTimer(): void {
    if (this.staleTimer) clearTimeout(this.staleTimer);
    this.staleTimer = null;
  }
}

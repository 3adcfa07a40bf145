import { NAK_FRAME, SerialFrameDecoder, encodeSerialFrame } from '../link/serial-frame.ts';
import { MAX_RESENDS } from '../link/serial-link.ts';
import { runAt } from './precise-timer.ts';
import type { VirtualReaderCore } from './reader-core.ts';
import { SERIAL_BYTE_MS } from './timing-model.ts';

export type NoiseMode = 'now' | 'before-next-frame' | 'corrupt-next-frame';

export interface SerialEndpointStats {
  framesReceived: number;
  framesSent: number;
  naksSent: number;
  naksReceived: number;
  resends: number;
  noiseBytes: number;
}

/**
 * The reader's end of the serial link (reader-link.md §2): decodes host frames for the core, NAKs bad ones,
 * resends its last frame when the host NAKs it (at most 3 times), and can put noise on the line on request.
 */
export class SerialReaderEndpoint {
  readonly stats: SerialEndpointStats = { framesReceived: 0, framesSent: 0, naksSent: 0, naksReceived: 0, resends: 0, noiseBytes: 0 };
  private readonly decoder = new SerialFrameDecoder();
  private lastFrame: Uint8Array | null = null;
  private resends = 0;
  private readonly noise: { mode: NoiseMode; bytes: Uint8Array }[] = [];

  constructor(
    private readonly core: VirtualReaderCore,
    private readonly write: (bytes: Uint8Array) => void,
  ) {
    core.connect((message) => this.deliver(message));
  }

  receive(chunk: Uint8Array): void {
    for (const event of this.decoder.push(chunk, performance.now())) {
      if (event.type === 'message') {
        this.stats.framesReceived++;
        this.core.handle(event.message);
      } else if (event.type === 'bad') {
        this.stats.naksSent++;
        this.write(NAK_FRAME);
      } else if (event.type === 'nak') {
        this.stats.naksReceived++;
        this.resend();
      }
    }
  }

  /** Garbage on the reader→host line: now, glued before the next frame, or as a wrong LRC on the next frame. */
  injectNoise(bytes: Uint8Array, mode: NoiseMode): void {
    this.stats.noiseBytes += bytes.length;
    if (mode === 'now') this.write(bytes);
    else this.noise.push({ mode, bytes });
  }

  /** Forget the line state (the reader was unplugged). */
  reset(): void {
    this.lastFrame = null;
    this.resends = 0;
    this.noise.length = 0;
  }

  private deliver(message: Uint8Array): void {
    const frame = encodeSerialFrame(message);
    this.lastFrame = frame;
    this.resends = 0;
    this.stats.framesSent++;
    const noise = this.noise.shift();
    if (!noise) return this.write(frame);
    if (noise.mode === 'before-next-frame') {
      const out = new Uint8Array(noise.bytes.length + frame.length);
      out.set(noise.bytes);
      out.set(frame, noise.bytes.length);
      return this.write(out);
    }
    const corrupted = frame.slice();
    corrupted[corrupted.length - 1] = (corrupted[corrupted.length - 1] as number) ^ 0xff;
    this.write(corrupted);
  }

  private resend(): void {
    const frame = this.lastFrame;
    if (!frame || this.resends >= MAX_RESENDS) return;
    this.resends++;
    this.stats.resends++;
    runAt(performance.now() + frame.length * SERIAL_BYTE_MS * this.core.timeScale, () => {
      if (this.core.isPlugged) this.write(frame);
    });
  }
}

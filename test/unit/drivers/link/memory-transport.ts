import type { ByteTransport } from '../../../../drivers/transport/byte-transport.ts';

/** An in-memory ByteTransport whose far end the test plays by hand. */
export class MemoryTransport implements ByteTransport {
  readonly description = 'memory';
  readonly written: Uint8Array[] = [];
  private dataListener: (chunk: Uint8Array) => void = () => {};
  private closeListener: (error?: Error) => void = () => {};
  private open = true;

  get isOpen(): boolean {
    return this.open;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.open) throw new Error('closed');
    this.written.push(bytes.slice());
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.dataListener = listener;
  }

  onClose(listener: (error?: Error) => void): void {
    this.closeListener = listener;
  }

  async close(): Promise<void> {
    this.hangUp();
  }

  /** Bytes from the far end. */
  deliver(bytes: Uint8Array): void {
    this.dataListener(bytes);
  }

  hangUp(error?: Error): void {
    if (!this.open) return;
    this.open = false;
    this.closeListener(error);
  }
}

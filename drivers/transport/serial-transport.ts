import { SerialPort } from 'serialport';
import type { ByteTransport } from './byte-transport.ts';

/** Line settings of reader-link.md §2: 115200 bit/s, 8 data bits, no parity, 2 stop bits, no flow control. */
export const SERIAL_LINE = { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 2, rtscts: false } as const;

/** What a line needs: speed, 8 data bits, no parity, the stop bits of its protocol, no flow control. */
export interface SerialLineSettings {
  baudRate: number;
  dataBits: 8;
  parity: 'none';
  stopBits: 1 | 2;
  rtscts: false;
}

/** A serial transport whose speed can change while open (the ID card reader's rate probe, idcard-link.md §2). */
export interface SerialByteTransport extends ByteTransport {
  setBaudRate(baudRate: number): Promise<void>;
}

export class SerialPortOpenError extends Error {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`cannot open serial port ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'SerialPortOpenError';
  }
}

/**
 * Opens a serial port (a USB-serial adapter, an RS-232 port or a pseudo-terminal) with the given line settings
 * (default: the card reader's). serialport sets the speed on the port, also on a pty (left at 38400 otherwise).
 */
export async function openSerialTransport(path: string, line: SerialLineSettings = SERIAL_LINE): Promise<SerialByteTransport> {
  const port = new SerialPort({ path, ...line, autoOpen: false, hupcl: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(new SerialPortOpenError(path, err)) : resolve())));
  return new SerialTransport(port, path);
}

class SerialTransport implements SerialByteTransport {
  private dataListener: (chunk: Uint8Array) => void = () => {};
  private closeListener: (error?: Error) => void = () => {};
  private closed = false;
  private closingByUs = false;

  constructor(
    private readonly port: SerialPort,
    readonly description: string,
  ) {
    port.on('data', (chunk: Buffer) => this.dataListener(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
    // 'close' carries { disconnected: true } when the device went away (a USB adapter unplugged, a pty master closed).
    port.on('close', (err?: Error) => this.finish(this.closingByUs ? undefined : (err ?? new Error(`serial port ${description} closed`))));
    port.on('error', (err: Error) => {
      if (!port.isOpen) this.finish(err);
    });
  }

  get isOpen(): boolean {
    return !this.closed && this.port.isOpen;
  }

  write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.isOpen) return reject(new Error(`serial port ${this.description} is closed`));
      this.port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), (err) => (err ? reject(err) : resolve()));
    });
  }

  setBaudRate(baudRate: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.isOpen) return reject(new Error(`serial port ${this.description} is closed`));
      this.port.update({ baudRate }, (err) => (err ? reject(err) : resolve()));
    });
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.dataListener = listener;
  }

  onClose(listener: (error?: Error) => void): void {
    this.closeListener = listener;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closingByUs = true;
    if (this.port.isOpen) await new Promise<void>((resolve) => this.port.close(() => resolve()));
    this.finish(undefined);
  }

  private finish(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.closeListener(error);
  }
}

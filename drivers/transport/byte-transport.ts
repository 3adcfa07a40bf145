/**
 * A byte stream to a reader: what the serial link needs from the port. serialport implements it for real
 * devices and pseudo-terminals; tests may pair two in memory. Bytes arrive in whatever chunks the OS delivers.
 */
export interface ByteTransport {
  readonly description: string;
  write(bytes: Uint8Array): Promise<void>;
  /** One listener; chunks in arrival order. */
  onData(listener: (chunk: Uint8Array) => void): void;
  /** Called once when the transport is gone: closed by us (error undefined) or lost (unplugged, I/O error). */
  onClose(listener: (error?: Error) => void): void;
  close(): Promise<void>;
  readonly isOpen: boolean;
}

/**
 * A link carries whole CCID messages (reader-link.md §1) between host and reader, whatever the framing
 * underneath (serial §2, HID §3). Messages from the reader include the 2-byte NotifySlotChange (0x50).
 */
export interface MessageLink {
  readonly description: string;
  send(message: Uint8Array): Promise<void>;
  onMessage(listener: (message: Uint8Array) => void): void;
  /** A link-level failure the pending command must see (e.g. our frame NAKed more than 3 times). */
  onError(listener: (error: LinkError) => void): void;
  /** The link is gone for good (closed or unplugged). Called once. */
  onClose(listener: (error?: Error) => void): void;
  close(): Promise<void>;
  readonly isOpen: boolean;
  readonly stats: LinkStats;
}

export interface LinkStats {
  framesSent: number;
  framesReceived: number;
  naksSent: number;
  naksReceived: number;
  resends: number;
  staleFramesDropped: number;
  badFrames: number;
}

export function emptyLinkStats(): LinkStats {
  return { framesSent: 0, framesReceived: 0, naksSent: 0, naksReceived: 0, resends: 0, staleFramesDropped: 0, badFrames: 0 };
}

export type LinkErrorKind = 'timeout' | 'nak-limit' | 'closed' | 'write-failed' | 'open-failed';

export class LinkError extends Error {
  constructor(
    readonly kind: LinkErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LinkError';
  }
}

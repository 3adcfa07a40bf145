import type { PinCheck } from '../../drivers/sscard/verify-pin.ts';
import type { KioskError } from '../../contract/errors.ts';
import type { SocialSecurityCard } from '../../drivers/sscard/social-security-card.ts';

/**
 * What the session needs from the card readers and the QR scanner, whatever drives them: the reader manager
 * of drivers/ (real serial and HID readers, or the virtual reader on a pseudo-terminal) is adapted to this in
 * terminal.ts. A narrow seam, so the session is tested on its own and the drivers can change underneath.
 */
export interface ReaderDescriptor {
  readerId: string;
  name: string;
  link: 'serial' | 'hid';
}

export type ReaderEvent =
  | { type: 'reader-attached'; reader: ReaderDescriptor }
  | { type: 'reader-detached'; readerId: string }
  | { type: 'card-inserted'; readerId: string }
  | { type: 'card-removed'; readerId: string }
  | { type: 'card-read'; readerId: string; card: SocialSecurityCard }
  | { type: 'card-error'; readerId: string; error: KioskError }
  | { type: 'qr-scanned'; code: string };

export interface ReaderSource {
  /** Readers attached now. */
  readers(): ReaderDescriptor[];
  subscribe(listener: (event: ReaderEvent) => void): () => void;
  /** Starts discovery, when the source has any (called once the session listens, so no event is lost). */
  start?(): Promise<void>;
  close(): Promise<void>;
  /** VERIFY of the card PIN on the card in a reader, where the source has card readers (services/discharge/card-pin.ts). */
  verifyPin?(pin: string): Promise<PinCheck>;
}

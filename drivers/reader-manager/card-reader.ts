import { CcidClient, RESPONSE_TIMEOUT_MS, type ReaderIdentity } from '../ccid/ccid-client.ts';
import { CcidSlotError } from '../ccid/ccid-errors.ts';
import { ESCAPE, ICC_STATUS, SLOT_CARD, type SlotChange } from '../ccid/message.ts';
import { kioskError, toKioskError } from '../kiosk-errors.ts';
import { HidLink } from '../link/hid-link.ts';
import { LinkError, type MessageLink } from '../link/message-link.ts';
import { SerialLink } from '../link/serial-link.ts';
import { readSocialSecurityCard, type CardRead } from '../sscard/read-card.ts';
import { verifyCardPin, type PinCheck } from '../sscard/verify-pin.ts';
import type { HidDeviceOpener } from '../transport/hid-device.ts';
import { openSerialTransport } from '../transport/serial-transport.ts';

export type LinkKind = 'serial' | 'hid';

/**
 * One connected reader that answered the probe (Escape 02 within 2 s, reader-link.md §2): its identity, card
 * presence, insert/remove notifications, and the 社保卡 read with failures as KioskErrors. The reader
 * manager keeps one per attached reader; `kiosk read-card` uses one directly.
 */
export class CardReader {
  private constructor(
    readonly readerId: string,
    readonly link: LinkKind,
    readonly identity: ReaderIdentity,
    readonly client: CcidClient,
  ) {}

  /** Probes a link with Escape 02; closes it and throws READER_NOT_FOUND when nothing answers like a reader. */
  static async probe(messageLink: MessageLink, readerId: string, link: LinkKind, timeoutMs = RESPONSE_TIMEOUT_MS): Promise<CardReader> {
    const client = new CcidClient(messageLink, timeoutMs);
    try {
      const identity = await client.identity();
      return new CardReader(readerId, link, identity, client);
    } catch (err) {
      await client.close().catch(() => undefined);
      throw kioskError('READER_NOT_FOUND', err, err instanceof LinkError && err.kind === 'timeout' ? `${describe(readerId)}上没有读卡器应答` : undefined);
    }
  }

  /** A name for screens and logs: vendor, model and serial from the identity string. */
  get name(): string {
    const i = this.identity;
    const parts = [i.vendor, i.model].filter(Boolean).join(' ');
    return `${parts || i.raw || 'CCID reader'}${i.serial ? ` (${i.serial})` : ''}`;
  }

  get isOpen(): boolean {
    return this.client.isOpen;
  }

  /** Escape 01 01. False when the reader refuses it (then presence must be polled with GetSlotStatus). */
  async enableNotifications(): Promise<boolean> {
    try {
      await this.client.escape(ESCAPE.enableNotifications);
      return true;
    } catch (err) {
      if (err instanceof CcidSlotError) return false;
      throw err;
    }
  }

  async cardPresent(): Promise<boolean> {
    return (await this.client.getSlotStatus(SLOT_CARD)) !== ICC_STATUS.absent;
  }

  onSlotChange(listener: (change: SlotChange) => void): () => void {
    return this.client.onSlotChange(listener);
  }

  onClose(listener: (error?: Error) => void): () => void {
    return this.client.onClose(listener);
  }

  /** Reads the card in slot 0; rejects with a KioskError. */
  async read(): Promise<CardRead> {
    try {
      return await readSocialSecurityCard(this.client);
    } catch (err) {
      throw toKioskError(err);
    }
  }

  /** VERIFY of the card PIN in slot 0 (sscard/verify-pin.ts); a failure of the reader or the card as a KioskError. */
  async verifyPin(pin: string): Promise<PinCheck> {
    try {
      return await verifyCardPin(this.client, pin);
    } catch (err) {
      throw toKioskError(err);
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

function describe(readerId: string): string {
  return readerId.replace(/^serial:/, '串口 ').replace(/^hid:/, 'USB-HID ');
}

export function serialReaderId(path: string): string {
  return `serial:${path}`;
}

export function hidReaderId(path: string): string {
  return `hid:${path}`;
}

/** Opens a serial port and probes it. Rejects with READER_NOT_FOUND when the port cannot be opened or nothing answers. */
export async function openSerialCardReader(path: string): Promise<CardReader> {
  let transport;
  try {
    transport = await openSerialTransport(path);
  } catch (err) {
    throw toKioskError(err);
  }
  return CardReader.probe(new SerialLink(transport), serialReaderId(path), 'serial');
}

/** Opens a HID device by path through the given opener and probes it. */
export async function openHidCardReader(opener: HidDeviceOpener, path: string): Promise<CardReader> {
  let device;
  try {
    device = await opener.open(path);
  } catch (err) {
    throw kioskError('READER_NOT_FOUND', err);
  }
  return CardReader.probe(new HidLink(device, path), hidReaderId(path), 'hid');
}

import { EventEmitter } from 'node:events';
import { access } from 'node:fs/promises';
import type { KioskError } from '../../contract/errors.ts';
import type { SlotChange } from '../ccid/message.ts';
import { kioskError, toKioskError } from '../kiosk-errors.ts';
import type { PinCheck } from '../sscard/verify-pin.ts';
import type { SocialSecurityCard } from '../sscard/social-security-card.ts';
import { DEFAULT_READER_HID, type HidDeviceOpener } from '../transport/hid-device.ts';
import { loadNodeHidOpener } from '../transport/node-hid-opener.ts';
import { hidReaderId, openHidCardReader, openSerialCardReader, serialReaderId, type CardReader, type LinkKind } from './card-reader.ts';

export interface ReaderInfo {
  readerId: string;
  name: string;
  link: LinkKind;
}

export interface ReaderManagerEvents {
  'reader-attached': [ReaderInfo];
  'reader-detached': [{ readerId: string }];
  'card-inserted': [{ readerId: string }];
  'card-removed': [{ readerId: string }];
  'card-read': [{ readerId: string; card: SocialSecurityCard }];
  'card-error': [{ readerId: string; error: KioskError }];
}

export interface ReaderManagerOptions {
  /** Serial ports to use, or 'auto': every port SerialPort.list() reports, probed with Escape 02. false: none. */
  serial?: 'auto' | string[] | false;
  /** HID readers by vendor/product id (default 0x1209/0x0001), or false. */
  hid?: { vid: number; pid: number } | false;
  /** Hot-plug and card-presence polling period (default 1000 ms). */
  pollIntervalMs?: number;
  /** Finds and opens HID devices; default node-hid, loaded lazily. Tests inject the virtual reader's opener. */
  hidOpener?: HidDeviceOpener;
  /**
   * Ports of other devices, never probed: the ID card reader's (readers.idcard). An Escape 02 written into it
   * would be noise on its line, and a probe holding the port open would collide with an ID card read.
   */
  excludeSerial?: string[];
  /** Lists serial port paths for 'auto'; default SerialPort.list(). */
  listSerialPorts?: () => Promise<string[]>;
  /** Start a read when a card is inserted (default true). */
  readOnInsert?: boolean;
  /** Diagnostics (probe failures, detaches); personal data never passes through here. */
  log?: (level: 'info' | 'warn', message: string) => void;
}

export interface ReaderManager extends EventEmitter<ReaderManagerEvents> {
  /** Starts discovery (now, then every poll interval). */
  start(): Promise<void>;
  /** Stops polling and closes every reader. */
  stop(): Promise<void>;
  readers(): ReaderInfo[];
  /** Reads the card in the given reader (or the first reader holding a card); joins a read already running. */
  readCard(readerId?: string): Promise<SocialSecurityCard>;
  /** VERIFY of the PIN of the card in a reader (the first holding one), after any read of it ends. CARD_ABSENT when none holds a card. */
  verifyPin(pin: string): Promise<PinCheck>;
}

export function createReaderManager(options: ReaderManagerOptions = {}): ReaderManager {
  return new DefaultReaderManager(options);
}

/** Consecutive failed GetSlotStatus polls after which a silent reader counts as gone. */
const MAX_POLL_FAILURES = 2;
/** A port that did not answer the probe is tried again after this long (or when it reappears). */
const REPROBE_AFTER_MS = 30_000;

interface Attached {
  info: ReaderInfo;
  reader: CardReader;
  /** The path the discovery knows it by (serial path or HID device path). */
  path: string;
  cardPresent: boolean;
  /** Whether a NotifySlotChange has already told us about the card we believe present (else a poll did). */
  presenceNotified: boolean;
  reading: Promise<SocialSecurityCard> | null;
  /** The card left during the current read (a later failure is then CARD_REMOVED). */
  removedDuringRead: boolean;
  /** A new card came while a read was running: read again when it ends. */
  readAgain: boolean;
  pollFailures: number;
  polling: boolean;
  /** Cards seen arriving so far: a removal confirmed after a newer arrival is about an earlier card. */
  arrivals: number;
  /** A removal notification is being confirmed: a "present" notification now is a new card, not noise. */
  removalPending: boolean;
}

/**
 * Discovers readers (serial ports probed with Escape 02, HID devices by vid/pid), follows them by polling,
 * enables NotifySlotChange and also polls GetSlotStatus (for readers that refuse notifications, and as a
 * heartbeat), and reads a card as soon as it is inserted.
 */
class DefaultReaderManager extends EventEmitter<ReaderManagerEvents> implements ReaderManager {
  private readonly attached = new Map<string, Attached>();
  private readonly connecting = new Set<string>();
  private readonly rejected = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private scanning: Promise<void> | null = null;
  private running = false;
  private hidOpener: HidDeviceOpener | null;
  private hidUnavailable = false;
  private readonly pollIntervalMs: number;

  constructor(private readonly options: ReaderManagerOptions) {
    super();
    this.hidOpener = options.hidOpener ?? null;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.pollIntervalMs);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.scanning?.catch(() => undefined);
    const readers = [...this.attached.values()];
    this.attached.clear();
    await Promise.all(readers.map((r) => r.reader.close().catch(() => undefined)));
  }

  readers(): ReaderInfo[] {
    return [...this.attached.values()].map((r) => ({ ...r.info }));
  }

  readCard(readerId?: string): Promise<SocialSecurityCard> {
    let target: Attached | undefined;
    if (readerId !== undefined) {
      target = this.attached.get(readerId);
      if (!target) return Promise.reject(kioskError('READER_NOT_FOUND'));
    } else {
      const all = [...this.attached.values()];
      if (all.length === 0) return Promise.reject(kioskError('READER_NOT_FOUND'));
      target = all.find((r) => r.cardPresent);
      if (!target) return Promise.reject(kioskError('CARD_ABSENT'));
    }
    return this.startRead(target);
  }

  // ————— discovery —————

  private tick(): Promise<void> {
    if (!this.running) return Promise.resolve();
    if (!this.scanning) {
      this.scanning = this.scan()
        .catch((err: unknown) => this.log('warn', `reader scan failed: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => {
          this.scanning = null;
        });
    }
    for (const r of this.attached.values()) void this.poll(r);
    return this.scanning;
  }

  private async scan(): Promise<void> {
    const work: Promise<void>[] = [];
    const serialPaths = await this.serialCandidates();
    const seen = new Set(serialPaths.map(serialReaderId));
    for (const path of serialPaths) {
      const id = serialReaderId(path);
      if (this.attached.has(id) || this.connecting.has(id) || this.isRejected(id)) continue;
      work.push(this.connect(id, path, () => openSerialCardReader(path)));
    }
    const hid = await this.hidCandidates();
    for (const path of hid.paths) {
      const id = hidReaderId(path);
      seen.add(id);
      if (this.attached.has(id) || this.connecting.has(id) || this.isRejected(id)) continue;
      const opener = hid.opener as HidDeviceOpener;
      work.push(this.connect(id, path, () => openHidCardReader(opener, path)));
    }
    // A port that went away and comes back deserves a fresh probe.
    for (const id of this.rejected.keys()) if (!seen.has(id)) this.rejected.delete(id);
    await Promise.all(work);
  }

  private async serialCandidates(): Promise<string[]> {
    const serial = this.options.serial ?? 'auto';
    if (serial === false) return [];
    if (serial === 'auto') {
      const list = this.options.listSerialPorts ?? (async () => (await (await import('serialport')).SerialPort.list()).map((p) => p.path));
      return (await list()).filter((p) => !this.options.excludeSerial?.includes(p));
    }
    const present = await Promise.all(serial.map((p) => access(p).then(() => true, () => false)));
    return serial.filter((p, i) => present[i] && !this.options.excludeSerial?.includes(p));
  }

  private async hidCandidates(): Promise<{ opener: HidDeviceOpener | null; paths: string[] }> {
    const ids = this.options.hid === undefined ? { vid: DEFAULT_READER_HID.vendorId, pid: DEFAULT_READER_HID.productId } : this.options.hid;
    if (ids === false || this.hidUnavailable) return { opener: null, paths: [] };
    if (!this.hidOpener) {
      try {
        this.hidOpener = await loadNodeHidOpener();
      } catch (err) {
        this.hidUnavailable = true;
        this.log('warn', err instanceof Error ? err.message : String(err));
        return { opener: null, paths: [] };
      }
    }
    const devices = await this.hidOpener.list(ids.vid, ids.pid);
    return { opener: this.hidOpener, paths: devices.map((d) => d.path) };
  }

  private isRejected(id: string): boolean {
    const at = this.rejected.get(id);
    return at !== undefined && Date.now() - at < REPROBE_AFTER_MS;
  }

  private async connect(id: string, path: string, open: () => Promise<CardReader>): Promise<void> {
    this.connecting.add(id);
    let reader: CardReader | null = null;
    try {
      reader = await open();
      const notifications = await reader.enableNotifications();
      const entry: Attached = {
        info: { readerId: id, name: reader.name, link: reader.link },
        reader,
        path,
        cardPresent: false,
        presenceNotified: false,
        reading: null,
        removedDuringRead: false,
        readAgain: false,
        pollFailures: 0,
        polling: false,
        arrivals: 0,
        removalPending: false,
      };
      reader.onSlotChange((change) => this.slotChanged(entry, change));
      reader.onClose((error) => this.detach(entry, error));
      if (!reader.isOpen || !this.running) throw new Error('reader went away while attaching');
      const present = await reader.cardPresent();
      this.attached.set(id, entry);
      this.rejected.delete(id);
      this.log('info', `reader attached: ${entry.info.name} on ${id}${notifications ? '' : ' (no notifications: polling)'}`);
      this.emit('reader-attached', { ...entry.info });
      if (present) this.cardArrived(entry);
    } catch (err) {
      this.rejected.set(id, Date.now());
      await reader?.close().catch(() => undefined);
      this.log('info', `no reader on ${id}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.connecting.delete(id);
    }
  }

  private detach(entry: Attached, error?: Error): void {
    if (this.attached.get(entry.info.readerId) !== entry) return;
    this.attached.delete(entry.info.readerId);
    this.log('warn', `reader detached: ${entry.info.readerId}${error ? ` (${error.message})` : ''}`);
    if (entry.cardPresent) {
      entry.cardPresent = false;
      this.emit('card-removed', { readerId: entry.info.readerId });
    }
    this.emit('reader-detached', { readerId: entry.info.readerId });
    void entry.reader.close().catch(() => undefined);
  }

  // ————— card presence —————

  private slotChanged(entry: Attached, change: SlotChange): void {
    const slot = change.slots[0];
    if (!slot || this.attached.get(entry.info.readerId) !== entry) return;
    if (!slot.present) {
      if (entry.cardPresent) void this.confirmRemoval(entry);
      return;
    }
    if (!entry.cardPresent) {
      this.cardArrived(entry);
      entry.presenceNotified = true;
    } else if (entry.removalPending || (slot.changed && entry.presenceNotified)) {
      // Test bits: "present, changed" after the insertion was already notified is a removal and an insertion
      // folded into one message (the card was swapped between two notifications); "present" while a removal
      // is being confirmed is the next card.
      this.cardLeft(entry);
      this.cardArrived(entry);
      entry.presenceNotified = true;
    } else {
      // The notification of an insertion a GetSlotStatus poll saw first, or a report without a change.
      entry.presenceNotified = true;
    }
  }

  private async poll(entry: Attached): Promise<void> {
    if (entry.polling || entry.reading || !entry.reader.isOpen) return;
    entry.polling = true;
    try {
      const present = await entry.reader.cardPresent();
      entry.pollFailures = 0;
      if (this.attached.get(entry.info.readerId) !== entry || entry.reading) return;
      if (present && !entry.cardPresent) this.cardArrived(entry);
      else if (!present && entry.cardPresent) this.cardLeft(entry);
    } catch (err) {
      entry.pollFailures++;
      if (entry.pollFailures >= MAX_POLL_FAILURES) this.detach(entry, err instanceof Error ? err : new Error(String(err)));
    } finally {
      entry.polling = false;
    }
  }

  /**
   * A removal notification is one message on a serial line: noise that happens to pass as one must not tell the
   * patient the card is gone while it sits in the reader. The slot is asked again (GetSlotStatus, queued behind
   * any command in flight) before the removal is reported; a reader that cannot answer is taken at its word.
   */
  private async confirmRemoval(entry: Attached): Promise<void> {
    const arrivals = entry.arrivals;
    entry.removalPending = true;
    const present = await entry.reader.cardPresent().catch(() => false);
    entry.removalPending = false;
    if (this.attached.get(entry.info.readerId) !== entry || !entry.cardPresent) return;
    // A card that arrived while the slot was being asked (out and in again, the swap already reported) is not
    // the card this notification was about: removing it now would fail its read as 卡被拔出.
    if (entry.arrivals !== arrivals) return;
    if (present) {
      this.log('warn', `removal notification on ${entry.info.readerId} not confirmed by the slot status (line noise?): the card is still in`);
      return;
    }
    this.cardLeft(entry);
  }

  private cardArrived(entry: Attached): void {
    entry.cardPresent = true;
    entry.arrivals++;
    entry.presenceNotified = false;
    this.emit('card-inserted', { readerId: entry.info.readerId });
    if (this.options.readOnInsert === false) return;
    if (entry.reading) entry.readAgain = true;
    else this.startRead(entry).catch(() => undefined);
  }

  private cardLeft(entry: Attached): void {
    entry.cardPresent = false;
    entry.readAgain = false;
    if (entry.reading) entry.removedDuringRead = true;
    this.emit('card-removed', { readerId: entry.info.readerId });
  }

  // ————— reading —————

  async verifyPin(pin: string): Promise<PinCheck> {
    const entry = [...this.attached.values()].find((e) => e.cardPresent);
    if (!entry) throw kioskError('CARD_ABSENT', new Error('no reader holds a card'));
    // One exchange at a time on a reader: a read of this card (its insertion) finishes first.
    await entry.reading?.catch(() => undefined);
    return entry.reader.verifyPin(pin);
  }

  private startRead(entry: Attached): Promise<SocialSecurityCard> {
    if (entry.reading) return entry.reading;
    entry.removedDuringRead = false;
    const readerId = entry.info.readerId;
    const read = (async () => {
      try {
        const { card } = await entry.reader.read();
        this.emit('card-read', { readerId, card });
        return card;
      } catch (err) {
        let error = toKioskError(err);
        if (entry.removedDuringRead && error.code !== 'CARD_REMOVED' && error.code !== 'READER_LINK_ERROR') error = kioskError('CARD_REMOVED', error);
        // "Removed" is only said when the slot agrees: a garbled answer mid-read is a failed read, to try again.
        if (error.code === 'CARD_REMOVED' && (await entry.reader.cardPresent().catch(() => false))) error = kioskError('CARD_READ_FAILED', error);
        this.emit('card-error', { readerId, error });
        throw error;
      }
    })();
    entry.reading = read;
    const done = () => {
      entry.reading = null;
      if (entry.readAgain && entry.cardPresent && this.attached.get(readerId) === entry) {
        entry.readAgain = false;
        this.startRead(entry).catch(() => undefined);
      }
    };
    read.then(done, done);
    return read;
  }

  private log(level: 'info' | 'warn', message: string): void {
    this.options.log?.(level, message);
  }
}

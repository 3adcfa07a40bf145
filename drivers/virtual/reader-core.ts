import { EventEmitter } from 'node:events';
import {
  CCID_ERROR,
  COMMAND_STATUS,
  ICC_STATUS,
  RDR_TO_PC,
  RESPONSE_TYPE,
  SLOT_CARD,
  SLOT_PSAM,
  decodeHostCommand,
  encodeMessage,
  encodeNotifySlotChange,
  encodeSlotState,
  statusByte,
  type ReceivedHostCommand,
} from '../ccid/message.ts';
import { parseCommandApdu } from '../iso7816/apdu.ts';
import { refusedAtHeader, type VirtualIcc } from './apdu-responses.ts';
import type { CardCatalog } from './fixtures.ts';
import { runAt, type PreciseTimer } from './precise-timer.ts';
import { TEST_MASTER_KEY } from './psam-crypto.ts';
import { apduCardMs, cardLineBytes, coldResetMs, linkMs, type LinkKind } from './timing-model.ts';
import { VirtualSocialSecurityCard } from './virtual-card.ts';
import { VirtualPsam } from './virtual-psam.ts';

/** A card that does not answer its reset: the reader gives up after the ATR window. */
const MUTE_RESET_MS = 20;
/** A card that does not answer an APDU: the reader gives up after the work waiting time (WWT ≈ 1 s at WI 10). */
const MUTE_APDU_MS = 1000;
/** A slow card: the reader sends a time extension for every second the host would otherwise wait. */
const TIME_EXTENSION_EVERY_MS = 1000;

export interface ReaderIdentityFields {
  vendor: string;
  model: string;
  firmware: string;
  serial: string;
}

export interface VirtualReaderCoreOptions {
  catalog: CardCatalog;
  link: LinkKind;
  identity?: Partial<ReaderIdentityFields>;
  /** PSAM fitted in slot 1 (default true). */
  psam?: boolean;
  masterKey?: Uint8Array;
  /** 1 = the timing model of reader-link.md §4 (default); 0 = answer at once (unit tests of behaviour only). */
  timeScale?: number;
}

export interface VirtualReaderFaults {
  /** The next APDU to the card fails as if the card were pulled during it. */
  pullMidApdu: boolean;
  /** Extra card processing per APDU, in ms; over 1 s the reader sends time extensions. */
  slowCardMs: number;
  /** How many more APDUs are slowed (null: every one until slowCardMs is set back to 0). */
  slowCardApdus: number | null;
  /** Send a NotifySlotChange (current state) between every command and its answer. */
  interleaveNotifications: boolean;
}

export interface VirtualReaderStats {
  commands: number;
  apdus: number;
  busyRejections: number;
  timeExtensionsSent: number;
  notificationsSent: number;
  undecodable: number;
  /** Messages put on the host link, and how late (ms) they went out against the model's deadline in total. */
  delivered: number;
  lateMsTotal: number;
}

export interface VirtualReaderState {
  link: LinkKind;
  plugged: boolean;
  notificationsEnabled: boolean;
  identity: string;
  card: { id: string; label: string; powered: boolean; muted: boolean } | null;
  psam: { present: boolean; powered: boolean };
  faults: VirtualReaderFaults;
  stats: VirtualReaderStats;
}

interface Busy {
  command: ReceivedHostCommand;
  timers: PreciseTimer[];
}

export interface VirtualReaderCoreEvents {
  unplugged: [];
  replugged: [];
}

/**
 * The reader of reader-link.md, independent of the link: CCID commands in, responses and NotifySlotChange out,
 * delayed by the §4 timing model (host-link time in, card time, host-link time out). One command at a time;
 * notifications only after Escape 01 01; a 社保卡 in slot 0 and the PSAM in slot 1. The endpoints (serial,
 * HID) feed it decoded messages and deliver what it emits; the control API drives its faults.
 */
export class VirtualReaderCore extends EventEmitter<VirtualReaderCoreEvents> {
  readonly link: LinkKind;
  readonly stats: VirtualReaderStats = { commands: 0, apdus: 0, busyRejections: 0, timeExtensionsSent: 0, notificationsSent: 0, undecodable: 0, delivered: 0, lateMsTotal: 0 };
  readonly faults: VirtualReaderFaults = { pullMidApdu: false, slowCardMs: 0, slowCardApdus: null, interleaveNotifications: false };
  private readonly catalog: CardCatalog;
  private readonly identity: ReaderIdentityFields;
  private readonly masterKey: Uint8Array;
  readonly timeScale: number;
  private deliverToHost: (message: Uint8Array) => void = () => {};
  private plugged = true;
  private notificationsEnabled = false;
  private card: { id: string; icc: VirtualSocialSecurityCard; powered: boolean; muted: boolean } | null = null;
  private psam: { icc: VirtualPsam; powered: boolean } | null;
  private busy: Busy | null = null;
  /** When the reader→host line is free again: messages go out one after the other. */
  private wireFreeAt = 0;
  private readonly timers = new Set<PreciseTimer>();

  constructor(options: VirtualReaderCoreOptions) {
    super();
    this.catalog = options.catalog;
    this.link = options.link;
    this.masterKey = options.masterKey ?? TEST_MASTER_KEY;
    this.timeScale = options.timeScale ?? 1;
    this.identity = { vendor: 'KIOSK', model: `VR-CCID-${options.link.toUpperCase()}`, firmware: '1.0.0', serial: 'VR0001', ...options.identity };
    this.psam = options.psam === false ? null : { icc: new VirtualPsam(this.masterKey), powered: false };
  }

  /** The endpoint's way to put a message on the host link (framed or split into reports by it). */
  connect(deliver: (message: Uint8Array) => void): void {
    this.deliverToHost = deliver;
  }

  // ————— host side —————

  /** A complete host message has just arrived over the link. */
  handle(message: Uint8Array): void {
    if (!this.plugged) return;
    const arrival = performance.now();
    const decoded = decodeHostCommand(message);
    if (!decoded.ok) {
      this.stats.undecodable++;
      return;
    }
    const command = decoded.value;
    this.stats.commands++;
    const start = arrival + this.scaled(linkMs(this.link, message));
    if (this.busy) {
      this.stats.busyRejections++;
      this.send(this.failure(command, CCID_ERROR.CMD_SLOT_BUSY), start);
      return;
    }
    if (command.type === null) {
      this.send(encodeMessage(RDR_TO_PC.SlotStatus, command.slot, command.seq, [statusByte(this.iccStatus(command.slot), COMMAND_STATUS.failed), CCID_ERROR.CMD_NOT_SUPPORTED, 0]), start);
      return;
    }
    if (command.slot > SLOT_PSAM) {
      this.send(this.failure(command, CCID_ERROR.BAD_SLOT), start);
      return;
    }
    const busy: Busy = { command, timers: [] };
    this.busy = busy;
    if (this.faults.interleaveNotifications) this.notify(false, start);
    switch (command.type) {
      case 'IccPowerOn':
        return this.powerOn(busy, start);
      case 'IccPowerOff':
        this.setPowered(command.slot, false);
        return this.finish(busy, this.slotStatus(command), start);
      case 'GetSlotStatus':
        return this.finish(busy, this.slotStatus(command), start);
      case 'XfrBlock':
        return this.xfrBlock(busy, start);
      case 'Escape':
        return this.escape(busy, start);
    }
  }

  private powerOn(busy: Busy, start: number): void {
    const { command } = busy;
    const icc = this.icc(command.slot);
    if (!icc) return this.finish(busy, this.failure(command, CCID_ERROR.ICC_MUTE), start);
    if (command.slot === SLOT_CARD && this.card?.muted) return this.finish(busy, this.failure(command, CCID_ERROR.ICC_MUTE), start + this.scaled(MUTE_RESET_MS));
    const atr = icc.atr;
    const ready = start + this.scaled(coldResetMs(atr.length));
    // The reader checks TS itself (ISO 7816-3 §8.1): anything but 3B/3F is a damaged or absent answer.
    if (atr[0] !== 0x3b && atr[0] !== 0x3f) {
      this.setPowered(command.slot, false);
      return this.finish(busy, this.failure(command, CCID_ERROR.BAD_ATR_TS), ready);
    }
    icc.reset();
    this.setPowered(command.slot, true);
    this.finish(busy, this.dataBlock(command, atr), ready);
  }

  private xfrBlock(busy: Busy, start: number): void {
    const { command } = busy;
    const icc = this.icc(command.slot);
    if (!icc) return this.finish(busy, this.failure(command, CCID_ERROR.ICC_MUTE), start);
    if (!this.isPowered(command.slot)) return this.finish(busy, this.failure(command, CCID_ERROR.ICC_MUTE), start);
    this.stats.apdus++;
    if (command.slot === SLOT_CARD && this.card?.muted) return this.finish(busy, this.failure(command, CCID_ERROR.ICC_MUTE), start + this.scaled(MUTE_APDU_MS));
    const response = icc.process(command.data);
    const parsed = parseCommandApdu(command.data);
    const status = response.length >= 2 ? ((response[response.length - 2] as number) << 8) | (response[response.length - 1] as number) : 0;
    const lineBytes = parsed.ok
      ? cardLineBytes({ case: parsed.value.case, lc: parsed.value.data.length }, { dataLength: response.length - 2, headerRefused: refusedAtHeader(status) })
      : 5 + 2;
    const cardMs = apduCardMs(lineBytes) + (command.slot === SLOT_CARD ? this.slowness() : 0);
    const ready = start + this.scaled(cardMs);
    for (let t = TIME_EXTENSION_EVERY_MS; t < cardMs; t += TIME_EXTENSION_EVERY_MS) {
      const ext = encodeMessage(RDR_TO_PC.DataBlock, command.slot, command.seq, [statusByte(this.iccStatus(command.slot), COMMAND_STATUS.timeExtension), 1, 0]);
      this.send(ext, start + this.scaled(t), busy, () => this.stats.timeExtensionsSent++);
    }
    if (command.slot === SLOT_CARD && this.faults.pullMidApdu) {
      this.faults.pullMidApdu = false;
      // The card leaves the contacts half-way through the exchange: the answer never comes.
      this.later(start + this.scaled(cardMs / 2), busy, () => this.remove());
      return;
    }
    this.finish(busy, this.dataBlock(command, response), ready);
  }

  private escape(busy: Busy, start: number): void {
    const { command } = busy;
    const d = command.data;
    let answer: Uint8Array;
    if (d.length === 1 && d[0] === 0x02) {
      const id = this.identityString();
      answer = this.escapeAnswer(command, Uint8Array.from(id, (c) => c.charCodeAt(0)));
    } else if (d.length === 2 && d[0] === 0x01 && (d[1] === 0x01 || d[1] === 0x00)) {
      this.notificationsEnabled = d[1] === 0x01;
      answer = this.escapeAnswer(command, new Uint8Array(0));
    } else {
      answer = this.failure(command, CCID_ERROR.CMD_NOT_SUPPORTED);
    }
    this.finish(busy, answer, start);
  }

  private slowness(): number {
    const f = this.faults;
    if (f.slowCardMs <= 0 || f.slowCardApdus === 0) return 0;
    if (f.slowCardApdus !== null) f.slowCardApdus--;
    return f.slowCardMs;
  }

  // ————— physical world (control API) —————

  insert(cardId: string): void {
    const definition = this.catalog.get(cardId);
    if (!definition) throw new VirtualReaderError('unknown-card', `no card "${cardId}" in the fixtures`);
    if (this.card) throw new VirtualReaderError('slot-occupied', `a card (${this.card.id}) is already in the reader; remove it first`);
    this.card = { id: cardId, icc: new VirtualSocialSecurityCard(definition, this.masterKey), powered: false, muted: false };
    if (this.plugged) this.notify(true, performance.now());
  }

  /** The card leaves the reader; a command in progress on it fails as it would on a real reader. */
  remove(): void {
    if (!this.card) return;
    this.card = null;
    if (!this.plugged) return;
    const now = performance.now();
    const busy = this.busy;
    const interrupted = busy !== null && busy.command.slot === SLOT_CARD && (busy.command.type === 'XfrBlock' || busy.command.type === 'IccPowerOn');
    if (interrupted) this.cancel(busy);
    this.notify(true, now);
    if (interrupted) this.finish(busy, this.failure(busy.command, CCID_ERROR.ICC_MUTE), now);
  }

  mute(muted: boolean): void {
    if (!this.card) throw new VirtualReaderError('no-card', 'no card in the reader');
    this.card.muted = muted;
  }

  setPsam(present: boolean): void {
    if (present === (this.psam !== null)) return;
    this.psam = present ? { icc: new VirtualPsam(this.masterKey), powered: false } : null;
    if (this.plugged) this.notify(true, performance.now(), SLOT_PSAM);
  }

  /** Power lost: everything in flight is dropped, notifications go back to disabled. */
  unplug(): void {
    if (!this.plugged) return;
    this.plugged = false;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    this.busy = null;
    this.notificationsEnabled = false;
    if (this.card) this.card.powered = false;
    if (this.psam) this.psam.powered = false;
    this.wireFreeAt = 0;
    this.emit('unplugged');
  }

  replug(): void {
    if (this.plugged) return;
    this.plugged = true;
    this.emit('replugged');
  }

  get isPlugged(): boolean {
    return this.plugged;
  }

  state(): VirtualReaderState {
    return {
      link: this.link,
      plugged: this.plugged,
      notificationsEnabled: this.notificationsEnabled,
      identity: this.identityString(),
      card: this.card ? { id: this.card.id, label: this.card.icc.definition.label, powered: this.card.powered, muted: this.card.muted } : null,
      psam: { present: this.psam !== null, powered: this.psam?.powered ?? false },
      faults: { ...this.faults },
      stats: { ...this.stats },
    };
  }

  /** Stops every timer (process shutdown). */
  dispose(): void {
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    this.busy = null;
  }

  // ————— helpers —————

  private identityString(): string {
    const i = this.identity;
    return `${i.vendor}|${i.model}|${i.firmware}|${i.serial}`;
  }

  private scaled(ms: number): number {
    return ms * this.timeScale;
  }

  private icc(slot: number): VirtualIcc | null {
    if (slot === SLOT_CARD) return this.card?.icc ?? null;
    if (slot === SLOT_PSAM) return this.psam?.icc ?? null;
    return null;
  }

  private isPowered(slot: number): boolean {
    return slot === SLOT_CARD ? (this.card?.powered ?? false) : (this.psam?.powered ?? false);
  }

  private setPowered(slot: number, powered: boolean): void {
    if (slot === SLOT_CARD && this.card) this.card.powered = powered;
    if (slot === SLOT_PSAM && this.psam) this.psam.powered = powered;
  }

  private iccStatus(slot: number): number {
    if (slot === SLOT_CARD) return this.card ? (this.card.powered ? ICC_STATUS.presentActive : ICC_STATUS.presentInactive) : ICC_STATUS.absent;
    if (slot === SLOT_PSAM) return this.psam ? (this.psam.powered ? ICC_STATUS.presentActive : ICC_STATUS.presentInactive) : ICC_STATUS.absent;
    return ICC_STATUS.absent;
  }

  private dataBlock(command: ReceivedHostCommand, data: Uint8Array): Uint8Array {
    return encodeMessage(RDR_TO_PC.DataBlock, command.slot, command.seq, [statusByte(this.iccStatus(command.slot), COMMAND_STATUS.processed), 0, 0], data);
  }

  private slotStatus(command: ReceivedHostCommand): Uint8Array {
    const icc = this.iccStatus(command.slot);
    // bClockStatus: 0 running, 3 stopped in an unknown state.
    return encodeMessage(RDR_TO_PC.SlotStatus, command.slot, command.seq, [statusByte(icc, COMMAND_STATUS.processed), 0, icc === ICC_STATUS.presentActive ? 0 : 3]);
  }

  private escapeAnswer(command: ReceivedHostCommand, data: Uint8Array): Uint8Array {
    return encodeMessage(RDR_TO_PC.Escape, command.slot, command.seq, [statusByte(this.iccStatus(command.slot), COMMAND_STATUS.processed), 0, 0], data);
  }

  /** A failed answer of the type the command expects (SlotStatus for an unknown command). */
  private failure(command: ReceivedHostCommand, bError: number): Uint8Array {
    const type = command.type ? RESPONSE_TYPE[command.type] : RDR_TO_PC.SlotStatus;
    return encodeMessage(type, command.slot, command.seq, [statusByte(this.iccStatus(command.slot), COMMAND_STATUS.failed), bError, 0]);
  }

  private notify(changed: boolean, ready: number, changedSlot = SLOT_CARD): void {
    if (!this.notificationsEnabled) return;
    const state = encodeSlotState([
      { present: this.card !== null, changed: changed && changedSlot === SLOT_CARD },
      { present: this.psam !== null, changed: changed && changedSlot === SLOT_PSAM },
    ]);
    this.send(encodeNotifySlotChange(state), ready, null, () => this.stats.notificationsSent++);
  }

  /** Sends the final answer of the busy command; the reader takes the next command once it is out. */
  private finish(busy: Busy, answer: Uint8Array, ready: number): void {
    this.send(answer, ready, busy, () => {
      if (this.busy === busy) this.busy = null;
    });
  }

  /**
   * Puts a message on the reader→host line once it is ready, after its own link time. The line carries one
   * message at a time: when another one was still going out at `ready`, this one follows it.
   */
  private send(message: Uint8Array, ready: number, busy: Busy | null = null, onSent?: () => void): void {
    const cost = this.scaled(linkMs(this.link, message));
    const deliver = (at: number) => {
      this.wireFreeAt = at;
      this.stats.delivered++;
      this.stats.lateMsTotal += Math.max(0, performance.now() - at);
      onSent?.();
      this.deliverToHost(message);
    };
    this.later(ready + cost, busy, () => {
      if (this.wireFreeAt <= ready) return deliver(ready + cost);
      const at = this.wireFreeAt + cost;
      this.later(at, busy, () => deliver(at));
    });
  }

  private later(deadline: number, busy: Busy | null, fn: () => void): void {
    const timer = runAt(deadline, () => {
      this.timers.delete(timer);
      fn();
    });
    this.timers.add(timer);
    busy?.timers.push(timer);
  }

  private cancel(busy: Busy): void {
    for (const t of busy.timers) {
      t.cancel();
      this.timers.delete(t);
    }
    busy.timers.length = 0;
  }
}

export type VirtualReaderErrorKind = 'unknown-card' | 'slot-occupied' | 'no-card' | 'unplugged' | 'bad-request';

export class VirtualReaderError extends Error {
  constructor(
    readonly kind: VirtualReaderErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'VirtualReaderError';
  }
}

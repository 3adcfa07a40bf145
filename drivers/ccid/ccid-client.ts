import { LinkError, type MessageLink } from '../link/message-link.ts';
import { CcidSlotError } from './ccid-errors.ts';
import {
  COMMAND_STATUS,
  ESCAPE,
  PC_TO_RDR,
  RESPONSE_TYPE,
  decodeReaderMessage,
  encodeMessage,
  type HostCommandType,
  type IccStatus,
  type ReaderResponse,
  type SlotChange,
} from './message.ts';

/** A host command is answered within 2 s, or by a time extension that restarts the wait (§2). */
export const RESPONSE_TIMEOUT_MS = 2000;

export interface CcidClientStats {
  commands: number;
  /** Responses whose bSeq, type or slot did not match the outstanding command (stale resends, late answers). */
  discarded: number;
  timeExtensions: number;
  notifications: number;
  undecodable: number;
}

interface Pending {
  type: HostCommandType;
  slot: number;
  seq: number;
  resolve: (response: ReaderResponse) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | null;
}

/**
 * CCID command layer over a message link: one outstanding command at a time, bSeq incremented per command and
 * matched on the answer, time extensions honoured, NotifySlotChange accepted at any moment (also between a
 * command and its answer), failures turned into CcidSlotError / LinkError.
 */
export class CcidClient {
  readonly stats: CcidClientStats = { commands: 0, discarded: 0, timeExtensions: 0, notifications: 0, undecodable: 0 };
  private nextSeq = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private pending: Pending | null = null;
  private closedError: Error | null = null;
  private readonly slotListeners = new Set<(change: SlotChange) => void>();
  private readonly closeListeners = new Set<(error?: Error) => void>();

  constructor(
    readonly link: MessageLink,
    private readonly responseTimeoutMs = RESPONSE_TIMEOUT_MS,
  ) {
    link.onMessage((m) => this.receive(m));
    link.onError((error) => this.failPending(error));
    link.onClose((error) => {
      this.closedError = new LinkError('closed', `reader link ${link.description} closed${error ? `: ${error.message}` : ''}`, { cause: error });
      this.failPending(this.closedError);
      for (const l of this.closeListeners) l(error);
    });
  }

  get isOpen(): boolean {
    return this.closedError === null && this.link.isOpen;
  }

  onSlotChange(listener: (change: SlotChange) => void): () => void {
    this.slotListeners.add(listener);
    return () => this.slotListeners.delete(listener);
  }

  onClose(listener: (error?: Error) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Cold reset; returns the ATR. */
  async powerOn(slot: number): Promise<Uint8Array> {
    return (await this.command('IccPowerOn', slot, new Uint8Array(0))).data;
  }

  async powerOff(slot: number): Promise<IccStatus> {
    return (await this.command('IccPowerOff', slot, new Uint8Array(0))).iccStatus;
  }

  async getSlotStatus(slot: number): Promise<IccStatus> {
    return (await this.command('GetSlotStatus', slot, new Uint8Array(0))).iccStatus;
  }

  /** Sends one command APDU in XfrBlock; returns the response APDU including SW1 SW2. */
  async transmit(slot: number, apdu: Uint8Array): Promise<Uint8Array> {
    return (await this.command('XfrBlock', slot, apdu)).data;
  }

  async escape(data: Uint8Array): Promise<Uint8Array> {
    return (await this.command('Escape', 0, data)).data;
  }

  /** Escape 02: `VENDOR|MODEL|FIRMWARE|SERIAL`. */
  async identity(): Promise<ReaderIdentity> {
    return parseIdentity(await this.escape(ESCAPE.identity));
  }

  /** Closes the link once the commands already queued (a read's power-off) have had their answer. */
  async close(): Promise<void> {
    await this.queue;
    return this.link.close();
  }

  private command(type: HostCommandType, slot: number, data: Uint8Array): Promise<ReaderResponse> {
    const run = () =>
      new Promise<ReaderResponse>((resolve, reject) => {
        if (this.closedError) return reject(this.closedError);
        const seq = this.nextSeq;
        this.nextSeq = (this.nextSeq + 1) & 0xff;
        const pending: Pending = { type, slot, seq, resolve, reject, timer: null };
        this.pending = pending;
        this.stats.commands++;
        this.arm(pending, this.responseTimeoutMs);
        this.link.send(encodeMessage(PC_TO_RDR[type], slot, seq, [0, 0, 0], data)).catch((err: unknown) => {
          if (this.pending === pending) this.failPending(err instanceof Error ? err : new LinkError('write-failed', String(err)));
        });
      });
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private arm(pending: Pending, ms: number): void {
    if (pending.timer) clearTimeout(pending.timer);
    pending.timer = setTimeout(() => {
      if (this.pending !== pending) return;
      this.pending = null;
      pending.reject(new LinkError('timeout', `reader on ${this.link.description} did not answer ${pending.type} within ${ms} ms`));
    }, ms);
  }

  private failPending(error: Error): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    if (pending.timer) clearTimeout(pending.timer);
    pending.reject(error);
  }

  private receive(m: Uint8Array): void {
    const result = decodeReaderMessage(m);
    if (!result.ok) {
      this.stats.undecodable++;
      return;
    }
    const message = result.value;
    if (message.kind === 'slot-change') {
      this.stats.notifications++;
      for (const l of this.slotListeners) l(message);
      return;
    }
    const pending = this.pending;
    if (!pending || message.seq !== pending.seq || message.messageType !== RESPONSE_TYPE[pending.type] || message.slot !== pending.slot) {
      this.stats.discarded++;
      return;
    }
    if (message.commandStatus === COMMAND_STATUS.timeExtension) {
      this.stats.timeExtensions++;
      this.arm(pending, this.responseTimeoutMs * Math.max(1, message.error));
      return;
    }
    this.pending = null;
    if (pending.timer) clearTimeout(pending.timer);
    if (message.commandStatus === COMMAND_STATUS.failed) pending.reject(new CcidSlotError(pending.type, pending.slot, message.error, message.iccStatus));
    else pending.resolve(message);
  }
}

export interface ReaderIdentity {
  vendor: string;
  model: string;
  firmware: string;
  serial: string;
  raw: string;
}

/** Parses the Escape 02 answer; tolerant of missing fields (a reader built elsewhere may send fewer). */
export function parseIdentity(data: Uint8Array): ReaderIdentity {
  let raw = '';
  for (const b of data) raw += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '?';
  const [vendor = '', model = '', firmware = '', serial = ''] = raw.split('|');
  return { vendor, model, firmware, serial, raw };
}

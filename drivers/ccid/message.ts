/**
 * CCID messages of reader-link.md §1 (USB CCID Rev 1.1 subset): a 10-byte little-endian header
 * `bMessageType dwLength bSlot bSeq b7 b8 b9` then abData; NotifySlotChange is the bare pair `0x50 bmSlotICCState`.
 * Encoders and decoders for both directions, pure, shared by the driver and the virtual reader.
 */
import { readUint32LE } from '../../base/bytes.ts';
import { decoded, rejected, type Decoded } from '../decoded.ts';
import { CCID_HEADER_LENGTH, MAX_MESSAGE_LENGTH, NOTIFY_SLOT_CHANGE } from '../link/serial-frame.ts';

export const PC_TO_RDR = {
  IccPowerOn: 0x62,
  IccPowerOff: 0x63,
  GetSlotStatus: 0x65,
  XfrBlock: 0x6f,
  Escape: 0x6b,
} as const;

export const RDR_TO_PC = {
  DataBlock: 0x80,
  SlotStatus: 0x81,
  Escape: 0x83,
  NotifySlotChange: NOTIFY_SLOT_CHANGE,
} as const;

export type HostCommandType = keyof typeof PC_TO_RDR;

/** The answer type each host command expects. */
export const RESPONSE_TYPE: Record<HostCommandType, number> = {
  IccPowerOn: RDR_TO_PC.DataBlock,
  IccPowerOff: RDR_TO_PC.SlotStatus,
  GetSlotStatus: RDR_TO_PC.SlotStatus,
  XfrBlock: RDR_TO_PC.DataBlock,
  Escape: RDR_TO_PC.Escape,
};

/** bmICCStatus, bits 0–1 of bStatus. */
export const ICC_STATUS = { presentActive: 0, presentInactive: 1, absent: 2 } as const;
export type IccStatus = 0 | 1 | 2 | 3;

/** bmCommandStatus, bits 6–7 of bStatus. */
export const COMMAND_STATUS = { processed: 0, failed: 1, timeExtension: 2 } as const;
export type CommandStatus = 0 | 1 | 2 | 3;

/** bError values of §1 (when bmCommandStatus = failed). */
export const CCID_ERROR = {
  ICC_MUTE: 0xfe,
  XFR_PARITY_ERROR: 0xfd,
  HW_ERROR: 0xfb,
  BAD_ATR_TS: 0xf8,
  BAD_ATR_TCK: 0xf7,
  ICC_PROTOCOL_NOT_SUPPORTED: 0xf6,
  CMD_ABORTED: 0xef,
  CMD_SLOT_BUSY: 0xe0,
  BAD_SLOT: 0x05,
  CMD_NOT_SUPPORTED: 0x00,
} as const;
export type CcidErrorName = keyof typeof CCID_ERROR;

export function ccidErrorName(bError: number): CcidErrorName | `0x${string}` {
  for (const [name, value] of Object.entries(CCID_ERROR)) if (value === bError) return name as CcidErrorName;
  return `0x${bError.toString(16).padStart(2, '0').toUpperCase()}`;
}

export const SLOT_CARD = 0;
export const SLOT_PSAM = 1;

/** Escape commands of §1. */
export const ESCAPE = {
  identity: Uint8Array.of(0x02),
  enableNotifications: Uint8Array.of(0x01, 0x01),
  disableNotifications: Uint8Array.of(0x01, 0x00),
} as const;

export interface HostCommand {
  type: HostCommandType;
  slot: number;
  seq: number;
  /** b7 b8 b9 */
  params: [number, number, number];
  data: Uint8Array;
}

export function encodeMessage(messageType: number, slot: number, seq: number, params: readonly [number, number, number], data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const m = new Uint8Array(CCID_HEADER_LENGTH + data.length);
  m[0] = messageType;
  m[1] = data.length & 0xff;
  m[2] = (data.length >>> 8) & 0xff;
  m[3] = (data.length >>> 16) & 0xff;
  m[4] = (data.length >>> 24) & 0xff;
  m[5] = slot;
  m[6] = seq & 0xff;
  m[7] = params[0];
  m[8] = params[1];
  m[9] = params[2];
  m.set(data, CCID_HEADER_LENGTH);
  return m;
}

export function encodeHostCommand(cmd: Omit<HostCommand, 'params'> & { params?: [number, number, number] }): Uint8Array {
  return encodeMessage(PC_TO_RDR[cmd.type], cmd.slot, cmd.seq, cmd.params ?? [0, 0, 0], cmd.data);
}

/** XfrBlock with bBWI 0 and wLevelParameter 0 (short APDU, APDU-level reader). */
export function encodeXfrBlock(slot: number, seq: number, apdu: Uint8Array): Uint8Array {
  return encodeMessage(PC_TO_RDR.XfrBlock, slot, seq, [0, 0, 0], apdu);
}

export function encodeNotifySlotChange(bmSlotIccState: number): Uint8Array {
  return Uint8Array.of(NOTIFY_SLOT_CHANGE, bmSlotIccState & 0xff);
}

/** A reader→host header message. */
export interface ReaderResponse {
  kind: 'response';
  messageType: number;
  slot: number;
  seq: number;
  iccStatus: IccStatus;
  commandStatus: CommandStatus;
  /** bError: an error code when failed, the wait multiplier on a time extension. */
  error: number;
  /** bChainParameter / bClockStatus / RFU. */
  param: number;
  data: Uint8Array;
}

export interface SlotChange {
  kind: 'slot-change';
  /** One entry per slot (0 card, 1 PSAM): bit 2n present, bit 2n+1 changed. */
  slots: { present: boolean; changed: boolean }[];
}

export type ReaderMessage = ReaderResponse | SlotChange;

export function decodeSlotChange(bmSlotIccState: number): SlotChange {
  const slots = [];
  for (let slot = 0; slot < 4; slot++) slots.push({ present: ((bmSlotIccState >> (2 * slot)) & 1) === 1, changed: ((bmSlotIccState >> (2 * slot + 1)) & 1) === 1 });
  return { kind: 'slot-change', slots };
}

export function encodeSlotState(slots: { present: boolean; changed: boolean }[]): number {
  let v = 0;
  slots.forEach((s, i) => {
    if (s.present) v |= 1 << (2 * i);
    if (s.changed) v |= 1 << (2 * i + 1);
  });
  return v & 0xff;
}

/** Decodes a message received from a reader. Rejects unknown types and inconsistent lengths; never throws. */
export function decodeReaderMessage(m: Uint8Array): Decoded<ReaderMessage> {
  if (m.length === 0) return rejected('empty message');
  if (m[0] === NOTIFY_SLOT_CHANGE) {
    if (m.length !== 2) return rejected(`NotifySlotChange of ${m.length} bytes`);
    return decoded(decodeSlotChange(m[1] as number));
  }
  if (m.length < CCID_HEADER_LENGTH) return rejected(`message of ${m.length} bytes is shorter than a header`);
  const type = m[0] as number;
  if (type !== RDR_TO_PC.DataBlock && type !== RDR_TO_PC.SlotStatus && type !== RDR_TO_PC.Escape) return rejected(`unknown reader message type 0x${type.toString(16)}`);
  const length = readUint32LE(m, 1);
  if (length > MAX_MESSAGE_LENGTH - CCID_HEADER_LENGTH || m.length !== CCID_HEADER_LENGTH + length) return rejected(`dwLength ${length} does not match ${m.length - CCID_HEADER_LENGTH} data bytes`);
  const bStatus = m[7] as number;
  return decoded({
    kind: 'response',
    messageType: type,
    slot: m[5] as number,
    seq: m[6] as number,
    iccStatus: (bStatus & 0x03) as IccStatus,
    commandStatus: ((bStatus >> 6) & 0x03) as CommandStatus,
    error: m[8] as number,
    param: m[9] as number,
    data: m.slice(CCID_HEADER_LENGTH),
  });
}

/** A host→reader message as the reader decodes it; `type` is null for a message type the reader does not know. */
export interface ReceivedHostCommand extends Omit<HostCommand, 'type'> {
  messageType: number;
  type: HostCommandType | null;
}

/** Decodes a message received from a host (the virtual reader's side). */
export function decodeHostCommand(m: Uint8Array): Decoded<ReceivedHostCommand> {
  if (m.length < CCID_HEADER_LENGTH) return rejected(`message of ${m.length} bytes is shorter than a header`);
  const length = readUint32LE(m, 1);
  if (m.length !== CCID_HEADER_LENGTH + length) return rejected(`dwLength ${length} does not match ${m.length - CCID_HEADER_LENGTH} data bytes`);
  const messageType = m[0] as number;
  const entry = Object.entries(PC_TO_RDR).find(([, v]) => v === messageType);
  return decoded({
    messageType,
    type: entry ? (entry[0] as HostCommandType) : null,
    slot: m[5] as number,
    seq: m[6] as number,
    params: [m[7] as number, m[8] as number, m[9] as number],
    data: m.slice(CCID_HEADER_LENGTH),
  });
}

/** bStatus byte from its two fields. */
export function statusByte(iccStatus: number, commandStatus: number): number {
  return ((commandStatus & 0x03) << 6) | (iccStatus & 0x03);
}

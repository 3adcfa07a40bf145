import { hidReportCount } from '../link/hid-frame.ts';
import { serialFrameLength, NOTIFY_SLOT_CHANGE } from '../link/serial-frame.ts';

/**
 * The timing model of reader-link.md §4. The virtual reader delays its answers by it, and the bench computes
 * the floor of a full read with the same numbers, so a measured read time is a ratio to physics, not to a guess.
 */
/** T=0 at 9600 bit/s, 12 etu per byte. */
export const CARD_BYTE_MS = 1.25;
export const CARD_PROCESSING_MS = 2;
export const COLD_RESET_MS = 10;
/** 10 bits per byte at 115200 bit/s (≈ 86.8 µs). */
export const SERIAL_BYTE_MS = (10 / 115200) * 1000;
/** One 64-byte report per full-speed interval. */
export const HID_REPORT_MS = 1;

export type LinkKind = 'serial' | 'hid';

/** Host-link time of one message (either direction): its frame on the serial line, or its reports on HID. */
export function linkMessageMs(link: LinkKind, messageLength: number, isNotification = false): number {
  if (link === 'serial') return serialFrameLength(messageLength) * SERIAL_BYTE_MS;
  return hidReportCount(messageLength, isNotification) * HID_REPORT_MS;
}

export function linkMs(link: LinkKind, message: Uint8Array): number {
  return linkMessageMs(link, message.length, message.length === 2 && message[0] === NOTIFY_SLOT_CHANGE);
}

/** Cold reset: 10 ms plus the ATR bytes on the card line. */
export function coldResetMs(atrLength: number): number {
  return COLD_RESET_MS + atrLength * CARD_BYTE_MS;
}

/**
 * Bytes on the card line for one APDU exchange (§4): case 1 `5 + 2`; case 2 `5 + 1 + Le + 2` (or `5 + 2` when the
 * card answers a status word only); case 3 `5 + 1 + Lc + 2` (or `5 + 2` when the card refuses the header);
 * a case-4 command goes as case 3.
 */
export function cardLineBytes(command: { case: 1 | 2 | 3 | 4; lc: number }, response: { dataLength: number; headerRefused: boolean }): number {
  switch (command.case) {
    case 1:
      return 5 + 2;
    case 2:
      return response.dataLength > 0 ? 5 + 1 + response.dataLength + 2 : 5 + 2;
    case 3:
    case 4:
      return response.headerRefused ? 5 + 2 : 5 + 1 + command.lc + 2;
  }
}

/** Card time of one APDU: its bytes on the line plus 2 ms of processing. */
export function apduCardMs(lineBytes: number): number {
  return lineBytes * CARD_BYTE_MS + CARD_PROCESSING_MS;
}

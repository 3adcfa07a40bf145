/**
 * SW3, the reader's status (idcard-link.md §4), as the read sequence acts on it. SW1 and SW2 are ignored:
 * some SAMs pass the card's own status through them.
 */
export const SW3 = {
  ok: 0x90,
  found: 0x9f,
  noContent: 0x91,
  noCard: 0x80,
  selectFailed: 0x81,
  readFailed: 0x41,
  samSelfTestFailed: 0x60,
  samNotAuthorised: 0x66,
  checksumError: 0x10,
  lengthError: 0x11,
  commandError: 0x21,
  notAllowed: 0x23,
} as const;

export type StatusClass =
  /** 90, 9F, 91: success (which one a command needs is the caller's business). */
  | 'success'
  /** 80: no card in the field yet. */
  | 'no-card'
  /** 60, 66: the SAM is broken or unlicensed; stop. */
  | 'sam-fault'
  /** 10, 11: our frame was damaged on the line; send the same command once more. */
  | 'line-damaged'
  /** 21, 23: the reader refused the command itself (a driver bug). */
  | 'reader-error'
  /** 81, 41, 31…, 24 and anything unknown: this attempt failed; start over at find. */
  | 'failed-attempt';

export function classifyStatus(sw3: number): StatusClass {
  switch (sw3) {
    case SW3.ok:
    case SW3.found:
    case SW3.noContent:
      return 'success';
    case SW3.noCard:
      return 'no-card';
    case SW3.samSelfTestFailed:
    case SW3.samNotAuthorised:
      return 'sam-fault';
    case SW3.checksumError:
    case SW3.lengthError:
      return 'line-damaged';
    case SW3.commandError:
    case SW3.notAllowed:
      return 'reader-error';
    default:
      return 'failed-attempt';
  }
}

export function sw3Hex(sw3: number): string {
  return sw3.toString(16).toUpperCase().padStart(2, '0');
}

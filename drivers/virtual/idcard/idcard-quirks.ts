/**
 * The quirks of idcard-link.md §10.2, exactly as the page defines them. A correct driver survives each one,
 * alone or combined; the tests and the demo switch them on through the virtual reader's control.
 */
export const ID_CARD_QUIRKS = ['late-card', 'read-fail-once', 'noise', 'baud9600', 'card-removed', 'no-card', 'sam-fault', 'mute'] as const;
export type IdCardQuirk = (typeof ID_CARD_QUIRKS)[number];

export function isIdCardQuirk(s: string): s is IdCardQuirk {
  return (ID_CARD_QUIRKS as readonly string[]).includes(s);
}

/** `late-card`: every `20 01` answers 80 until this long after the first one arrived. */
export const LATE_CARD_MS = 600;
/** `card-removed`: the `30 01` after the card left answers 41 after this long. */
export const REMOVED_READ_MS = 150;
/** `noise`: these bytes go out before the first answer and before the successful `30 01`. */
export const NOISE_BYTES = Uint8Array.of(0x00, 0xff, 0xaa, 0xaa, 0x96, 0x55, 0xaa);

/**
 * What the card application needs from a reader: power and APDUs per slot (0 = user card, 1 = PSAM).
 * CcidClient provides it; so could any other reader protocol (a vendor framing) without touching drivers/sscard.
 */
export interface CardSlots {
  powerOn(slot: number): Promise<Uint8Array>;
  powerOff(slot: number): Promise<unknown>;
  transmit(slot: number, apdu: Uint8Array): Promise<Uint8Array>;
}

import { toHex } from '../../../../base/bytes.ts';
import { CcidSlotError } from '../../../../drivers/ccid/ccid-errors.ts';
import type { CardSlots } from '../../../../drivers/sscard/card-slots.ts';
import type { VirtualIcc } from '../../../../drivers/virtual/apdu-responses.ts';

/** CardSlots over card objects, no reader in between: the sscard layer tested alone. `log` records the traffic. */
export class MemorySlots implements CardSlots {
  readonly log: string[] = [];
  /** Throw this from the n-th transmit on slot 0 (1-based). */
  failAt: { n: number; error: Error } | null = null;
  private transmits = 0;

  constructor(private readonly slots: (VirtualIcc | null)[]) {}

  async powerOn(slot: number): Promise<Uint8Array> {
    this.log.push(`${slot}:PowerOn`);
    const icc = this.slots[slot];
    if (!icc) throw new CcidSlotError('IccPowerOn', slot, 0xfe, 2);
    icc.reset();
    return icc.atr;
  }

  async powerOff(slot: number): Promise<unknown> {
    this.log.push(`${slot}:PowerOff`);
    return 1;
  }

  async transmit(slot: number, apdu: Uint8Array): Promise<Uint8Array> {
    this.log.push(`${slot}:${toHex(apdu)}`);
    if (slot === 0 && this.failAt && ++this.transmits === this.failAt.n) throw this.failAt.error;
    const icc = this.slots[slot];
    if (!icc) throw new CcidSlotError('XfrBlock', slot, 0xfe, 2);
    return icc.process(apdu);
  }
}

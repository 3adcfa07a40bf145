import { ccidErrorName, type HostCommandType, type IccStatus } from './message.ts';

/** A command the reader answered with bmCommandStatus = failed. */
export class CcidSlotError extends Error {
  constructor(
    readonly command: HostCommandType,
    readonly slot: number,
    /** bError */
    readonly code: number,
    /** bmICCStatus reported with the failure: 2 means no card in the slot. */
    readonly iccStatus: IccStatus,
  ) {
    super(`${command} on slot ${slot} failed: ${ccidErrorName(code)} (card ${iccStatus === 2 ? 'absent' : iccStatus === 1 ? 'present, inactive' : 'present'})`);
    this.name = 'CcidSlotError';
  }

  get errorName(): string {
    return ccidErrorName(this.code);
  }

  get cardAbsent(): boolean {
    return this.iccStatus === 2;
  }
}

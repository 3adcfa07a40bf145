import { RETIRED_PSN_TYPES } from '../../codes/psn-type.ts';

/** Retired 人员类别 (settlement-rules §6): deductibleRetired and retiredBonus apply. */
export function isRetired(psnType: string): boolean {
  return RETIRED_PSN_TYPES.includes(psnType);
}

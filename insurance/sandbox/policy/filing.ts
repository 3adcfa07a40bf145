import type { Day, FilingFacts } from './types.ts';

/**
 * Whether a filing's target covers a hospital (settlement-rules §1, §6 "Filings"): a province target
 * (xx0000) covers every hospital of the province (first 2 digits); any other target covers its city
 * (first 4 digits), so a 320200 target covers 320281 hospitals and the reverse.
 */
export function filingCoversHospital(targetAdmdvs: string, hospitalAdmdvs: string): boolean {
  if (targetAdmdvs.endsWith('0000')) return targetAdmdvs.slice(0, 2) === hospitalAdmdvs.slice(0, 2);
  return targetAdmdvs.slice(0, 4) === hospitalAdmdvs.slice(0, 4);
}

/**
 * Whether a filing counts for the settlement of an admission (settlement-rules §1, §6):
 * - a cancelled filing never counts;
 * - one created after the settlement day never counts for that settlement;
 * - one created after the admission day and on or before the settlement day counts whatever its begndate
 *   (补办备案);
 * - otherwise it counts when begndate ≤ admission day ≤ enddate (no enddate = long-term); the admission day
 *   decides, so an admission that began inside the filing keeps it to discharge.
 */
export function filingCountsForSettlement(f: FilingFacts, admissionDay: Day, settlementDay: Day): boolean {
  if (!f.valid) return false;
  if (f.createdDay > settlementDay) return false;
  if (f.createdDay > admissionDay) return true;
  return f.begndate <= admissionDay && (f.enddate === null || admissionDay <= f.enddate);
}

/**
 * Whether a filing is active on a day, for the 大市一卡通 conflict (settlement-rules §3): not cancelled and
 * not ended. A filing that begins later is already active: it exists and will apply.
 */
export function filingActiveOn(f: FilingFacts, day: Day): boolean {
  return f.valid && (f.enddate === null || day <= f.enddate);
}

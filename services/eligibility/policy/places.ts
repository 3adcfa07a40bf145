import type { PoolingGroup, VisitScope } from './parameters.ts';

/**
 * Places (settlement-rules §1, §6): pooling areas, scope, and whether a filing's target covers the hospital.
 * admdvs codes are 6 digits: province xx0000, city xxxx00, county-level city or district otherwise.
 */

/** The pooling group holding both areas, if any. */
export function groupOf(a: string, b: string, groups: readonly PoolingGroup[]): PoolingGroup | null {
  return groups.find((g) => g.areas.includes(a) && g.areas.includes(b)) ?? null;
}

/**
 * Same pooling area without any registration: the same 6-digit code, or two areas of a group that does not
 * require a registration. A group with requiresRegistration is one area only through a valid registration.
 */
export function samePoolingArea(insuplc: string, hospital: string, groups: readonly PoolingGroup[]): boolean {
  if (insuplc === hospital) return true;
  const g = groupOf(insuplc, hospital, groups);
  return g !== null && !g.requiresRegistration;
}

/** Scope of a visit that is not local: same province (first 2 digits) or not. */
export function scopeBetween(insuplc: string, hospital: string): Exclude<VisitScope, 'local'> {
  return insuplc.slice(0, 2) === hospital.slice(0, 2) ? 'in-province' : 'cross-province';
}

/** A province-level code: xx0000. */
export function isProvinceCode(admdvs: string): boolean {
  return /^\d{2}0000$/.test(admdvs);
}

/**
 * A filing covers the hospital when its target is the hospital's city (first 4 digits equal, so a 320200
 * target covers a 320281 hospital and the reverse) or its province (xx0000, first 2 digits equal).
 */
export function filingCovers(target: string, hospital: string): boolean {
  if (isProvinceCode(target)) return target.slice(0, 2) === hospital.slice(0, 2);
  return target.slice(0, 4) === hospital.slice(0, 4);
}

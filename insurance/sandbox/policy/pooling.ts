import type { PoolingGroup } from './parameters.ts';
import type { VisitScope } from './types.ts';

/**
 * Pooling areas and scope (settlement-rules §1, §6 "Pooling groups"). Same pooling area = same 6-digit code,
 * or both codes in a group that does not require registration. A group with requiresRegistration joins its
 * areas only through a valid 大市一卡通 registration (registration.ts), never here.
 */
export function samePoolingAreaWithoutRegistration(a: string, b: string, groups: readonly PoolingGroup[]): boolean {
  if (a === b) return true;
  return groups.some((g) => !g.requiresRegistration && g.areas.includes(a) && g.areas.includes(b));
}

/** A group containing both areas (any kind), or undefined. */
export function groupContainingBoth(a: string, b: string, groups: readonly PoolingGroup[]): PoolingGroup | undefined {
  return groups.find((g) => g.areas.includes(a) && g.areas.includes(b));
}

/** `local` when the visit is local (same pooling area or covered by a registration), else by province. */
export function scopeOf(insuplcAdmdvs: string, hospitalAdmdvs: string, local: boolean): VisitScope {
  if (local) return 'local';
  return insuplcAdmdvs.slice(0, 2) === hospitalAdmdvs.slice(0, 2) ? 'in-province' : 'cross-province';
}

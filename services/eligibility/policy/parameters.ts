import { z } from 'zod';
import bundled from '../../../policy/parameters.json' with { type: 'json' };

/**
 * The rulebook numbers (policy/parameters.json: the repository's one copy of shared/policy/parameters.json,
 * which the sandbox platform's default world points at too, so terminal and platform cannot drift apart). Eligibility reads every place rule from here:
 * pooling groups, reductions per scope and case, and each 参保地's inProvinceUnfiledDirect flag. Nothing of
 * it is repeated as a literal in code, so a hospital whose 接口商 publishes other numbers swaps the file.
 *
 * Only the parts eligibility needs are modelled; the money blocks (deductibles, ratios) stay with the platform,
 * which computes the split (settlement-rules §4).
 */
const Fraction = z.number().min(0).max(1);

export const EligibilityParametersJson = z.object({
  year: z.number().int(),
  poolingGroups: z.array(
    z.object({ name: z.string(), areas: z.array(z.string().regex(/^\d{6}$/)).min(2), requiresRegistration: z.boolean() }),
  ),
  reductions: z.object({
    local: z.record(z.string(), Fraction),
    'in-province': z.record(z.string(), Fraction),
    'cross-province': z.record(z.string(), Fraction),
  }),
  regions: z.record(
    z.string().regex(/^\d{6}$/),
    z.object({ name: z.string(), inProvinceUnfiledDirect: z.boolean().optional() }).passthrough(),
  ),
});

export type VisitScope = 'local' | 'in-province' | 'cross-province';
export type VisitCase = 'local' | 'emergency' | 'filed-long-term' | 'filed-referral' | 'filed-temporary' | 'unfiled';

export interface PoolingGroup {
  name: string;
  areas: readonly string[];
  requiresRegistration: boolean;
}

export interface EligibilityParameters {
  year: number;
  poolingGroups: readonly PoolingGroup[];
  /** reductions[scope][case]; a case absent for a scope is not a way to settle in that scope. */
  reductions: Readonly<Record<VisitScope, Readonly<Partial<Record<VisitCase, number>>>>>;
  regions: Readonly<Record<string, { name: string; inProvinceUnfiledDirect: boolean }>>;
}

const CASES: readonly VisitCase[] = ['local', 'emergency', 'filed-long-term', 'filed-referral', 'filed-temporary', 'unfiled'];

/** Validates a parameters document and keeps what eligibility needs. Throws a readable error on a bad file. */
export function toEligibilityParameters(json: unknown): EligibilityParameters {
  const p = EligibilityParametersJson.parse(json);
  const reductions = {} as Record<VisitScope, Partial<Record<VisitCase, number>>>;
  for (const scope of ['local', 'in-province', 'cross-province'] as const) {
    reductions[scope] = {};
    for (const [c, r] of Object.entries(p.reductions[scope])) {
      if (!CASES.includes(c as VisitCase)) throw new Error(`parameters: unknown case "${c}" in reductions.${scope}`);
      reductions[scope][c as VisitCase] = r;
    }
  }
  const regions: Record<string, { name: string; inProvinceUnfiledDirect: boolean }> = {};
  for (const [admdvs, r] of Object.entries(p.regions)) {
    // settlement-rules §6: a region without inProvinceUnfiledDirect is read as false.
    regions[admdvs] = { name: r.name, inProvinceUnfiledDirect: r.inProvinceUnfiledDirect ?? false };
  }
  return { year: p.year, poolingGroups: p.poolingGroups, reductions, regions };
}

/** The bundled parameters, validated once. */
export const bundledParameters: EligibilityParameters = toEligibilityParameters(bundled);

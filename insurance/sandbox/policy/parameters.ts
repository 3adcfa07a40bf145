import { z } from 'zod';
import { fractionToE4, yuanToFen, type Fen } from './money.ts';
import type { HospitalLevel, VisitCase, VisitScope } from './types.ts';

/**
 * The numbers of the sandbox platform (shared/policy/parameters.json): the JSON schema, and the same figures
 * in the engine's units (fen, 10^4-scaled rates). Loading a file and turning it into these is the only place
 * that knows the JSON shape.
 */

const Fraction = z.number().min(0).max(1);
const Yuan = z.number().min(0);
const ByLevel = <T extends z.ZodType>(t: T) => z.object({ '1': t, '2': t, '3': t });

const InsutypeBlockJson = z.object({
  deductible: ByLevel(Yuan),
  deductibleRetired: ByLevel(Yuan).optional(),
  ratio: ByLevel(Fraction),
  retiredBonus: Fraction.optional(),
  annualCap: Yuan,
  repeatAdmission: z.array(Fraction).min(1).optional(),
  accountUsable: z.boolean().optional(),
  seriousIllness: z.object({ threshold: Yuan, ratio: Fraction }).optional(),
});

const RegionJson = z
  .object({ name: z.string(), inProvinceUnfiledDirect: z.boolean().optional() })
  .catchall(InsutypeBlockJson);

const CaseReductions = z.record(z.string(), Fraction);

export const ParametersJson = z.object({
  about: z.string().optional(),
  year: z.number().int(),
  poolingGroups: z.array(
    z.object({ name: z.string(), areas: z.array(z.string().regex(/^\d{6}$/)).min(2), requiresRegistration: z.boolean() }),
  ),
  reductions: z.object({ local: CaseReductions, 'in-province': CaseReductions, 'cross-province': CaseReductions }),
  defaultSelfpayProp: z.record(z.string(), Fraction),
  assistance: z.object({ identities: z.array(z.string()), ratio: Fraction }),
  regions: z.record(z.string().regex(/^\d{6}$/), RegionJson),
});
export type ParametersJson = z.infer<typeof ParametersJson>;

export interface InsutypeRules {
  deductibleFen: Record<HospitalLevel, Fen>;
  /** Absent: retirees use deductibleFen (settlement-rules §6). */
  deductibleRetiredFen: Record<HospitalLevel, Fen> | null;
  ratioE4: Record<HospitalLevel, number>;
  /** Absent: no bonus (settlement-rules §6). */
  retiredBonusE4: number;
  annualCapFen: Fen;
  /** Absent: m = 1 for every admission. */
  repeatAdmissionE4: number[] | null;
  accountUsable: boolean;
  seriousIllness: { thresholdFen: Fen; ratioE4: number } | null;
}

export interface RegionRules {
  admdvs: string;
  name: string;
  /** A region without the flag is read as false (settlement-rules §6). */
  inProvinceUnfiledDirect: boolean;
  insutypes: Record<string, InsutypeRules>;
}

export interface PoolingGroup {
  name: string;
  areas: string[];
  requiresRegistration: boolean;
}

export interface PolicyParameters {
  year: number;
  poolingGroups: PoolingGroup[];
  reductionsE4: Record<VisitScope, Partial<Record<VisitCase, number>>>;
  /** By chrgitm_lv. */
  defaultSelfpayPropE4: Record<string, number>;
  assistance: { identities: string[]; ratioE4: number };
  regions: Record<string, RegionRules>;
}


function byLevel<T, U>(o: { '1': T; '2': T; '3': T }, f: (t: T) => U): Record<HospitalLevel, U> {
  return { 1: f(o['1']), 2: f(o['2']), 3: f(o['3']) };
}

function insutypeRules(b: z.infer<typeof InsutypeBlockJson>): InsutypeRules {
  return {
    deductibleFen: byLevel(b.deductible, yuanToFen),
    deductibleRetiredFen: b.deductibleRetired ? byLevel(b.deductibleRetired, yuanToFen) : null,
    ratioE4: byLevel(b.ratio, fractionToE4),
    retiredBonusE4: b.retiredBonus === undefined ? 0 : fractionToE4(b.retiredBonus),
    annualCapFen: yuanToFen(b.annualCap),
    repeatAdmissionE4: b.repeatAdmission ? b.repeatAdmission.map(fractionToE4) : null,
    accountUsable: b.accountUsable ?? false,
    seriousIllness: b.seriousIllness
      ? { thresholdFen: yuanToFen(b.seriousIllness.threshold), ratioE4: fractionToE4(b.seriousIllness.ratio) }
      : null,
  };
}

function reductions(r: Record<string, number>): Partial<Record<VisitCase, number>> {
  const out: Partial<Record<VisitCase, number>> = {};
  for (const [k, v] of Object.entries(r)) out[k as VisitCase] = fractionToE4(v);
  return out;
}

/** Validates parameters JSON and converts it to engine units. Throws a readable error on bad input. */
export function toPolicyParameters(json: unknown): PolicyParameters {
  const p = ParametersJson.parse(json);
  const regions: Record<string, RegionRules> = {};
  for (const [admdvs, r] of Object.entries(p.regions)) {
    const { name, inProvinceUnfiledDirect, ...blocks } = r;
    const insutypes: Record<string, InsutypeRules> = {};
    for (const [insutype, block] of Object.entries(blocks)) {
      insutypes[insutype] = insutypeRules(InsutypeBlockJson.parse(block));
    }
    regions[admdvs] = { admdvs, name, inProvinceUnfiledDirect: inProvinceUnfiledDirect ?? false, insutypes };
  }
  return {
    year: p.year,
    poolingGroups: p.poolingGroups,
    reductionsE4: {
      local: reductions(p.reductions.local),
      'in-province': reductions(p.reductions['in-province']),
      'cross-province': reductions(p.reductions['cross-province']),
    },
    defaultSelfpayPropE4: Object.fromEntries(Object.entries(p.defaultSelfpayProp).map(([k, v]) => [k, fractionToE4(v)])),
    assistance: { identities: p.assistance.identities, ratioE4: fractionToE4(p.assistance.ratio) },
    regions,
  };
}

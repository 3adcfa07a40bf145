import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { toPolicyParameters, type InsutypeRules, type PolicyParameters } from '../../../../../insurance/sandbox/policy/parameters.ts';

/** The sandbox's copy of shared/policy/parameters.json: the figures the hand computations of these tests use. */
export const PARAMS: PolicyParameters = toPolicyParameters(
  JSON.parse(readFileSync(fileURLToPath(new URL('../../../../../policy/parameters.json', import.meta.url)), 'utf8')),
);

export function rules(admdvs: string, insutype: string): InsutypeRules {
  const r = PARAMS.regions[admdvs]?.insutypes[insutype];
  if (!r) throw new Error(`no rules for ${admdvs}/${insutype}`);
  return r;
}

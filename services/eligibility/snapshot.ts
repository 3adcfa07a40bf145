import type { EligibilityDecision } from '../../contract/dto/eligibility.ts';
import type { RefusalCode } from './policy/refusals.ts';

/**
 * What the store keeps of an eligibility check (eligibility_snapshots.decision_json): the decision exactly as
 * the screen got it, and the basis an admission needs to send 2401 from it later, offline if need be.
 * Personal data: purged with the rest by retention.
 */
export interface SnapshotBody {
  decision: EligibilityDecision;
  basis: DecisionBasis;
}

export interface DecisionBasis {
  psnNo: string;
  insuplcAdmdvs: string;
  /** null when the person has several insurance rows and none was chosen yet. */
  insutype: string | null;
  admissionType: 'normal' | 'emergency';
  direct: boolean;
  refusals: RefusalCode[];
  credential: { certType: '01' | '02' | '03'; certNo: string; cardSn: string | null };
  person: { name: string; certno: string; psnCertType: string; gender: '1' | '2' | '9'; birthDate: string | null; age: number | null };
}

export function isSnapshotBody(v: unknown): v is SnapshotBody {
  const o = v as Partial<SnapshotBody> | null;
  return !!o && typeof o === 'object' && !!o.decision && !!o.basis && typeof o.basis.psnNo === 'string';
}

import type { FilingKind } from '../../codes/dcla-type.ts';

/** A calendar day in China time, yyyy-MM-dd (settlement-rules §6 "Dates"). Compares as a string. */
export type Day = string;

export type HospitalLevel = 1 | 2 | 3;

/** settlement-rules §1 `scope`. */
export type VisitScope = 'local' | 'in-province' | 'cross-province';

/** settlement-rules §1 case of a visit. */
export type VisitCase = 'local' | 'emergency' | FilingKind | 'unfiled';

/** The order of the non-local candidates; ties of reduction go to the earlier one (settlement-rules §1.2). */
export const CANDIDATE_ORDER: readonly VisitCase[] = ['emergency', 'filed-long-term', 'filed-referral', 'filed-temporary'];

export interface HospitalFacts {
  admdvs: string;
  level: HospitalLevel;
  networkedInProvince: boolean;
  networkedCrossProvince: boolean;
}

/** A 异地就医 filing as the policy sees it. */
export interface FilingFacts {
  sn: string;
  dclaType: string;
  /** mdtrtarea_admdvs: a city (xxxx00, or a county code) or a province (xx0000). */
  targetAdmdvs: string;
  begndate: Day;
  /** null = long-term. */
  enddate: Day | null;
  /** The China day of crte_time. */
  createdDay: Day;
  /** vali_flag = "1". */
  valid: boolean;
}

/** A 大市一卡通 registration as the policy sees it (settlement-rules §3). */
export interface RegistrationFacts {
  id: string;
  insuAdmdvs: string;
  trtAdmdvs: string;
  /** 卡识别码 of the card it was made with. */
  cardSn: string;
  begndate: Day;
  /** vali_flag = "1". */
  valid: boolean;
}

/** The person's current card, as far as registrations care. */
export interface CurrentCardFacts {
  cardSn: string;
  /** A 江苏省统一社会保障卡 (省卡), not an old 市民卡. */
  provincial: boolean;
}

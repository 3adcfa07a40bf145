/**
 * What the eligibility rules look at, gathered from the card read and the platform (1101, 2001, filings,
 * 5303) by services/eligibility/gather.ts. Pure data: the rules in this folder never call anything.
 * Days are China calendar days, yyyy-MM-dd, compared as strings (settlement-rules §6 "Dates").
 */
export type Day = string;

export interface HospitalFacts {
  admdvs: string;
  networkedInProvince: boolean;
  networkedCrossProvince: boolean;
  /** The hospital's own 医保 window and phone (configuration), named at the end of the guidance. */
  help?: { insuranceWindow: string; phone: string };
}

/** A 异地就医 filing (sandbox extension 5311, or a province's own query behind the client's adapter). */
export interface FilingFact {
  id: string;
  /** dcla_type: 01–03 long-term, 04 referral, 05 temporary (insurance/codes/dcla-type.ts). */
  dclaType: string;
  /** The filed place: a city (or county-level) code, or a province xx0000. */
  targetAdmdvs: string;
  begndate: Day;
  /** null = long-term, no end. */
  enddate: Day | null;
  /** The day the filing was made (crte_time). */
  createdDay: Day;
  /** vali_flag 1; a cancelled filing is 0. */
  valid: boolean;
}

/** A 大市一卡通 registration (settlement-rules §3). */
export interface RegistrationFact {
  id: string;
  insuAdmdvs: string;
  trtAdmdvs: string;
  /** 卡识别码 of the card it was made with. */
  cardSn: string;
  begndate: Day;
  enddate: Day | null;
  valid: boolean;
}

/** One 1101 insuinfo row. */
export interface InsuranceFact {
  insutype: string;
  psnType: string;
  /** psn_insu_stas; only '1' gives benefits. */
  psnInsuStas: string;
  insuplcAdmdvs: string;
  balcFen: number;
}

/** The presented card, when the credential is a 社会保障卡 (mdtrt_cert_type 03). */
export interface PresentedCardFacts {
  /** card_stas as the platform reports it (insurance/codes/card-status.ts), or null when it does not say. */
  stas: string | null;
  /** 有效期 from the chip, when the card was read here. */
  expiryDate: Day | null;
}

/** The person's current card, as far as 大市一卡通 registrations care. */
export interface CurrentCardFacts {
  cardSn: string;
  /**
   * A 江苏省统一社会保障卡 (省卡), not an old 市民卡: true when the chip was read here (it has the SSSE
   * application); null when nobody here can tell (a typed 卡号 + 卡识别码, or the platform's card number).
   */
  provincial: boolean | null;
}

export interface OpenAdmissionFact {
  mdtrtId: string;
  begndate: Day;
  /** The admitting hospital when the platform says; null = unknown. */
  fixmedinsCode: string | null;
}

export interface EligibilityFacts {
  hospital: HospitalFacts;
  /** mdtrt_cert_type: 01 医保电子凭证, 02 居民身份证, 03 社会保障卡. Card checks apply only to 03. */
  certType: '01' | '02' | '03';
  card: PresentedCardFacts | null;
  currentCard: CurrentCardFacts | null;
  insutype: string;
  /** The 1101 row of the chosen insutype, or null when the person has none. */
  insurance: InsuranceFact | null;
  /** 2001 (or 1101 trt_chk_rslt) says the person is in a 待遇等待期. */
  waitingPeriod: boolean;
  filings: readonly FilingFact[];
  registrations: readonly RegistrationFact[];
  /** 5303: admissions still open at OTHER hospitals (the caller removes this hospital's own). */
  openAdmissionsElsewhere: readonly OpenAdmissionFact[];
  /** Admission type 急诊 (med_type 24 or the 2401 emergency flag). */
  emergency: boolean;
  /** The admission date of the visit (today for a new admission). */
  admissionDay: Day;
  /** The day of the decision (the settlement day when re-checked at discharge). */
  decisionDay: Day;
}

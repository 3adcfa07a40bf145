import type { CardStatus } from '../../codes/card-status.ts';
import type { CatalogueEntry } from '../policy/fee-line.ts';
import type { PolicyParameters } from '../policy/parameters.ts';
import type { Day, HospitalLevel } from '../policy/types.ts';

/**
 * The sandbox platform's world as loaded from fixtures (read-only at run time). What changes while the
 * sandbox runs (admissions, settlements, balances, added filings…) lives in the state database; the two are
 * combined per request (platform/person-facts.ts).
 */

export interface Hospital {
  code: string;
  name: string;
  admdvs: string;
  level: HospitalLevel;
  networkedInProvince: boolean;
  networkedCrossProvince: boolean;
}

export interface Card {
  cardNo: string;
  cardSn: string;
  issueDate: Day;
  expiryDate: Day;
  status: CardStatus;
  current: boolean;
  provincial: boolean;
}

export interface InsuranceRow {
  insutype: string;
  psnType: string;
  psnInsuStas: string;
  psnInsuDate: Day;
  pausInsuDate: Day | null;
  cvlservFlag: string;
  empName: string;
  insuplcAdmdvs: string;
  waitingPeriod: { begndate: Day; enddate: Day } | null;
  balcFen: number;
}

export interface Identity {
  psnIdetType: string;
  psnTypeLv: string;
  memo: string;
  begntime: string;
  endtime: string | null;
}

export interface YearToDate {
  year: number;
  insutype: string;
  hifpPaidFen: number;
  inscpBurdenFen: number;
  settledAdmissions: number;
}

/** A filing in wire form (5311 row). */
export interface FilingRecord {
  trt_dcla_detl_sn: string;
  psn_no: string;
  dcla_type: string;
  mdtrtarea_admdvs: string;
  begndate: Day;
  enddate: Day | null;
  crte_time: string;
  vali_flag: string;
}

/** A 大市一卡通 registration in wire form (5311 dsyk_regs row). */
export interface RegistrationRecord {
  reg_id: string;
  psn_no: string;
  insu_admdvs: string;
  trt_admdvs: string;
  card_sn: string;
  begndate: Day;
  vali_flag: string;
}

/** An admission at another hospital that is still open (the platform knows it; this sandbox did not make it). */
export interface ForeignAdmission {
  mdtrtId: string;
  fixmedinsCode: string;
  insutype: string;
  medType: string;
  begntime: string;
  iptOtpNo: string;
}

export interface Person {
  key: string;
  psnNo: string;
  name: string;
  certno: string;
  gender: string;
  nation: string;
  birthDate: Day;
  insuredArea: string;
  ecToken: string | null;
  cards: Card[];
  insurances: InsuranceRow[];
  identities: Identity[];
  yearToDate: YearToDate[];
  filings: FilingRecord[];
  registrations: RegistrationRecord[];
  openAdmissions: ForeignAdmission[];
}

export interface CatalogueItem extends CatalogueEntry {
  /** 定价上限 in yuan as written (wire form), or null. */
  pricUplmt: string | null;
  selfpayProp: string | null;
  spec: string;
  unit: string;
}

export interface World {
  parameters: PolicyParameters;
  csb: { required: boolean; secrets: ReadonlyMap<string, string> };
  hospitals: ReadonlyMap<string, Hospital>;
  catalogue: ReadonlyMap<string, CatalogueItem>;
  persons: ReadonlyMap<string, Person>;
  personByCertno: ReadonlyMap<string, Person>;
  personByEcToken: ReadonlyMap<string, Person>;
  cardBySn: ReadonlyMap<string, { person: Person; card: Card }>;
  cardByNo: ReadonlyMap<string, { person: Person; card: Card }>;
}

import { z } from 'zod';


/**
 * The sandbox's world file (insurance/sandbox/fixtures/default.json and any file given by --fixtures).
 * People and cards come from people.json (by `key`); everything the platform knows beyond them is here.
 * Documented field by field in docs/sandbox.md. Money is integer fen (fields ending in Fen); prices and
 * proportions are decimal strings, as exact as the wire.
 */

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'yyyy-MM-dd');
const DateTime = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'yyyy-MM-dd HH:mm:ss');
const Admdvs = z.string().regex(/^\d{6}$/, '6-digit 医保区划');
const Fen = z.number().int().safe();
const Decimal = z.string().regex(/^\d+(\.\d+)?$/, 'decimal string, e.g. "12.50"');

export const HospitalFixture = z.object({
  fixmedins_code: z.string().regex(/^[A-Z0-9]{12}$/, '12-character 定点医药机构编号'),
  fixmedins_name: z.string().min(1),
  admdvs: Admdvs,
  level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  networked_in_province: z.boolean(),
  networked_cross_province: z.boolean(),
});

export const CatalogueFixture = z.object({
  med_list_codg: z.string().min(1).max(50),
  name: z.string().min(1),
  med_chrgitm_type: z.string().regex(/^(0[1-9]|1[0-4])$/, 'med_chrgitm_type 01–14'),
  chrgitm_lv: z.enum(['01', '02', '03']),
  /** 定价上限 per unit, yuan; absent = no ceiling. */
  pric_uplmt: Decimal.optional(),
  /** The entry's own 自付比例 (乙类); absent = parameters.defaultSelfpayProp. */
  selfpay_prop: Decimal.optional(),
  /** Unit price the demo HIS charges (not used by the rules). */
  pric: Decimal.optional(),
  spec: z.string().optional(),
  unit: z.string().optional(),
});

export const InsuranceFixture = z.object({
  insutype: z.string().regex(/^\d{3}$/),
  psn_type: z.string().min(1),
  psn_insu_stas: z.string().min(1),
  psn_insu_date: Day,
  paus_insu_date: Day.nullable().default(null),
  cvlserv_flag: z.enum(['0', '1']).default('0'),
  emp_name: z.string().default(''),
  /** Defaults to the person's insuredArea of people.json. */
  insuplc_admdvs: Admdvs.optional(),
  /** 待遇等待期, both days inclusive. */
  waitingPeriod: z.object({ begndate: Day, enddate: Day }).nullable().default(null),
  /** Personal account balance (employees), fen. */
  balcFen: Fen.default(0),
});

export const IdentityFixture = z.object({
  psn_idet_type: z.string().min(1),
  psn_type_lv: z.string().default(''),
  memo: z.string().default(''),
  begntime: DateTime,
  endtime: DateTime.nullable().default(null),
});

export const YearToDateFixture = z.object({
  year: z.number().int(),
  insutype: z.string().regex(/^\d{3}$/),
  /** 统筹基金 paid earlier this year. */
  hifpPaidFen: Fen.min(0).default(0),
  /** In-scope personal burden (inscp − hifp_pay) earlier this year. */
  inscpBurdenFen: Fen.min(0).default(0),
  /** Settled admissions earlier this year (repeatAdmission). */
  settledAdmissions: z.number().int().min(0).default(0),
});

export const FilingFixture = z.object({
  trt_dcla_detl_sn: z.string().min(1),
  dcla_type: z.enum(['01', '02', '03', '04', '05']),
  mdtrtarea_admdvs: Admdvs,
  begndate: Day,
  enddate: Day.nullable(),
  crte_time: DateTime,
  vali_flag: z.enum(['0', '1']).default('1'),
});

export const RegistrationFixture = z.object({
  reg_id: z.string().min(1),
  insu_admdvs: Admdvs,
  trt_admdvs: Admdvs,
  card_sn: z.string().min(1),
  begndate: Day,
  vali_flag: z.enum(['0', '1']).default('1'),
});

export const OpenAdmissionFixture = z.object({
  mdtrt_id: z.string().min(1),
  fixmedins_code: z.string().min(1),
  insutype: z.string().regex(/^\d{3}$/),
  med_type: z.string().min(1),
  begntime: DateTime,
  ipt_otp_no: z.string().min(1),
});

export const PersonFixture = z.object({
  /** The person's key in people.json. */
  key: z.string().min(1),
  psn_no: z.string().min(1).max(30),
  /** 医保电子凭证 token accepted as mdtrt_cert_type 01. */
  ecToken: z.string().min(1).optional(),
  insurances: z.array(InsuranceFixture).default([]),
  identities: z.array(IdentityFixture).default([]),
  yearToDate: z.array(YearToDateFixture).default([]),
  filings: z.array(FilingFixture).default([]),
  registrations: z.array(RegistrationFixture).default([]),
  openAdmissions: z.array(OpenAdmissionFixture).default([]),
  /** Facts about cards beyond people.json, by 卡识别码: provincial = 省卡 (default true). */
  cardFacts: z.record(z.string(), z.object({ provincial: z.boolean().default(true) })).default({}),
});

export const CsbFixture = z.object({
  /** Reject requests without valid CSB headers. */
  required: z.boolean().default(false),
  credentials: z.array(z.object({ accessKey: z.string().min(1), secretKey: z.string().min(1) })).default([]),
});

export const WorldFixture = z.object({
  about: z.string().optional(),
  /** Path of people.json, relative to this file. */
  peopleFile: z.string().min(1),
  /** Path of parameters.json, relative to this file. */
  parametersFile: z.string().min(1),
  csb: CsbFixture.default({ required: false, credentials: [] }),
  hospitals: z.array(HospitalFixture).min(1),
  catalogue: z.array(CatalogueFixture),
  persons: z.array(PersonFixture),
});
export type WorldFixture = z.infer<typeof WorldFixture>;
export type PersonFixture = z.infer<typeof PersonFixture>;
export type HospitalFixture = z.infer<typeof HospitalFixture>;
export type CatalogueFixture = z.infer<typeof CatalogueFixture>;
export type FilingFixture = z.infer<typeof FilingFixture>;
export type RegistrationFixture = z.infer<typeof RegistrationFixture>;


import { z } from 'zod';
import type { CallOptions, PlatformClient, PlatformReply } from '../platform-client.ts';
import { visitKeyOfIptNo, visitKeyOfMdtrt } from '../visit-key.ts';
import { code, list, optText, orEmpty } from '../wire.ts';
import { codec } from './codec.ts';

/**
 * Inpatient admission transactions: 5303 在院信息查询, 2401 入院办理, 2402 出院办理, 2403 住院信息变更,
 * 2404 入院撤销, 2405 出院撤销. National field names at the wire (nhsa-interface.md §2).
 */

/** One diagnosis (diseinfo) of 2401/2402/2403. */
export interface Diagnosis {
  /** 诊断类别: 1 西医诊断, 2 中医主病诊断, 3 中医主证诊断. */
  diag_type: string;
  /** 主诊断标志: 1 是, 0 否. */
  maindiag_flag: string;
  diag_srt_no: number;
  diag_code: string;
  diag_name: string;
  adm_cond?: string;
  diag_dept: string;
  dise_dor_no: string;
  dise_dor_name: string;
  /** yyyy-MM-dd HH:mm:ss */
  diag_time: string;
}

/** mdtrtinfo of 2401 入院办理 (the usual fields; the 生育 fields go in `extra`). */
export interface AdmissionInfo {
  psn_no: string;
  insutype: string;
  coner_name?: string;
  tel?: string;
  /** 入院时间 yyyy-MM-dd HH:mm:ss */
  begntime: string;
  mdtrt_cert_type: string;
  mdtrt_cert_no: string;
  /** 卡识别码 when the credential is a card. */
  card_sn?: string;
  /** 医疗类别: 21 普通住院, 24 急诊转住院 … */
  med_type: string;
  /** 住院号: the hospital's own number for the stay. */
  ipt_no: string;
  medrcdno?: string;
  atddr_no: string;
  chfpdr_name: string;
  adm_diag_dscr: string;
  adm_dept_codg: string;
  adm_dept_name: string;
  adm_bed: string;
  dscg_maindiag_code: string;
  dscg_maindiag_name: string;
  main_cond_dscr?: string;
  dise_codg?: string;
  dise_name?: string;
  oprn_oprt_code?: string;
  oprn_oprt_name?: string;
  dise_type_code?: string;
  /** Regional extension fields (生育 fields, the sandbox's emergency_flag…), sent alongside; typed fields win. */
  extra?: Record<string, string>;
}

function diagnoses(list: readonly Diagnosis[], psnNo: string, mdtrtId?: string): Record<string, unknown>[] {
  return list.map((d) => ({ ...(mdtrtId !== undefined ? { mdtrt_id: mdtrtId } : {}), psn_no: psnNo, ...d, adm_cond: orEmpty(d.adm_cond) }));
}

// ── 5303 ──────────────────────────────────────────────────────────────────────────────────────────────

const InHospitalRow = z.object({
  mdtrt_id: code,
  psn_no: z.string().min(1),
  psn_cert_type: optText,
  certno: optText,
  psn_name: optText,
  gend: optText,
  brdy: optText,
  age: optText,
  insutype: optText,
  /** 入院日期 */
  begndate: optText,
  med_type: optText,
  ipt_otp_no: optText,
  /** 异地标志 */
  out_flag: optText,
  fixmedins_code: optText,
  fixmedins_name: optText,
});

export const InHospitalOutput = z.object({ data: list(InHospitalRow) }).nullish().transform((v) => ({ data: v?.data ?? [] }));
export type InHospital = z.output<typeof InHospitalOutput>;

/** 5303 在院信息查询: open admissions (also at other hospitals) of a person between two times. */
export function queryInHospital(
  client: PlatformClient,
  input: { psn_no: string; insuplc_admdvs: string; begntime: string; endtime: string },
  options: CallOptions = {},
): Promise<PlatformReply<InHospital>> {
  return client.call(
    {
      ...options,
      infno: '5303',
      insuplc_admdvs: input.insuplc_admdvs,
      input: { data: { psn_no: input.psn_no, begntime: input.begntime, endtime: input.endtime } },
    },
    InHospitalOutput,
  );
}

// ── 2401 ──────────────────────────────────────────────────────────────────────────────────────────────

export const AdmitOutput = z.object({
  result: z.object({ mdtrt_id: code.pipe(z.string().min(1)), psn_no: optText, ipt_otp_no: optText }),
});
export type Admitted = z.output<typeof AdmitOutput>;

export interface AdmissionInput {
  mdtrtinfo: AdmissionInfo;
  diseinfo: readonly Diagnosis[];
}

/** 2401 入院办理: mdtrtinfo (extension fields alongside, typed fields win) + diseinfo. */
export const Admit2401 = codec('2401', AdmitOutput, (input: AdmissionInput) => {
  const { extra, ...mdtrtinfo } = input.mdtrtinfo;
  return { mdtrtinfo: { ...extra, ...mdtrtinfo }, diseinfo: diagnoses(input.diseinfo, mdtrtinfo.psn_no) };
});

/**
 * 2401 入院办理 → result.mdtrt_id, the key of every later inpatient transaction. Reversible: an unknown
 * outcome is reversed by 2601 before the stay (psn_no + ipt_no, or options.visitKey) can go on.
 */
export function admit(
  client: PlatformClient,
  input: AdmissionInput & { insuplc_admdvs: string },
  options: CallOptions = {},
): Promise<PlatformReply<Admitted>> {
  const { psn_no, ipt_no } = input.mdtrtinfo;
  return client.call(
    {
      visitKey: visitKeyOfIptNo(psn_no, ipt_no),
      ...options,
      infno: Admit2401.infno,
      psn_no,
      insuplc_admdvs: input.insuplc_admdvs,
      input: Admit2401.encode(input),
    },
    Admit2401.output,
  );
}

// ── 2402 ──────────────────────────────────────────────────────────────────────────────────────────────

export interface DischargeInfo {
  mdtrt_id: string;
  psn_no: string;
  insutype: string;
  /** 出院时间 yyyy-MM-dd HH:mm:ss */
  endtime: string;
  dise_codg?: string;
  dise_name?: string;
  oprn_oprt_code?: string;
  oprn_oprt_name?: string;
  /** 伴有并发症标志 */
  cop_flag?: string;
  dscg_dept_codg: string;
  dscg_dept_name: string;
  dscg_bed?: string;
  /** 离院方式: 1 医嘱离院, 2 医嘱转院, … 5 死亡, 9 其他. */
  dscg_way: string;
  die_date?: string;
  extra?: Record<string, string>;
}

/** The answer of a transaction whose output carries nothing we keep (2402, 2403, 2404, 2405). */
export const NoOutput = z.unknown().transform((): Empty => ({}));
export type Empty = Record<string, never>;

export interface DischargeInput {
  dscginfo: DischargeInfo;
  diseinfo: readonly Diagnosis[];
}

/** 2402 出院办理: dscginfo + diseinfo (each diagnosis names the stay). */
export const Discharge2402 = codec('2402', NoOutput, (input: DischargeInput) => {
  const { extra, ...dscginfo } = input.dscginfo;
  return { dscginfo: { ...extra, ...dscginfo }, diseinfo: diagnoses(input.diseinfo, dscginfo.psn_no, dscginfo.mdtrt_id) };
});

/** 2402 出院办理. Not reversible: an unknown outcome is replayed under the same msgid, or undone by 2405. */
export function discharge(
  client: PlatformClient,
  input: DischargeInput & { insuplc_admdvs: string },
  options: CallOptions = {},
): Promise<PlatformReply<Empty>> {
  const { psn_no, mdtrt_id } = input.dscginfo;
  return client.call(
    { visitKey: visitKeyOfMdtrt(psn_no, mdtrt_id), ...options, infno: Discharge2402.infno, insuplc_admdvs: input.insuplc_admdvs, input: Discharge2402.encode(input) },
    Discharge2402.output,
  );
}

const SentDiagnoses = z.object({ diseinfo: z.array(z.object({ diag_code: z.string(), diag_name: z.string(), maindiag_flag: z.string() })) });

/** The diagnoses of a 2401/2402 input node this file's codecs encoded (what the outbox stores). */
export function sentDiagnoses(input: unknown): Array<{ diag_code: string; diag_name: string; maindiag_flag: string }> {
  const parsed = SentDiagnoses.safeParse(input);
  return parsed.success ? parsed.data.diseinfo : [];
}

// ── 2403 ──────────────────────────────────────────────────────────────────────────────────────────────

export type AdmissionChange = Partial<Omit<AdmissionInfo, 'psn_no'>> & {
  mdtrt_id: string;
  psn_no: string;
  endtime?: string;
  ipt_otp_no?: string;
};

/** 2403 住院信息变更: the fields that changed, plus mdtrt_id and psn_no. */
export const UpdateAdmission2403 = codec('2403', NoOutput, (input: { adminfo: AdmissionChange; diseinfo: readonly Diagnosis[] }) => {
  const { extra, ...adminfo } = input.adminfo;
  return { adminfo: { ...extra, ...adminfo }, diseinfo: diagnoses(input.diseinfo, adminfo.psn_no, adminfo.mdtrt_id) };
});

export function updateAdmission(
  client: PlatformClient,
  input: { adminfo: AdmissionChange; diseinfo: readonly Diagnosis[]; insuplc_admdvs: string },
  options: CallOptions = {},
): Promise<PlatformReply<Empty>> {
  const { psn_no, mdtrt_id } = input.adminfo;
  return client.call(
    { visitKey: visitKeyOfMdtrt(psn_no, mdtrt_id), ...options, infno: UpdateAdmission2403.infno, insuplc_admdvs: input.insuplc_admdvs, input: UpdateAdmission2403.encode(input) },
    UpdateAdmission2403.output,
  );
}

// ── 2404 / 2405 ───────────────────────────────────────────────────────────────────────────────────────

export interface StayRef {
  mdtrt_id: string;
  psn_no: string;
  insuplc_admdvs: string;
}

const stayData = (input: Pick<StayRef, 'mdtrt_id' | 'psn_no'>) => ({ data: { mdtrt_id: input.mdtrt_id, psn_no: input.psn_no } });

/** 2404 入院撤销 (cancel an admission that has no settlement). */
export const CancelAdmission2404 = codec('2404', NoOutput, stayData);
/** 2405 出院撤销 (undo a discharge, e.g. after 2305). */
export const CancelDischarge2405 = codec('2405', NoOutput, stayData);

function stayCall(client: PlatformClient, c: typeof CancelAdmission2404, input: StayRef, options: CallOptions): Promise<PlatformReply<Empty>> {
  return client.call(
    { visitKey: visitKeyOfMdtrt(input.psn_no, input.mdtrt_id), ...options, infno: c.infno, insuplc_admdvs: input.insuplc_admdvs, input: c.encode(input) },
    c.output,
  );
}

export function cancelAdmission(client: PlatformClient, input: StayRef, options: CallOptions = {}): Promise<PlatformReply<Empty>> {
  return stayCall(client, CancelAdmission2404, input, options);
}

export function cancelDischarge(client: PlatformClient, input: StayRef, options: CallOptions = {}): Promise<PlatformReply<Empty>> {
  return stayCall(client, CancelDischarge2405, input, options);
}

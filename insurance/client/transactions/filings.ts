import { z } from 'zod';
import type { CallOptions, PlatformClient, PlatformReply } from '../platform-client.ts';
import { code, optText } from '../wire.ts';

/**
 * 异地就医备案 (remote-medical filings) and 大市一卡通 registrations of a person.
 *
 * The national interface has no transaction that lists them (nhsa-interface.md §2 "Filing"). The sandbox
 * platform answers a project extension, 5311; a province's real transaction replaces it by implementing
 * `FilingsAdapter` — the services only ever see this interface.
 */

export interface Filing {
  /** 待遇申报明细流水号. */
  trt_dcla_detl_sn: string;
  psn_no: string;
  /** 01 异地安置退休, 02 异地长期居住, 03 常驻异地工作, 04 异地转诊, 05 其他临时外出就医. */
  dcla_type: string;
  /** Target area: a city (first 4 digits) or a province (xx0000). */
  mdtrtarea_admdvs: string;
  /** yyyy-MM-dd */
  begndate: string;
  /** yyyy-MM-dd, null = long-term. */
  enddate: string | null;
  /** yyyy-MM-dd HH:mm:ss: when the filing was made (补办备案 after admission counts until settlement). */
  crte_time: string;
  /** 1 有效, 0 无效 (cancelled). */
  vali_flag: string;
}

export interface DsykRegistration {
  reg_id: string;
  psn_no: string;
  insu_admdvs: string;
  trt_admdvs: string;
  /** 卡识别码 of the card it was made with: a reissued card voids it. */
  card_sn: string;
  begndate: string;
  vali_flag: string;
}

export interface PersonFilings {
  filings: Filing[];
  dsyk_regs: DsykRegistration[];
}

export interface FilingsQuery {
  psn_no: string;
  insuplc_admdvs: string;
}

/** How the terminal learns a person's filings and registrations, whatever transaction the province offers. */
export interface FilingsAdapter {
  queryFilings(query: FilingsQuery, options?: CallOptions): Promise<PlatformReply<PersonFilings>>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const FLAG = z.union([z.literal('0'), z.literal('1'), z.literal(0), z.literal(1)]).transform(String);

const FilingRow = z.object({
  trt_dcla_detl_sn: code,
  psn_no: z.string().min(1),
  dcla_type: z.string().regex(/^0[1-5]$/),
  mdtrtarea_admdvs: z.string().regex(/^\d{6}$/),
  begndate: z.string().regex(DAY),
  enddate: optText.pipe(z.string().regex(DAY).nullable()),
  crte_time: z.string().regex(DATE_TIME),
  vali_flag: FLAG,
});

const DsykRow = z.object({
  reg_id: code,
  psn_no: z.string().min(1),
  insu_admdvs: z.string().regex(/^\d{6}$/),
  trt_admdvs: z.string().regex(/^\d{6}$/),
  card_sn: z.string(),
  begndate: z.string().regex(DAY),
  vali_flag: FLAG,
});

export const Filings5311Output = z.object({
  filings: z.array(FilingRow).nullish().transform((v) => v ?? []),
  dsyk_regs: z.array(DsykRow).nullish().transform((v) => v ?? []),
});

/** The sandbox extension 5311 异地就医备案查询: `{ data: { psn_no } }` → `{ filings, dsyk_regs }`. */
export class Sandbox5311Filings implements FilingsAdapter {
  constructor(private readonly client: PlatformClient) {}

  queryFilings(query: FilingsQuery, options: CallOptions = {}): Promise<PlatformReply<PersonFilings>> {
    return this.client.call(
      { ...options, infno: '5311', insuplc_admdvs: query.insuplc_admdvs, input: { data: { psn_no: query.psn_no } } },
      Filings5311Output,
    );
  }
}

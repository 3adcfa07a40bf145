import { z } from 'zod';
import type { CallOptions, PlatformClient, PlatformReply } from '../platform-client.ts';
import { code, decimalText, list, optText, orEmpty, yuanOrZero } from '../wire.ts';

/**
 * Person transactions: 1101 人员信息获取, 2001 人员待遇享受检查, 5206 人员累计信息查询.
 * National field names; money in fen.
 */

// ── 1101 ──────────────────────────────────────────────────────────────────────────────────────────────

export interface PersonInfoInput {
  /** 01 医保电子凭证, 02 居民身份证, 03 社会保障卡. */
  mdtrt_cert_type: string;
  /** ecToken, ID number, or card number (Jiangsu: 卡号|pBusiCardInfo). */
  mdtrt_cert_no: string;
  /** 卡识别码: required with 03. */
  card_sn?: string;
  /** For the history of insurance rows. */
  begntime?: string;
  psn_cert_type?: string;
  certno?: string;
  psn_name?: string;
}

/**
 * Jiangsu's exp_content (a JSON string on the wire, sometimes an object): card_stas (sandbox), trt_chk_rslt
 * 不享受待遇原因, inhosp_stas 在院状态, and balances. Unknown keys are kept as text.
 */
const ExpContent = z
  .union([z.string(), z.record(z.string(), z.unknown()), z.null(), z.undefined()])
  .transform((value, ctx): Record<string, string> => {
    let object: unknown = value;
    if (typeof value === 'string') {
      if (value.trim() === '') return {};
      try {
        object = JSON.parse(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'exp_content is not JSON' });
        return z.NEVER;
      }
    }
    if (object === null || object === undefined) return {};
    if (typeof object !== 'object' || Array.isArray(object)) {
      ctx.addIssue({ code: 'custom', message: 'exp_content is not an object' });
      return z.NEVER;
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(object as Record<string, unknown>)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    }
    return out;
  });

const BaseInfo = z.object({
  psn_no: z.string().min(1),
  psn_cert_type: optText,
  certno: optText,
  psn_name: optText,
  gend: optText,
  naty: optText,
  brdy: optText,
  age: optText,
  exp_content: ExpContent.optional(),
  expContent: ExpContent.optional(),
});

const InsuInfo = z.object({
  /** 个人账户余额. */
  balc: yuanOrZero,
  insutype: code,
  psn_type: optText,
  psn_insu_stas: optText,
  psn_insu_date: optText,
  paus_insu_date: optText,
  cvlserv_flag: optText,
  insuplc_admdvs: z.string().regex(/^\d{6}$/),
  emp_name: optText,
});

const IdetInfo = z.object({
  psn_idet_type: code,
  psn_type_lv: optText,
  memo: optText,
  begntime: optText,
  endtime: optText,
});

export const PersonInfoOutput = z
  .object({ baseinfo: BaseInfo, insuinfo: list(InsuInfo), idetinfo: list(IdetInfo) })
  .transform(({ baseinfo: { exp_content, expContent, ...base }, insuinfo, idetinfo }) => ({
    baseinfo: { ...base, exp_content: { ...(expContent ?? {}), ...(exp_content ?? {}) } },
    insuinfo,
    idetinfo,
  }));
export type PersonInfo = z.output<typeof PersonInfoOutput>;

/** 1101 人员信息获取: who the person is, their insurance rows (pick one: insutype + insuplc_admdvs), identities. */
export function fetchPersonInfo(client: PlatformClient, input: PersonInfoInput, options: CallOptions = {}): Promise<PlatformReply<PersonInfo>> {
  return client.call(
    {
      ...options,
      infno: '1101',
      input: {
        data: {
          mdtrt_cert_type: input.mdtrt_cert_type,
          mdtrt_cert_no: input.mdtrt_cert_no,
          card_sn: orEmpty(input.card_sn),
          begntime: orEmpty(input.begntime),
          psn_cert_type: orEmpty(input.psn_cert_type),
          certno: orEmpty(input.certno),
          psn_name: orEmpty(input.psn_name),
        },
      },
    },
    PersonInfoOutput,
  );
}

// ── 2001 ──────────────────────────────────────────────────────────────────────────────────────────────

export interface TreatmentCheckInput {
  psn_no: string;
  insutype: string;
  med_type: string;
  /** yyyy-MM-dd HH:mm:ss */
  begntime: string;
  endtime?: string;
  dise_codg?: string;
  dise_name?: string;
  oprn_oprt_code?: string;
  oprn_oprt_name?: string;
  matn_type?: string;
  birctrl_type?: string;
}

const TreatmentInfo = z.object({
  fund_pay_type: optText,
  /** 待遇享受标志: 1 享受, 0 不享受. */
  trt_enjymnt_flag: code,
  begndate: optText,
  enddate: optText,
  /** 待遇检查结果: the reason when not enjoyed. */
  trt_chk_rslt: optText,
});

export const TreatmentCheckOutput = z.object({ trtinfo: list(TreatmentInfo) }).nullish().transform((v) => ({ trtinfo: v?.trtinfo ?? [] }));
export type TreatmentCheck = z.output<typeof TreatmentCheckOutput>;

/** 2001 人员待遇享受检查. */
export function checkTreatment(
  client: PlatformClient,
  input: TreatmentCheckInput & { insuplc_admdvs: string },
  options: CallOptions = {},
): Promise<PlatformReply<TreatmentCheck>> {
  const { insuplc_admdvs, ...data } = input;
  return client.call(
    {
      ...options,
      infno: '2001',
      insuplc_admdvs,
      input: {
        data: {
          psn_no: data.psn_no,
          insutype: data.insutype,
          fixmedins_code: '',
          med_type: data.med_type,
          begntime: data.begntime,
          endtime: orEmpty(data.endtime),
          dise_codg: orEmpty(data.dise_codg),
          dise_name: orEmpty(data.dise_name),
          oprn_oprt_code: orEmpty(data.oprn_oprt_code),
          oprn_oprt_name: orEmpty(data.oprn_oprt_name),
          matn_type: orEmpty(data.matn_type),
          birctrl_type: orEmpty(data.birctrl_type),
        },
      },
    },
    TreatmentCheckOutput,
  );
}

// ── 5206 ──────────────────────────────────────────────────────────────────────────────────────────────

const CumInfo = z.object({
  cum_type_code: code,
  year: optText,
  /** 累计值: an amount in yuan or a count, by cum_type_code; kept as its decimal text. */
  cum: decimalText,
  cum_ym: optText,
  insutype: optText,
});

export const CumulativeOutput = z.object({ cuminfo: list(CumInfo) }).nullish().transform((v) => ({ cuminfo: v?.cuminfo ?? [] }));
export type Cumulative = z.output<typeof CumulativeOutput>;

/** 5206 人员累计信息查询 (year-to-date totals). `cum_ym` yyyyMM. */
export function queryCumulative(
  client: PlatformClient,
  input: { psn_no: string; insuplc_admdvs: string; cum_ym?: string },
  options: CallOptions = {},
): Promise<PlatformReply<Cumulative>> {
  return client.call(
    { ...options, infno: '5206', insuplc_admdvs: input.insuplc_admdvs, input: { data: { psn_no: input.psn_no, cum_ym: orEmpty(input.cum_ym) } } },
    CumulativeOutput,
  );
}

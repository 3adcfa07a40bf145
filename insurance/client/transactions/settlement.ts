import { z } from 'zod';
import { fenToYuan, type Fen } from '../../../base/fen.ts';
import type { CallOptions, PlatformClient, PlatformReply } from '../platform-client.ts';
import { visitKeyOfMdtrt } from '../visit-key.ts';
import { fields, list, orEmpty, read } from '../wire.ts';
import { codec } from './codec.ts';

/**
 * Inpatient settlement: 2303 住院预结算, 2304 住院结算, 2305 住院结算撤销, 5203 结算信息查询.
 * The 2304 msgid is the settlement's medins_setl_id and its 冲正 key (nhsa-interface.md §1 msgid).
 */

export interface SettlementInput {
  psn_no: string;
  mdtrt_cert_type: string;
  mdtrt_cert_no: string;
  /** 卡识别码 when the credential is a card (Jiangsu and the sandbox check it against the card number). */
  card_sn?: string;
  /** 医疗费总额 and its four parts (sums of the 2301 results), fen. */
  medfee_sumamt: Fen;
  fulamt_ownpay_amt: Fen;
  overlmt_selfpay: Fen;
  preselfpay_amt: Fen;
  inscp_scp_amt: Fen;
  /** 个人结算方式 (regional code table). */
  psn_setlway: string;
  mdtrt_id: string;
  /** 个人账户使用标志: "1" use the account. */
  acct_used_flag: '0' | '1';
  insutype: string;
  invono?: string;
  /** 中途结算标志. */
  mid_setl_flag: '0' | '1';
  /** 出院时间 yyyy-MM-dd HH:mm:ss (Jiangsu sends it as dscgTime). */
  dscgTime?: string;
  extra?: Record<string, string>;
}

// Read with plain field readers in one transform (wire.ts `fields`): ≈ 50 fields, read by every settlement
// call and again by its write-back.
/** setlinfo of 2303/2304/2305/5203: identity, totals, funds, the patient's share, clearing. Money in fen. */
const SetlInfo = fields({
  mdtrt_id: read.code,
  setl_id: read.optText,
  psn_no: read.nonEmptyString,
  psn_name: read.optText,
  psn_cert_type: read.optText,
  certno: read.optText,
  gend: read.optText,
  naty: read.optText,
  brdy: read.optText,
  age: read.optText,
  insutype: read.optText,
  psn_type: read.optText,
  cvlserv_flag: read.optText,
  setl_time: read.optText,
  mdtrt_cert_type: read.optText,
  med_type: read.optText,
  medfee_sumamt: read.yuan,
  fulamt_ownpay_amt: read.yuanOrZero,
  overlmt_selfpay: read.yuanOrZero,
  preselfpay_amt: read.yuanOrZero,
  inscp_scp_amt: read.yuanOrZero,
  act_pay_dedc: read.yuanOrZero,
  hifp_pay: read.yuanOrZero,
  /** 统筹基金支付比例 (5,4) as its decimal text. */
  pool_prop_selfpay: read.optDecimalText,
  cvlserv_pay: read.yuanOrZero,
  hifes_pay: read.yuanOrZero,
  hifmi_pay: read.yuanOrZero,
  hifob_pay: read.yuanOrZero,
  maf_pay: read.yuanOrZero,
  oth_pay: read.yuanOrZero,
  hifdm_pay: read.yuanOrZero,
  fund_pay_sumamt: read.yuan,
  psn_part_amt: read.yuanOrZero,
  acct_pay: read.yuan,
  psn_cash_pay: read.yuan,
  acct_mulaid_pay: read.yuanOrZero,
  hosp_part_amt: read.yuanOrZero,
  /** 个人账户余额 after this settlement; null when the platform does not say. */
  balc: read.optYuan,
  medins_setl_id: read.optText,
  clr_optins: read.optText,
  clr_way: read.optText,
  clr_type: read.optText,
  /** 5203 only: 退费结算标志. */
  refd_setl_flag: read.optText,
  /** 5203, sandbox extension: valid / refunded / reversed. */
  setl_stas: read.optText,
});
export type SetlInfo = z.output<typeof SetlInfo>;

const SetlDetail = fields({
  fund_pay_type: read.code,
  inscp_scp_amt: read.yuanOrZero,
  crt_payb_lmt_amt: read.yuanOrZero,
  fund_payamt: read.yuan,
  fund_pay_type_name: read.optText,
  setl_proc_info: read.optText,
});
export type SetlDetail = z.output<typeof SetlDetail>;

export const SettlementOutput = z.object({ setlinfo: SetlInfo, setldetail: list(SetlDetail) });
export type Settlement = z.output<typeof SettlementOutput>;

/** 2304 answers must name the settlement. */
export const SettledOutput = SettlementOutput.refine((o) => o.setlinfo.setl_id !== null, { message: '2304 output has no setl_id', path: ['setlinfo', 'setl_id'] }).transform(
  (o) => o as Settlement & { setlinfo: { setl_id: string } },
);
export type Settled = z.output<typeof SettledOutput>;

/** The 2303/2304 `input.data` node as it goes on the wire (yuan strings); also what the outbox stores. */
export function settlementData(input: SettlementInput): Record<string, unknown> {
  const { extra, medfee_sumamt, fulamt_ownpay_amt, overlmt_selfpay, preselfpay_amt, inscp_scp_amt, invono, dscgTime, ...rest } = input;
  return {
    ...extra,
    ...rest,
    medfee_sumamt: fenToYuan(medfee_sumamt),
    fulamt_ownpay_amt: fenToYuan(fulamt_ownpay_amt),
    overlmt_selfpay: fenToYuan(overlmt_selfpay),
    preselfpay_amt: fenToYuan(preselfpay_amt),
    inscp_scp_amt: fenToYuan(inscp_scp_amt),
    invono: orEmpty(invono),
    ...(dscgTime !== undefined ? { dscgTime } : {}),
  };
}

const settlementInput = (input: SettlementInput) => ({ data: settlementData(input) });

/** 2303 住院预结算: the split without saving (the PIN request, if any, rides in exp_content: discharge/pin.ts). */
export const PreSettle2303 = codec('2303', SettlementOutput, settlementInput);
/** 2304 住院结算. */
export const Settle2304 = codec('2304', SettledOutput, settlementInput);

/** 2303 住院预结算: the split without saving. */
export function preSettle(
  client: PlatformClient,
  input: SettlementInput & { insuplc_admdvs: string },
  options: CallOptions = {},
): Promise<PlatformReply<Settlement>> {
  const { insuplc_admdvs, ...data } = input;
  return client.call(
    { visitKey: visitKeyOfMdtrt(data.psn_no, data.mdtrt_id), ...options, infno: PreSettle2303.infno, insuplc_admdvs, input: PreSettle2303.encode(data) },
    PreSettle2303.output,
  );
}

/**
 * 2304 住院结算. Keep the reply's msgid with setl_id: it is medins_setl_id and the only 冲正 key. On an unknown
 * outcome the client reverses it (2601) before anything else of the stay; then start again at 2303.
 */
export function settle(
  client: PlatformClient,
  input: SettlementInput & { insuplc_admdvs: string },
  options: CallOptions = {},
): Promise<PlatformReply<Settled>> {
  const { insuplc_admdvs, ...data } = input;
  return client.call(
    { visitKey: visitKeyOfMdtrt(data.psn_no, data.mdtrt_id), ...options, infno: Settle2304.infno, psn_no: data.psn_no, insuplc_admdvs, input: Settle2304.encode(data) },
    Settle2304.output,
  );
}

export interface SettlementRef {
  psn_no: string;
  mdtrt_id: string;
  setl_id: string;
  insuplc_admdvs: string;
}

/** 2305 住院结算撤销: amounts come back negative. Reversible like 2304. */
export const CancelSettlement2305 = codec('2305', SettlementOutput, (input: Omit<SettlementRef, 'insuplc_admdvs'>) => ({
  data: { mdtrt_id: input.mdtrt_id, setl_id: input.setl_id, psn_no: input.psn_no },
}));

/** The setlinfo of a stored 2303/2304/2305 answer (what the outbox and the settlement row keep), or null. */
export function storedSetlinfo(output: unknown): SetlInfo | null {
  const parsed = SettlementOutput.safeParse(output);
  return parsed.success ? parsed.data.setlinfo : null;
}

const SentCancel = z.object({ data: z.object({ setl_id: z.string() }) });

/** setl_id of a 2305 input node this codec encoded (what the outbox stores), or null. */
export function cancelledSetlId(input: unknown): string | null {
  const parsed = SentCancel.safeParse(input);
  return parsed.success ? parsed.data.data.setl_id : null;
}

export function cancelSettlement(client: PlatformClient, input: SettlementRef, options: CallOptions = {}): Promise<PlatformReply<Settlement>> {
  return client.call(
    {
      visitKey: visitKeyOfMdtrt(input.psn_no, input.mdtrt_id),
      ...options,
      infno: CancelSettlement2305.infno,
      psn_no: input.psn_no,
      insuplc_admdvs: input.insuplc_admdvs,
      input: CancelSettlement2305.encode(input),
    },
    CancelSettlement2305.output,
  );
}

/** 5203 结算信息查询 (needs setl_id: it cannot find a settlement whose 2304 answer was lost). */
export function querySettlement(client: PlatformClient, input: SettlementRef, options: CallOptions = {}): Promise<PlatformReply<Settlement>> {
  return client.call(
    {
      visitKey: visitKeyOfMdtrt(input.psn_no, input.mdtrt_id),
      ...options,
      infno: '5203',
      insuplc_admdvs: input.insuplc_admdvs,
      input: { data: { psn_no: input.psn_no, setl_id: input.setl_id, mdtrt_id: input.mdtrt_id } },
    },
    SettlementOutput,
  );
}

import { z } from 'zod';
import { FeeUploadIncompleteError, isPlatformError, PlatformRequestError } from '../errors.ts';
import { fenToPric, fenToYuan, type Fen } from '../../../base/fen.ts';
import type { CallOptions, PlatformClient, PlatformReply } from '../platform-client.ts';
import { visitKeyOfMdtrt } from '../visit-key.ts';
import { code, decimalText, fields, list, optDecimalText, optText, orEmpty, quantityText, read, yuan, yuanOrZero } from '../wire.ts';
import { NoOutput } from './admission.ts';
import { codec } from './codec.ts';

/**
 * Fee details of a stay: 2301 住院费用明细上传 (in batches), 2302 撤销, 5204 费用明细查询.
 * Lines are idempotent per feedetl_sn within a mdtrt_id (nhsa-interface.md §5 rule 4): a line is corrected
 * by 2302 and re-upload, or by a negative-cnt line naming init_feedetl_sn.
 */

export interface FeeDetail {
  /** 费用明细流水号 (c30): unique within the stay. */
  feedetl_sn: string;
  /** 原费用流水号: for a refund line (negative cnt), the line it refunds. */
  init_feedetl_sn?: string;
  drord_no?: string;
  med_type: string;
  /** yyyy-MM-dd HH:mm:ss */
  fee_ocur_time: string;
  /** 医疗目录编码 (national catalogue). */
  med_list_codg: string;
  /** 医药机构目录编码 (the hospital's own). */
  medins_list_codg: string;
  /** 明细项目费用总额, fen. */
  det_item_fee_sumamt: Fen;
  /** 数量 (16,4); negative for a refund line. A string is a decimal text already checked (the HIS import's). */
  cnt: number | string;
  /** 单价, fen. */
  pric: Fen;
  bilg_dept_codg: string;
  bilg_dept_name: string;
  bilg_dr_codg: string;
  bilg_dr_name: string;
  acord_dept_codg?: string;
  acord_dept_name?: string;
  orders_dr_code?: string;
  orders_dr_name?: string;
  hosp_appr_flag?: string;
  tcmdrug_used_way?: string;
  etip_flag?: string;
  etip_hosp_code?: string;
  dscg_tkdrug_flag?: string;
  matn_fee_flag?: string;
  memo?: string;
  /** Regional extension fields (Jiangsu expContent…), sent alongside; typed fields win. */
  extra?: Record<string, string>;
}

export interface StayFees {
  psn_no: string;
  mdtrt_id: string;
  insuplc_admdvs: string;
  feedetail: readonly FeeDetail[];
}

// Read with plain field readers in one transform per line (wire.ts `fields`): an answer repeats these ≈ 20
// fields for every line of the batch, and the relay reads every answer it writes back.
const FeeDetailResult = fields({
  feedetl_sn: read.code,
  det_item_fee_sumamt: read.yuan,
  cnt: read.decimalText,
  /** Unit prices keep their 6-decimal text: they are not amounts. */
  pric: read.optDecimalText,
  pric_uplmt_amt: read.optDecimalText,
  selfpay_prop: read.optDecimalText,
  fulamt_ownpay_amt: read.yuanOrZero,
  overlmt_amt: read.yuanOrZero,
  preselfpay_amt: read.yuanOrZero,
  inscp_scp_amt: read.yuanOrZero,
  chrgitm_lv: read.optText,
  med_chrgitm_type: read.optText,
  bas_medn_flag: read.optText,
  hi_nego_drug_flag: read.optText,
  chld_medc_flag: read.optText,
  list_sp_item_flag: read.optText,
  lmt_used_flag: read.optText,
  drt_reim_flag: read.optText,
  memo: read.optText,
});
export type FeeDetailResult = z.output<typeof FeeDetailResult>;

/** A line the platform did not take (sandbox extension `refused`, also named in warn_msg); absent = none. */
const RefusedLine = fields({ feedetl_sn: read.code, reason: read.optText });
export type RefusedFeeLine = z.output<typeof RefusedLine>;

export const FeeUploadOutput = z
  .object({ result: list(FeeDetailResult), refused: list(RefusedLine) })
  .nullish()
  .transform((v) => ({ result: v?.result ?? [], refused: v?.refused ?? [] }));
export type FeeUploadBatchResult = z.output<typeof FeeUploadOutput>;

export const DEFAULT_FEE_BATCH_SIZE = 50;

function wireLine(line: FeeDetail, psnNo: string, mdtrtId: string): Record<string, unknown> {
  const { extra, det_item_fee_sumamt, cnt, pric, ...rest } = line;
  return {
    ...extra,
    ...rest,
    init_feedetl_sn: orEmpty(line.init_feedetl_sn),
    drord_no: orEmpty(line.drord_no),
    mdtrt_id: mdtrtId,
    psn_no: psnNo,
    det_item_fee_sumamt: fenToYuan(det_item_fee_sumamt),
    cnt: typeof cnt === 'string' ? cnt : quantityText(cnt),
    pric: fenToPric(pric),
  };
}

/** One 2301 batch: the stay's psn_no and mdtrt_id (or the outbox's placeholder for it) on every line. */
export const UploadFees2301 = codec('2301', FeeUploadOutput, (batch: Pick<StayFees, 'psn_no' | 'mdtrt_id' | 'feedetail'>) => ({
  feedetail: batch.feedetail.map((l) => wireLine(l, batch.psn_no, batch.mdtrt_id)),
}));

/**
 * feedetl_sn of the lines of a 2301 input node this codec encoded (what the outbox stores); none when the node is
 * not one (no feedetail list, or a line without a text feedetl_sn). Read by hand rather than with a schema: the
 * relay reads it for every batch it writes back, and a schema copied each of the 50 lines to read one field.
 */
export function sentFeedetlSns(input: unknown): string[] {
  const lines = typeof input === 'object' && input !== null ? (input as { feedetail?: unknown }).feedetail : undefined;
  if (!Array.isArray(lines)) return [];
  const sns: string[] = [];
  for (const line of lines) {
    const sn: unknown = typeof line === 'object' && line !== null ? (line as { feedetl_sn?: unknown }).feedetl_sn : undefined;
    if (typeof sn !== 'string') return [];
    sns.push(sn);
  }
  return sns;
}

export interface FeeCancel {
  psn_no: string;
  mdtrt_id: string;
  /** One line, or 'ALL' for every line of the stay ("0000" on the wire). */
  feedetl_sn: string | 'ALL';
}

/** 2302 住院费用明细撤销. */
export const CancelFees2302 = codec('2302', NoOutput, (input: FeeCancel) => ({
  data: { feedetl_sn: input.feedetl_sn === 'ALL' ? '0000' : input.feedetl_sn, mdtrt_id: input.mdtrt_id, psn_no: input.psn_no },
}));

/**
 * Checks the lines and cuts them into batches of `batchSize`. feedetl_sn must be non-empty, ≤ 30 characters
 * and unique in the upload; a duplicate is a PlatformRequestError before anything is sent.
 */
export function planFeeBatches(lines: readonly FeeDetail[], batchSize = DEFAULT_FEE_BATCH_SIZE): FeeDetail[][] {
  const context = { infno: '2301', msgid: null };
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new PlatformRequestError(context, `batchSize must be a positive integer, got ${batchSize}`);
  const seen = new Set<string>();
  for (const line of lines) {
    if (line.feedetl_sn === '' || line.feedetl_sn.length > 30) throw new PlatformRequestError(context, `feedetl_sn must have 1–30 characters: "${line.feedetl_sn}"`);
    if (seen.has(line.feedetl_sn)) throw new PlatformRequestError(context, `feedetl_sn ${line.feedetl_sn} appears twice: it must be unique within the stay`);
    seen.add(line.feedetl_sn);
  }
  const batches: FeeDetail[][] = [];
  for (let i = 0; i < lines.length; i += batchSize) batches.push(lines.slice(i, i + batchSize));
  return batches;
}

/** One 2301 with the given lines (the outbox sends batches one by one, each under its own msgid). */
export function uploadFeeBatch(client: PlatformClient, batch: StayFees, options: CallOptions = {}): Promise<PlatformReply<FeeUploadBatchResult>> {
  planFeeBatches(batch.feedetail, Math.max(1, batch.feedetail.length));
  return sendFeeBatch(client, batch, options);
}

/** 2301 of lines already checked by planFeeBatches. */
function sendFeeBatch(client: PlatformClient, batch: StayFees, options: CallOptions): Promise<PlatformReply<FeeUploadBatchResult>> {
  return client.call(
    { visitKey: visitKeyOfMdtrt(batch.psn_no, batch.mdtrt_id), ...options, infno: UploadFees2301.infno, insuplc_admdvs: batch.insuplc_admdvs, input: UploadFees2301.encode(batch) },
    UploadFees2301.output,
  );
}

export interface FeeUploadOptions extends Omit<CallOptions, 'msgid'> {
  batchSize?: number;
  /** msgids to reuse, by batch index, when replaying an upload that stopped (FeeUploadIncompleteError). */
  msgids?: readonly (string | undefined)[];
}

export interface FeeUploadResult {
  /** The accepted lines, as split by the platform. */
  result: FeeDetailResult[];
  /** Lines refused at upload (e.g. amount ≠ pric × cnt): they never enter the bill. */
  refused: RefusedFeeLine[];
  /** The msgid of each batch, in order. */
  msgids: string[];
}

/**
 * 2301 for all lines of a stay, in sequential batches. Stops at the first failed batch with
 * FeeUploadIncompleteError (what was uploaded, the failed batch's msgid: replay it under that msgid, by
 * passing `msgids`, when its outcome is unknown).
 */
export async function uploadFeeDetails(client: PlatformClient, fees: StayFees, options: FeeUploadOptions = {}): Promise<FeeUploadResult> {
  const { batchSize, msgids: given, ...callOptions } = options;
  const batches = planFeeBatches(fees.feedetail, batchSize);
  const result: FeeDetailResult[] = [];
  const refused: RefusedFeeLine[] = [];
  const msgids: string[] = [];
  for (const [index, batch] of batches.entries()) {
    const msgid = given?.[index];
    try {
      const reply = await sendFeeBatch(client, { ...fees, feedetail: batch }, { ...callOptions, ...(msgid !== undefined ? { msgid } : {}) });
      result.push(...reply.output.result);
      refused.push(...reply.output.refused);
      msgids.push(reply.msgid);
    } catch (e) {
      if (isPlatformError(e)) throw new FeeUploadIncompleteError<FeeDetailResult>(e, result, fees.feedetail.length);
      throw e;
    }
  }
  return { result, refused, msgids };
}

/** 2302 住院费用明细撤销: one line by feedetl_sn, or every line of the stay with 'ALL' ("0000" on the wire). */
export function cancelFeeDetails(
  client: PlatformClient,
  input: FeeCancel & { insuplc_admdvs: string },
  options: CallOptions = {},
): Promise<PlatformReply<Record<string, never>>> {
  return client.call(
    { visitKey: visitKeyOfMdtrt(input.psn_no, input.mdtrt_id), ...options, infno: CancelFees2302.infno, insuplc_admdvs: input.insuplc_admdvs, input: CancelFees2302.encode(input) },
    CancelFees2302.output,
  );
}

const FeeDetailRow = z.object({
  feedetl_sn: code,
  mdtrt_id: optText,
  setl_id: optText,
  med_list_codg: optText,
  medins_list_codg: optText,
  det_item_fee_sumamt: yuan,
  cnt: decimalText,
  pric: optDecimalText,
  fee_ocur_time: optText,
  fulamt_ownpay_amt: yuanOrZero,
  overlmt_amt: yuanOrZero,
  preselfpay_amt: yuanOrZero,
  inscp_scp_amt: yuanOrZero,
  chrgitm_lv: optText,
  med_chrgitm_type: optText,
  hilist_code: optText,
  hilist_name: optText,
  memo: optText,
});
export type FeeDetailRow = z.output<typeof FeeDetailRow>;

export const FeeDetailsOutput = z
  .union([z.array(FeeDetailRow), z.object({ feedetail: list(FeeDetailRow) }), z.null(), z.undefined()])
  .transform((v) => ({ feedetail: v == null ? [] : Array.isArray(v) ? v : v.feedetail }));
export type FeeDetails = z.output<typeof FeeDetailsOutput>;

/** 5204 费用明细查询: the lines the platform holds for a stay (optionally of one settlement). */
export function queryFeeDetails(
  client: PlatformClient,
  input: { psn_no: string; mdtrt_id: string; insuplc_admdvs: string; setl_id?: string },
  options: CallOptions = {},
): Promise<PlatformReply<FeeDetails>> {
  return client.call(
    {
      visitKey: visitKeyOfMdtrt(input.psn_no, input.mdtrt_id),
      ...options,
      infno: '5204',
      insuplc_admdvs: input.insuplc_admdvs,
      input: { data: { psn_no: input.psn_no, setl_id: orEmpty(input.setl_id), mdtrt_id: input.mdtrt_id } },
    },
    FeeDetailsOutput,
  );
}

import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseChinaDateTime } from '../china-time.ts';
import { expectedLineFen, lineAmountAcceptable, splitFeeLine } from '../policy/fee-line.ts';
import { fenToYuanNumber, parseScaledDecimal } from '../policy/decimal.ts';
import { admissionOf, refuseIfSettled } from '../platform/admission-of.ts';
import type { TransactionDef } from '../platform/context.ts';
import { feeLineResultRow, type StoredLineResult } from '../platform/fee-line-result.ts';
import { issueText, optionalText, requiredText, wireDateTime, wireDecimal } from '../platform/input.ts';
import { refuse } from '../platform/refusal.ts';
import type { AdmissionRow } from '../state/admissions.ts';

const Line = z
  .object({
    feedetl_sn: requiredText,
    init_feedetl_sn: optionalText,
    mdtrt_id: requiredText,
    psn_no: requiredText,
    med_type: requiredText,
    fee_ocur_time: wireDateTime,
    med_list_codg: requiredText,
    medins_list_codg: requiredText,
    det_item_fee_sumamt: wireDecimal,
    cnt: wireDecimal,
    pric: wireDecimal,
    bilg_dept_codg: requiredText,
    bilg_dept_name: requiredText,
    bilg_dr_codg: requiredText,
    bilg_dr_name: requiredText,
  })
  .passthrough();

const MAX_LINES_PER_BATCH = 5_000;

/** A stable hash of a line's content: the same line uploaded again is recognised (idempotent per feedetl_sn). */
function contentHash(raw: Record<string, unknown>): string {
  // A replacer array orders the (flat) line's keys: the same line in another key order hashes the same.
  return createHash('sha256').update(JSON.stringify(raw, Object.keys(raw).sort())).digest('hex');
}

/**
 * 2301 住院费用明细上传, a batch of lines. feedetl_sn is unique within a visit: a line sent again with the same
 * content is accepted again (its stored result), with other content refused. A line more than 1 fen off
 * round(pric × cnt) is refused by its feedetl_sn and never enters the bill; the other lines are accepted
 * (settlement-rules §4, §6). Refused lines are listed in output.refused and named in warn_msg (sandbox
 * extension; result holds the accepted lines only).
 */
export const feeUpload2301: TransactionDef = {
  infno: '2301',
  name: '住院费用明细上传',
  mutating: true,
  needsSignIn: true,
  run(ctx) {
    const lines = ctx.input.feedetail;
    if (!Array.isArray(lines) || lines.length === 0) return refuse('交易输入错误：feedetail 应为非空列表');
    if (lines.length > MAX_LINES_PER_BATCH) return refuse(`一次最多上传${MAX_LINES_PER_BATCH}条费用明细`);

    const admissions = new Map<string, AdmissionRow>();
    const result: Record<string, unknown>[] = [];
    const refused: { feedetl_sn: string; reason: string }[] = [];
    const seen = new Set<string>();
    const nextSeq = new Map<string, number>();
    let stored = 0;
    let firstVisit: AdmissionRow | null = null;

    const takeSeq = (mdtrtId: string): number => {
      const n = nextSeq.get(mdtrtId) ?? ctx.state.feeLines.nextSeq(mdtrtId);
      nextSeq.set(mdtrtId, n + 1);
      return n;
    };

    lines.forEach((raw: unknown, index: number) => {
      const obj = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;
      const sn = obj && (typeof obj.feedetl_sn === 'string' || typeof obj.feedetl_sn === 'number') ? String(obj.feedetl_sn).trim() : '';
      if (!obj || !sn) refuse(`第${index + 1}条费用明细缺少费用明细流水号（feedetl_sn）`);
      const reject = (reason: string) => refused.push({ feedetl_sn: sn, reason });

      const parsed = Line.safeParse(obj);
      if (!parsed.success) {
        const i = parsed.error.issues[0]!;
        return reject(`${i.path.join('.')} ${issueText(i)}`);
      }
      const l = parsed.data;
      // The visit: a batch naming an unknown or settled visit is refused as a whole.
      let a = admissions.get(l.mdtrt_id);
      if (!a) {
        a = admissionOf(ctx, l.mdtrt_id, l.psn_no);
        refuseIfSettled(ctx, a.mdtrt_id, '上传费用明细');
        admissions.set(a.mdtrt_id, a);
      }
      if (a.psn_no !== l.psn_no) refuse('人员编号与就诊记录不符');
      firstVisit ??= a;

      if (seen.has(`${l.mdtrt_id}\u0000${sn}`)) return reject('同一批次内费用明细流水号重复');
      seen.add(`${l.mdtrt_id}\u0000${sn}`);
      if (!parseChinaDateTime(l.fee_ocur_time)) return reject('fee_ocur_time 不是有效时间');

      const hash = contentHash(obj);
      const existing = ctx.state.feeLines.get(l.mdtrt_id, sn);
      if (existing && existing.status === 'active') {
        if (existing.content_hash !== hash) return reject('费用明细流水号已存在且内容不同，请先撤销该明细（2302）');
        result.push((JSON.parse(existing.result) as StoredLineResult).row);
        return;
      }

      const amountFen = parseScaledDecimal(l.det_item_fee_sumamt, 2);
      const cntE4 = parseScaledDecimal(l.cnt, 4);
      const pricE6 = parseScaledDecimal(l.pric, 6);
      if (amountFen === null) return reject('det_item_fee_sumamt 应为金额（最多2位小数）');
      if (cntE4 === null || cntE4 === 0n) return reject('cnt 应为非零数量（最多4位小数）');
      if (pricE6 === null || pricE6 < 0n) return reject('pric 应为非负单价（最多6位小数）');
      const amounts = { amountFen: Number(amountFen), pricE6, cntE4 };
      if (!lineAmountAcceptable(amounts)) {
        return reject(`明细金额${fenToYuanNumber(amounts.amountFen).toFixed(2)}元与单价×数量${fenToYuanNumber(expectedLineFen(amounts)).toFixed(2)}元相差超过1分`);
      }
      if (cntE4 < 0n) {
        // A refund line (退费): negative cnt, pointing at an active original line of the same item.
        if (!l.init_feedetl_sn) return reject('退费明细（数量为负）须填写原费用流水号（init_feedetl_sn）');
        const orig = ctx.state.feeLines.get(l.mdtrt_id, l.init_feedetl_sn);
        if (!orig || orig.status !== 'active' || BigInt(orig.cnt_e4) <= 0n) return reject(`原费用明细${l.init_feedetl_sn}不存在`);
        if (orig.med_list_codg !== l.med_list_codg) return reject('退费明细的医疗目录编码与原明细不一致');
        const refundedE4 = ctx.state.feeLines.refundsOf(l.mdtrt_id, l.init_feedetl_sn).reduce((s, r) => s + BigInt(r.cnt_e4), 0n);
        if (BigInt(orig.cnt_e4) + refundedE4 + cntE4 < 0n) return reject('退费数量超过原明细剩余数量');
      }

      const entry = ctx.world.catalogue.get(l.med_list_codg);
      const split = splitFeeLine(amounts, entry, ctx.world.parameters.defaultSelfpayPropE4);
      const row = feeLineResultRow(sn, amounts.amountFen, cntE4, pricE6, split, entry);
      ctx.state.feeLines.upsert({
        mdtrt_id: l.mdtrt_id,
        feedetl_sn: sn,
        seq: takeSeq(l.mdtrt_id),
        status: 'active',
        content_hash: hash,
        amount_fen: amounts.amountFen,
        cnt_e4: cntE4.toString(),
        init_feedetl_sn: l.init_feedetl_sn || null,
        med_list_codg: l.med_list_codg,
        line: JSON.stringify(obj),
        result: JSON.stringify({ split, row } satisfies StoredLineResult),
        msgid: ctx.envelope.msgid,
        fulamt_fen: split.fulamtOwnpayFen,
        overlmt_fen: split.overlmtSelfpayFen,
        preselfpay_fen: split.preselfpayFen,
        inscp_fen: split.inscpFen,
      });
      stored++;
      result.push(row);
    });

    if (stored > 0 && firstVisit) {
      const v: AdmissionRow = firstVisit;
      ctx.tookEffect({ psn_no: v.psn_no, mdtrt_id: v.mdtrt_id, ipt_no: v.ipt_no });
    }
    if (refused.length > 0) ctx.warn(`以下费用明细未接收：${refused.map((r) => `${r.feedetl_sn}（${r.reason}）`).join('，')}`);
    return { result, refused };
  },
};

import { z } from 'zod';
import { parseChinaDateTime } from '../china-time.ts';
import { admissionOf } from '../platform/admission-of.ts';
import type { TransactionDef } from '../platform/context.ts';
import { optionalText, parseNode, requiredText, wireDateTime } from '../platform/input.ts';
import { refuse } from '../platform/refusal.ts';

const DscgInfo = z
  .object({
    mdtrt_id: requiredText,
    psn_no: requiredText,
    insutype: requiredText,
    endtime: wireDateTime,
    dscg_dept_codg: requiredText,
    dscg_dept_name: requiredText,
    dscg_way: requiredText,
    dscg_bed: optionalText,
  })
  .passthrough();

/** 2402 出院办理: the stay ends (before or after settlement). */
export const discharge2402: TransactionDef = {
  infno: '2402',
  name: '出院办理',
  mutating: true,
  needsSignIn: true,
  run(ctx) {
    const d = parseNode(DscgInfo, ctx.input.dscginfo, 'dscginfo');
    const a = admissionOf(ctx, d.mdtrt_id, d.psn_no);
    if (a.status === 'out') return refuse('该住院已办理出院');
    if (!parseChinaDateTime(d.endtime)) return refuse('交易输入错误：dscginfo.endtime 不是有效时间');
    if (d.endtime < a.begntime) return refuse('出院时间早于入院时间');
    const detail = JSON.parse(a.detail) as Record<string, unknown>;
    ctx.state.admissions.update(a.mdtrt_id, { status: 'out', endtime: d.endtime, detail: JSON.stringify({ ...detail, dscginfo: d }) });
    ctx.tookEffect({ psn_no: a.psn_no, mdtrt_id: a.mdtrt_id, ipt_no: a.ipt_no });
    return {};
  },
};

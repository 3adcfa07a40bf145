import { parseYuan } from '../../base/fen.ts';
import type { PlatformRecord } from './compare.ts';

/**
 * The records of a 3202 answer. The national interface returns them as a file (fileinfo → 9102 download,
 * nhsa-interface.md §2); the sandbox platform also sends them inline in `stmt_detail` (docs/sandbox.md),
 * which is what this reads. Returns null when the answer carries no rows (a file-only platform).
 * Row fields are those of the 3202 result file: setl_id, mdtrt_id, psn_no, msgid, medfee_sumamt,
 * fund_pay_sumamt, acct_pay, refd_setl_flag (1 = 退费结算, the record of a 2305), stmt_rslt.
 */
const ROW_KEYS = ['stmt_detail', 'stmtdetail', 'detail'];

function obj(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null;
}

export function readDetailRows(output: unknown): PlatformRecord[] | null {
  const o = obj(output);
  const key = ROW_KEYS.find((k) => Array.isArray(o[k]));
  if (!key) return null;
  return (o[key] as unknown[])
    .map(obj)
    // stmt_rslt 3 = 中心无此结算: an echo of a row the hospital sent, not a platform record.
    .filter((r) => text(r.stmt_rslt) !== '3')
    .map((r) => ({
      kind: text(r.refd_setl_flag) === '1' ? ('refund' as const) : ('settle' as const),
      setlId: text(r.setl_id),
      msgid: text(r.msgid) ?? text(r.medins_setl_id),
      mdtrtId: text(r.mdtrt_id),
      psnNo: text(r.psn_no),
      medfeeFen: parseYuan(r.medfee_sumamt) ?? 0,
      fundFen: parseYuan(r.fund_pay_sumamt) ?? 0,
      acctFen: parseYuan(r.acct_pay) ?? 0,
    }));
}

import type { AdmissionRow } from '../state/admissions.ts';
import type { TxnContext } from './context.ts';
import { refuse } from './refusal.ts';

/** The admission a request names: made at this hospital, for this person, not cancelled. Refuses otherwise. */
export function admissionOf(ctx: TxnContext, mdtrtId: string, psnNo: string): AdmissionRow {
  const a = ctx.state.admissions.get(mdtrtId);
  if (!a || a.fixmedins_code !== ctx.hospital.code) return refuse(`就诊ID不存在：${mdtrtId}`);
  if (a.psn_no !== psnNo) return refuse('人员编号与就诊记录不符');
  if (a.status === 'cancelled') return refuse('该住院登记已撤销');
  return a;
}

/** Refuses when the visit has a valid settlement (it must be reversed by 2305 first). */
export function refuseIfSettled(ctx: TxnContext, mdtrtId: string, what: string): void {
  const s = ctx.state.settlements.validForVisit(mdtrtId);
  if (s) refuse(`该就诊已结算（结算ID ${s.setl_id}），不能${what}，请先撤销结算`);
}

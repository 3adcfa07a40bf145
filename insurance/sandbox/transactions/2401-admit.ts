import { z } from 'zod';
import { CURABLE_BY_FILING } from '../policy/direct-settlement.ts';
import { INPATIENT_MED_TYPES, MED_TYPE_EMERGENCY_ADMISSION } from '../../codes/med-type.ts';
import { MDTRT_CERT_TYPE_SSCARD } from '../../codes/mdtrt-cert-type.ts';
import { parseChinaDateTime } from '../china-time.ts';
import type { TransactionDef } from '../platform/context.ts';
import { resolveCredential } from '../platform/credential.ts';
import { optionalText, parseNode, requiredText, wireDateTime } from '../platform/input.ts';
import { personNow } from '../platform/person-facts.ts';
import { refuse } from '../platform/refusal.ts';
import { decideForVisit, insuranceRowOf, refusalMessage } from '../platform/visit-decision.ts';

const MdtrtInfo = z
  .object({
    psn_no: requiredText,
    insutype: requiredText,
    begntime: wireDateTime,
    mdtrt_cert_type: requiredText,
    mdtrt_cert_no: requiredText,
    card_sn: optionalText,
    med_type: requiredText,
    ipt_no: requiredText,
    atddr_no: requiredText,
    chfpdr_name: requiredText,
    adm_diag_dscr: requiredText,
    adm_dept_codg: requiredText,
    adm_dept_name: requiredText,
    adm_bed: requiredText,
    dscg_maindiag_code: requiredText,
    dscg_maindiag_name: requiredText,
    /** Sandbox reading of the 急诊 flag of 2401 (settlement-rules §1): "1" = emergency admission. */
    emergency_flag: optionalText,
    expContent: z.unknown().optional(),
  })
  .passthrough();

/** emergency_flag inside expContent (an object or a JSON string), as Jiangsu regional fields travel. */
function expEmergencyFlag(exp: unknown): boolean {
  let o = exp;
  if (typeof exp === 'string' && exp.trim()) {
    try {
      o = JSON.parse(exp);
    } catch {
      return false;
    }
  }
  return !!o && typeof o === 'object' && String((o as Record<string, unknown>).emergency_flag ?? '') === '1';
}

/**
 * 2401 入院办理 → mdtrt_id. Refused when the visit could never be settled directly (card, insurance,
 * networking, an open admission elsewhere: settlement-rules §2); a missing filing is not a reason yet, it can
 * still be made before discharge settlement (补办备案).
 */
export const admit2401: TransactionDef = {
  infno: '2401',
  name: '入院办理',
  mutating: true,
  needsSignIn: true,
  run(ctx) {
    const m = parseNode(MdtrtInfo, ctx.input.mdtrtinfo, 'mdtrtinfo');
    if (!parseChinaDateTime(m.begntime)) return refuse('交易输入错误：mdtrtinfo.begntime 不是有效时间');
    if (!INPATIENT_MED_TYPES.includes(m.med_type)) return refuse(`医疗类别${m.med_type}不是住院类别`);
    if (m.mdtrt_cert_type === MDTRT_CERT_TYPE_SSCARD && !m.mdtrt_cert_no.split('|')[0]) return refuse('社会保障卡卡号为空');
    const cred = resolveCredential(ctx.world, m.mdtrt_cert_type, m.mdtrt_cert_no, m.card_sn);
    if (cred.person.psnNo !== m.psn_no) return refuse('就诊凭证与人员编号不符');
    const pn = personNow(ctx.world, ctx.state, m.psn_no)!;
    insuranceRowOf(pn, m.insutype);
    const card = cred.card ? (pn.cards.find((c) => c.cardSn === cred.card!.cardSn) ?? null) : null;

    if (ctx.state.admissions.liveByIptNo(ctx.hospital.code, m.ipt_no)) return refuse(`住院号${m.ipt_no}已办理入院`);
    const here = ctx.state.admissions.byPerson(m.psn_no).find((a) => a.fixmedins_code === ctx.hospital.code && a.status === 'in' && !ctx.state.settlements.validForVisit(a.mdtrt_id));
    if (here) return refuse(`参保人已在本院住院（就诊ID ${here.mdtrt_id}），不能重复办理入院`);

    const emergency = m.med_type === MED_TYPE_EMERGENCY_ADMISSION || m.emergency_flag === '1' || expEmergencyFlag(m.expContent);
    const v = decideForVisit(ctx, { pn, insutype: m.insutype, card, admissionDay: m.begntime.slice(0, 10), emergency });
    const blocking = v.decision.refusals.filter((r) => !CURABLE_BY_FILING.includes(r));
    if (blocking.length > 0) return refuse(refusalMessage(blocking).replace('不能直接结算', '不能办理医保入院'));

    const seq = ctx.state.counters.next('mdtrt_id');
    const mdtrtId = `${ctx.hospital.admdvs}${ctx.today.replaceAll('-', '')}${String(seq).padStart(10, '0')}`;
    const { expContent: _exp, ...rest } = m;
    ctx.state.admissions.insert({
      mdtrt_id: mdtrtId,
      psn_no: m.psn_no,
      insutype: m.insutype,
      fixmedins_code: ctx.hospital.code,
      ipt_no: m.ipt_no,
      med_type: m.med_type,
      begntime: m.begntime,
      emergency: emergency ? 1 : 0,
      status: 'in',
      endtime: null,
      mdtrt_cert_type: m.mdtrt_cert_type,
      mdtrt_cert_no: m.mdtrt_cert_no,
      detail: JSON.stringify({ mdtrtinfo: rest, diseinfo: ctx.input.diseinfo ?? [] }),
      msgid: ctx.envelope.msgid,
    });
    ctx.tookEffect({ psn_no: m.psn_no, mdtrt_id: mdtrtId, ipt_no: m.ipt_no });
    if (v.decision.refusals.length > 0) ctx.warn(`${refusalMessage(v.decision.refusals).split('。')[0]}；出院结算前补办备案后可直接结算`);
    return { result: { mdtrt_id: mdtrtId, psn_no: m.psn_no, ipt_otp_no: m.ipt_no } };
  },
};

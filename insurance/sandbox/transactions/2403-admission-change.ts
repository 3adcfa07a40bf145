import { z } from 'zod';
import { INPATIENT_MED_TYPES, MED_TYPE_EMERGENCY_ADMISSION } from '../../codes/med-type.ts';
import { parseChinaDateTime } from '../china-time.ts';
import { admissionOf, refuseIfSettled } from '../platform/admission-of.ts';
import type { TransactionDef } from '../platform/context.ts';
import { optionalText, parseNode, requiredText } from '../platform/input.ts';
import { refuse } from '../platform/refusal.ts';

const AdmInfo = z
  .object({
    mdtrt_id: requiredText,
    psn_no: requiredText,
    med_type: optionalText,
    begntime: optionalText,
    ipt_otp_no: optionalText,
    emergency_flag: optionalText,
  })
  .passthrough();

/**
 * 2403 住院信息变更: fields of an unsettled stay change (med_type, begntime, 住院号, diagnoses…). A change to
 * med_type 24 or emergency_flag 1 makes it an emergency admission for the settlement.
 */
export const admissionChange2403: TransactionDef = {
  infno: '2403',
  name: '住院信息变更',
  mutating: true,
  needsSignIn: true,
  run(ctx) {
    const d = parseNode(AdmInfo, ctx.input.adminfo, 'adminfo');
    const a = admissionOf(ctx, d.mdtrt_id, d.psn_no);
    refuseIfSettled(ctx, a.mdtrt_id, '变更住院信息');
    const changes: Parameters<typeof ctx.state.admissions.update>[1] = {};
    if (d.med_type) {
      if (!INPATIENT_MED_TYPES.includes(d.med_type)) return refuse(`医疗类别${d.med_type}不是住院类别`);
      changes.med_type = d.med_type;
    }
    if (d.begntime) {
      if (!parseChinaDateTime(d.begntime)) return refuse('交易输入错误：adminfo.begntime 不是有效时间');
      changes.begntime = d.begntime;
    }
    if (d.ipt_otp_no && d.ipt_otp_no !== a.ipt_no) {
      if (ctx.state.admissions.liveByIptNo(ctx.hospital.code, d.ipt_otp_no)) return refuse(`住院号${d.ipt_otp_no}已被使用`);
      changes.ipt_no = d.ipt_otp_no;
    }
    const medType = changes.med_type ?? a.med_type;
    // An earlier emergency that came from the flag (not from med_type 24) stays unless the flag is sent as 0.
    const flaggedBefore = a.emergency === 1 && a.med_type !== MED_TYPE_EMERGENCY_ADMISSION;
    const emergency = medType === MED_TYPE_EMERGENCY_ADMISSION || d.emergency_flag === '1' || (d.emergency_flag === '' && flaggedBefore);
    changes.emergency = emergency ? 1 : 0;
    const detail = JSON.parse(a.detail) as Record<string, unknown>;
    changes.detail = JSON.stringify({ ...detail, adminfo: d, diseinfo: ctx.input.diseinfo ?? detail.diseinfo ?? [] });
    ctx.state.admissions.update(a.mdtrt_id, changes);
    ctx.tookEffect({ psn_no: a.psn_no, mdtrt_id: a.mdtrt_id, ipt_no: changes.ipt_no ?? a.ipt_no });
    return {};
  },
};

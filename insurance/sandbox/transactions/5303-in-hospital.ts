import { z } from 'zod';
import { ageOn } from '../china-time.ts';
import type { TransactionDef } from '../platform/context.ts';
import { optionalText, parseNode } from '../platform/input.ts';
import { openAdmissions, type OpenAdmission } from '../platform/person-facts.ts';
import { refuse } from '../platform/refusal.ts';

const Data = z.object({ psn_no: optionalText, begntime: optionalText, endtime: optionalText });

/**
 * 5303 在院信息查询: open admissions of a person at any hospital (or, without psn_no, every open admission
 * at the requesting hospital) that began no later than endtime. out_flag 1 = 异地 (insured elsewhere).
 */
export const inHospital5303: TransactionDef = {
  infno: '5303',
  name: '在院信息查询',
  mutating: false,
  needsSignIn: true,
  run(ctx) {
    const d = parseNode(Data, ctx.input.data ?? {}, 'data');
    let rows: OpenAdmission[];
    if (d.psn_no) {
      if (!ctx.world.persons.has(d.psn_no)) return refuse('人员编号不存在');
      rows = openAdmissions(ctx.world, ctx.state, d.psn_no);
    } else {
      const psnNos = new Set(ctx.state.admissions.all().filter((a) => a.fixmedins_code === ctx.hospital.code).map((a) => a.psn_no));
      rows = [...psnNos].flatMap((p) => openAdmissions(ctx.world, ctx.state, p)).filter((a) => a.fixmedinsCode === ctx.hospital.code);
    }
    if (d.endtime) rows = rows.filter((a) => a.begntime <= d.endtime);
    return {
      data: rows.map((a) => {
        const p = ctx.world.persons.get(a.psnNo)!;
        const hospital = ctx.world.hospitals.get(a.fixmedinsCode);
        const insuplc = p.insurances.find((r) => r.insutype === a.insutype)?.insuplcAdmdvs ?? p.insuredArea;
        return {
          mdtrt_id: a.mdtrtId,
          psn_no: a.psnNo,
          psn_cert_type: '01',
          certno: p.certno,
          psn_name: p.name,
          gend: p.gender,
          brdy: p.birthDate,
          age: ageOn(p.birthDate, ctx.today),
          insutype: a.insutype,
          begndate: a.begntime.slice(0, 10),
          med_type: a.medType,
          ipt_otp_no: a.iptOtpNo,
          out_flag: hospital && hospital.admdvs === insuplc ? '0' : '1',
          fixmedins_code: a.fixmedinsCode,
          fixmedins_name: hospital?.name ?? '',
        };
      }),
    };
  },
};

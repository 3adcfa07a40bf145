import { z } from 'zod';
import { CARD_STAS_EXPIRED, CARD_STAS_OF_STATUS } from '../../codes/card-status.ts';
import { labelOf } from '../../codes/code-table.ts';
import { INSUTYPE } from '../../codes/insutype.ts';
import { MDTRT_CERT_TYPE_SSCARD } from '../../codes/mdtrt-cert-type.ts';
import { PSN_INSU_STAS, PSN_INSU_STAS_ACTIVE } from '../../codes/psn-insu-stas.ts';
import { ageOn } from '../china-time.ts';
import { fenToYuanNumber } from '../policy/decimal.ts';
import { inWaitingPeriod } from '../policy/direct-settlement.ts';
import type { TransactionDef } from '../platform/context.ts';
import { resolveCredential } from '../platform/credential.ts';
import { optionalText, parseNode, requiredText } from '../platform/input.ts';
import { openAdmissions, personNow, type PersonNow } from '../platform/person-facts.ts';
import { refuse } from '../platform/refusal.ts';
import type { Card } from '../world/world.ts';

const Data = z.object({
  mdtrt_cert_type: requiredText,
  mdtrt_cert_no: requiredText,
  card_sn: optionalText,
  begntime: optionalText,
  psn_cert_type: optionalText,
  certno: optionalText,
  psn_name: optionalText,
});

/**
 * 1101 人员信息获取. Card status and eligibility facts travel in the Jiangsu exp_content (a JSON string):
 * card_stas (sandbox codes, insurance/codes/card-status.ts; "" when the credential is not a card),
 * trt_chk_rslt (不享受待遇原因, "" when none), inhosp_stas (1 = an open admission anywhere).
 */
export const personInfo1101: TransactionDef = {
  infno: '1101',
  name: '人员信息获取',
  mutating: false,
  needsSignIn: true,
  run(ctx) {
    const d = parseNode(Data, ctx.input.data, 'data');
    if (d.mdtrt_cert_type === MDTRT_CERT_TYPE_SSCARD && !d.card_sn) return refuse('就诊凭证类型为03（社会保障卡）时卡识别码（card_sn）必填');
    const cred = resolveCredential(ctx.world, d.mdtrt_cert_type, d.mdtrt_cert_no, d.card_sn);
    const pn = personNow(ctx.world, ctx.state, cred.person.psnNo)!;
    const card = cred.card ? (pn.cards.find((c) => c.cardSn === cred.card!.cardSn) ?? null) : null;
    const p = pn.person;
    const exp = {
      card_stas: card ? cardStas(card, ctx.today) : '',
      trt_chk_rslt: treatmentCheckResult(pn, ctx.today),
      inhosp_stas: openAdmissions(ctx.world, ctx.state, p.psnNo).length > 0 ? '1' : '0',
      flx_emp_flag: '0',
    };
    return {
      baseinfo: {
        psn_no: p.psnNo,
        psn_cert_type: '01',
        certno: p.certno,
        psn_name: p.name,
        gend: p.gender,
        naty: p.nation,
        brdy: p.birthDate,
        age: ageOn(p.birthDate, ctx.today),
        exp_content: JSON.stringify(exp),
      },
      insuinfo: pn.insurances.map((r) => ({
        balc: fenToYuanNumber(r.balcFen),
        insutype: r.insutype,
        psn_type: r.psnType,
        psn_insu_stas: r.psnInsuStas,
        psn_insu_date: r.psnInsuDate,
        paus_insu_date: r.pausInsuDate,
        cvlserv_flag: r.cvlservFlag,
        insuplc_admdvs: r.insuplcAdmdvs,
        emp_name: r.empName,
      })),
      idetinfo: p.identities.map((i) => ({
        psn_idet_type: i.psnIdetType,
        psn_type_lv: i.psnTypeLv,
        memo: i.memo,
        begntime: i.begntime,
        endtime: i.endtime,
      })),
    };
  },
};

/** card_stas of a card on a day: its status, or 7 已过有效期 for a normal card past its 有效期. */
export function cardStas(card: Card, day: string): string {
  if (card.status === 'normal' && !card.current) return CARD_STAS_OF_STATUS.replaced;
  if (card.status === 'normal' && card.expiryDate < day) return CARD_STAS_EXPIRED;
  return CARD_STAS_OF_STATUS[card.status];
}

/** 不享受待遇原因 of every insurance row, "" when every row gives benefits today. */
export function treatmentCheckResult(pn: PersonNow, day: string): string {
  const reasons: string[] = [];
  for (const r of pn.insurances) {
    const label = labelOf(INSUTYPE, r.insutype);
    if (r.psnInsuStas !== PSN_INSU_STAS_ACTIVE) reasons.push(`${label}：${PSN_INSU_STAS[r.psnInsuStas] ?? '非正常参保'}`);
    else if (inWaitingPeriod(r.waitingPeriod, day)) reasons.push(`${label}：待遇等待期（${r.waitingPeriod!.begndate}至${r.waitingPeriod!.enddate}）`);
  }
  return reasons.join('；');
}


import { z } from 'zod';
import { labelOf } from '../../codes/code-table.ts';
import { FUND_PAY_TYPE } from '../../codes/fund-pay-type.ts';
import { INSUTYPE_EMPLOYEE } from '../../codes/insutype.ts';
import { ageOn } from '../china-time.ts';
import { sumBill, type BillTotals } from '../policy/bill.ts';
import { e4ToNumber, fenToYuanNumber } from '../policy/decimal.ts';
import { computeFunds, type FundsSplit } from '../policy/funds.ts';
import { isRetired } from '../policy/retired.ts';
import type { VisitDecision } from '../policy/decide-visit.ts';
import type { AdmissionRow } from '../state/admissions.ts';
import { admissionOf, refuseIfSettled } from './admission-of.ts';
import type { TxnContext } from './context.ts';
import { resolveCredential } from './credential.ts';
import { fenOf, optionalText, parseNode, requiredText, wireDecimal } from './input.ts';
import { personNow, type PersonNow } from './person-facts.ts';
import { refuse } from './refusal.ts';
import { decideForVisit, insuranceRowOf, refusalMessage } from './visit-decision.ts';
import { yearToDate } from './year-to-date.ts';

export const SettlementData = z
  .object({
    psn_no: requiredText,
    mdtrt_cert_type: requiredText,
    mdtrt_cert_no: requiredText,
    card_sn: optionalText,
    medfee_sumamt: wireDecimal,
    psn_setlway: requiredText,
    mdtrt_id: requiredText,
    acct_used_flag: requiredText.pipe(z.enum(['0', '1'], '应为0或1')),
    insutype: requiredText,
    invono: optionalText,
    mid_setl_flag: requiredText.pipe(z.enum(['0', '1'], '应为0或1')),
    fulamt_ownpay_amt: wireDecimal,
    overlmt_selfpay: wireDecimal,
    preselfpay_amt: wireDecimal,
    inscp_scp_amt: wireDecimal,
  })
  .passthrough();

/** A computed settlement (2303 answers it; 2304 also saves it). */
export interface ComputedSettlement {
  admission: AdmissionRow;
  pn: PersonNow;
  insuplcAdmdvs: string;
  bill: BillTotals;
  funds: FundsSplit;
  decision: VisitDecision;
  /** setlinfo without setl_id / medins_setl_id (filled in by 2304). */
  setlinfo: Record<string, unknown>;
  setldetail: Record<string, unknown>[];
}

/**
 * The settlement of a visit as 2303 and 2304 compute it: the case and refusals (settlement-rules §1–3), the
 * bill of the active uploaded lines, then the funds (§4) with the parameters of the insured place and the
 * year-to-date totals of the settlement day's year.
 */
export function computeSettlement(ctx: TxnContext): ComputedSettlement {
  const d = parseNode(SettlementData, ctx.input.data, 'data');
  const a = admissionOf(ctx, d.mdtrt_id, d.psn_no);
  refuseIfSettled(ctx, a.mdtrt_id, '再次结算');
  if (d.insutype !== a.insutype) return refuse(`险种类型${d.insutype}与入院登记的险种${a.insutype}不一致`);
  if (d.mid_setl_flag === '1') return refuse('沙箱平台不支持中途结算（mid_setl_flag=1）');

  const cred = resolveCredential(ctx.world, d.mdtrt_cert_type, d.mdtrt_cert_no, d.card_sn);
  if (cred.person.psnNo !== a.psn_no) return refuse('就诊凭证与人员编号不符');
  const pn = personNow(ctx.world, ctx.state, a.psn_no)!;
  const card = cred.card ? (pn.cards.find((c) => c.cardSn === cred.card!.cardSn) ?? null) : null;
  const insurance = insuranceRowOf(pn, a.insutype);

  const lines = ctx.state.feeLines.activeAmounts(a.mdtrt_id);
  if (lines.length === 0) return refuse('该就诊无已上传的费用明细');
  const bill = sumBill(
    lines.map((l) => ({
      amountFen: l.amount_fen,
      split: { fulamtOwnpayFen: l.fulamt_fen, overlmtSelfpayFen: l.overlmt_fen, preselfpayFen: l.preselfpay_fen, inscpFen: l.inscp_fen },
    })),
  );
  const medfee = fenOf(d.medfee_sumamt, 'data.medfee_sumamt');
  if (medfee !== bill.medfeeSumamtFen) {
    return refuse(`医疗费总额${yuan(medfee)}元与已上传费用明细合计${yuan(bill.medfeeSumamtFen)}元不符`);
  }

  const v = decideForVisit(ctx, { pn, insutype: a.insutype, card, admissionDay: a.begntime.slice(0, 10), emergency: a.emergency === 1, mdtrtId: a.mdtrt_id });
  if (v.decision.refusals.length > 0) return refuse(refusalMessage(v.decision.refusals));
  if (v.decision.reductionE4 === null) return refuse(`参保地${v.insuplcAdmdvs}参数未配置${v.decision.scope}/${v.decision.visitCase}的支付比例`);
  const rules = v.region.insutypes[a.insutype];
  if (!rules) return refuse(`参保地${v.insuplcAdmdvs}未配置险种${a.insutype}的待遇参数`);

  const year = Number(ctx.today.slice(0, 4));
  const ytd = yearToDate(ctx, pn, a.insutype, year, a.mdtrt_id);
  const p = ctx.world.parameters;
  const assisted = pn.person.identities.some(
    (i) => p.assistance.identities.includes(i.psnIdetType) && i.begntime.slice(0, 10) <= ctx.today && (i.endtime === null || ctx.today <= i.endtime.slice(0, 10)),
  );
  const funds = computeFunds({
    bill,
    rules,
    insutype: a.insutype,
    level: ctx.hospital.level,
    retired: isRetired(insurance.psnType),
    reductionE4: v.decision.reductionE4,
    earlierAdmissions: ytd.admissions,
    hifpEarlierFen: ytd.hifpFen,
    inscpBurdenEarlierFen: ytd.inscpBurdenFen,
    assistanceRatioE4: assisted ? p.assistance.ratioE4 : null,
    acctUsed: d.acct_used_flag === '1',
    balcFen: insurance.balcFen,
  });

  const person = pn.person;
  const setlinfo: Record<string, unknown> = {
    mdtrt_id: a.mdtrt_id,
    setl_id: null,
    psn_no: person.psnNo,
    psn_name: person.name,
    psn_cert_type: '01',
    certno: person.certno,
    gend: person.gender,
    naty: person.nation,
    brdy: person.birthDate,
    age: ageOn(person.birthDate, ctx.today),
    insutype: a.insutype,
    psn_type: insurance.psnType,
    cvlserv_flag: insurance.cvlservFlag,
    setl_time: ctx.nowText,
    mdtrt_cert_type: d.mdtrt_cert_type,
    med_type: a.med_type,
    medfee_sumamt: yuan(bill.medfeeSumamtFen),
    fulamt_ownpay_amt: yuan(bill.fulamtOwnpayFen),
    overlmt_selfpay: yuan(bill.overlmtSelfpayFen),
    preselfpay_amt: yuan(bill.preselfpayFen),
    inscp_scp_amt: yuan(bill.inscpFen),
    act_pay_dedc: yuan(funds.actPayDedcFen),
    hifp_pay: yuan(funds.hifpPayFen),
    pool_prop_selfpay: e4ToNumber(funds.ratioE4),
    cvlserv_pay: 0,
    hifes_pay: 0,
    hifmi_pay: yuan(funds.hifmiPayFen),
    hifob_pay: 0,
    maf_pay: yuan(funds.mafPayFen),
    oth_pay: 0,
    hifdm_pay: 0,
    fund_pay_sumamt: yuan(funds.fundPaySumamtFen),
    psn_part_amt: yuan(funds.psnPartAmtFen),
    acct_pay: yuan(funds.acctPayFen),
    psn_cash_pay: yuan(funds.psnCashPayFen),
    acct_mulaid_pay: 0,
    hosp_part_amt: 0,
    balc: yuan(funds.balcAfterFen),
    medins_setl_id: null,
    clr_optins: v.insuplcAdmdvs,
    clr_way: '1',
    clr_type: '21',
    exp_content: JSON.stringify({
      visit_scope: v.decision.scope,
      visit_case: v.decision.visitCase,
      ratio_reduction: e4ToNumber(v.decision.reductionE4),
      trt_dcla_detl_sn: v.decision.filingSn,
      dsyk_reg_id: v.decision.registrationId,
      conflicts: v.decision.conflicts.map((c) => c.text),
      insuplc_admdvs: v.insuplcAdmdvs,
      act_pay_dedc_std: yuan(funds.deductibleFen),
      // The region asks for the card PIN before 2304 (set per person through the admin endpoint).
      ...(ctx.state.overrides.pinAtSettlement(person.psnNo) ? { pwd_chk_flag: '1' } : {}),
    }),
  };
  return {
    admission: a,
    pn,
    insuplcAdmdvs: v.insuplcAdmdvs,
    bill,
    funds,
    decision: v.decision,
    setlinfo,
    setldetail: settlementDetail(a.insutype, bill, funds, rules.annualCapFen - ytd.hifpFen, v.decision),
  };
}

function yuan(fen: number): number {
  return fenToYuanNumber(fen);
}

/** setldetail: one row per fund that paid, with how it was computed (setl_proc_info). */
function settlementDetail(insutype: string, bill: BillTotals, f: FundsSplit, capLeftFen: number, d: VisitDecision): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const row = (type: string, amountFen: number, limitFen: number, info: string) =>
    rows.push({
      fund_pay_type: type,
      fund_pay_type_name: labelOf(FUND_PAY_TYPE, type),
      inscp_scp_amt: yuan(bill.inscpFen),
      crt_payb_lmt_amt: yuan(Math.max(0, limitFen)),
      fund_payamt: yuan(amountFen),
      setl_proc_info: info,
    });
  const reduction = d.reductionE4 ? `，异地就医降低${(d.reductionE4 / 100).toFixed(2).replace(/\.?0+$/, '')}个百分点` : '';
  row(
    insutype === INSUTYPE_EMPLOYEE ? '310100' : insutype === '390' ? '390100' : `${insutype}100`,
    f.hifpPayFen,
    capLeftFen,
    `起付标准${yuan(f.deductibleFen).toFixed(2)}元，实际起付${yuan(f.actPayDedcFen).toFixed(2)}元，支付比例${(f.ratioE4 / 100).toFixed(2).replace(/\.?0+$/, '')}%${reduction}`,
  );
  if (f.hifmiPayFen > 0) row('390200', f.hifmiPayFen, f.hifmiPayFen, '居民大病保险，超过起付线部分按比例支付');
  if (f.mafPayFen > 0) row('610100', f.mafPayFen, f.mafPayFen, '医疗救助，按政策范围内剩余个人负担的比例支付');
  if (f.acctPayFen > 0) row('310200', f.acctPayFen, f.acctPayFen + f.balcAfterFen, '个人账户支付');
  return rows;
}

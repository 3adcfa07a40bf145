import type { Refused, Waiting } from '../../contract/dto/common.ts';
import { KioskError } from '../../contract/errors.ts';
import type { PreSettleOutcome, SettlementBreakdown } from '../../contract/dto/settlement.ts';
import type { Admission } from '../../db/repositories/admissions.ts';
import { err, ok, type Result } from '../../base/result.ts';
import { toKioskError } from '../../insurance/client/kiosk-errors.ts';
import { PreSettle2303 } from '../../insurance/client/transactions/settlement.ts';
import { admissionOrThrow } from '../charges/charges-service.ts';
import { formatYuan as yuan } from '../charges/decimal.ts';
import { chinaTime } from '../../base/china-time.ts';
import { billTotals, settlementRequest, type BillTotals } from './bill.ts';
import type { Steps } from './deps.ts';
import { platformAsksPin } from './pin.ts';
import { prepare } from './prepare.ts';
import { needsPlatform, refused } from './outcomes.ts';
import { heldFen } from '../money/stay-figures.ts';

const PRESETTLED = 'discharge.presettled';

export interface PreSettled {
  breakdown: SettlementBreakdown;
  pinRequired: boolean;
  bill: BillTotals;
}

/** 2303 now, live, for the stay as it is on disk; the split with 多退少补 against what the hospital holds. */
export async function preSettle2303(d: Steps, adm: Admission): Promise<Result<PreSettled, Waiting | Refused>> {
  const bill = billTotals(d.store, adm.iptNo);
  if (bill.lineCount === 0) return err(refused('stay', `住院号 ${adm.iptNo} 没有已上传的费用明细，无法结算。`, ['请先导入或录入费用并上传。']));
  const request = settlementRequest(d.store, adm, bill);
  let reply;
  try {
    reply = await d.platform.call(
      { infno: PreSettle2303.infno, input: PreSettle2303.encode(request), insuplc_admdvs: adm.insuplcAdmdvs, visitKey: adm.iptNo, operator: d.operators.current() },
      PreSettle2303.output,
    );
  } catch (e) {
    const k = toKioskError(e);
    if (k.code === 'PLATFORM_OFFLINE') return err(needsPlatform('出院预结算'));
    if (k.code === 'PLATFORM_REFUSED') return err(refused('platform', k.message, k.guidance));
    throw k;
  }
  const info = reply.output.setlinfo;
  if (info.medfee_sumamt !== bill.medfeeSumamtFen) {
    return err(
      refused('platform', `医保平台的医疗费总额（${yuan(info.medfee_sumamt)}元）与本机已上传明细合计（${yuan(bill.medfeeSumamtFen)}元）不一致。`, [
        '可能有明细撤销（2302）或上传尚未完成，请刷新费用并重新预结算。',
        '仍不一致时请联系信息科用费用明细查询（5204）核对。',
      ]),
    );
  }
  const held = heldFen(d.store, adm.iptNo);
  const breakdown: SettlementBreakdown = {
    medfeeSumamtFen: info.medfee_sumamt,
    fulamtOwnpayFen: info.fulamt_ownpay_amt,
    overlmtSelfpayFen: info.overlmt_selfpay,
    preselfpayFen: info.preselfpay_amt,
    inscpScpFen: info.inscp_scp_amt,
    actPayDedcFen: info.act_pay_dedc,
    hifpPayFen: info.hifp_pay,
    hifmiPayFen: info.hifmi_pay,
    mafPayFen: info.maf_pay,
    fundPaySumamtFen: info.fund_pay_sumamt,
    acctPayFen: info.acct_pay,
    psnCashPayFen: info.psn_cash_pay,
    depositFen: held,
    dueFen: info.psn_cash_pay - held,
  };
  return ok({ breakdown, pinRequired: platformAsksPin(reply.raw), bill });
}

/** What the patient confirmed last: the breakdown recorded at the last preSettle. */
export function confirmed(d: Steps, iptNo: string): { breakdown: SettlementBreakdown; pinRequired: boolean } | null {
  const e = d.store.audit.latest(`admission:${iptNo}`, PRESETTLED);
  if (!e) return null;
  return { breakdown: e.detail.breakdown as SettlementBreakdown, pinRequired: e.detail.pinRequired === true };
}

/** A bill with no line: nothing to settle, and no 出院登记 (2402) that would fail on the platform. */
function assertHasCharges(d: Steps, adm: Admission): void {
  if (d.store.feeLines.anyInBill(adm.iptNo)) return;
  throw new KioskError('CHARGES_MISSING', `住院号 ${adm.iptNo} 尚无费用明细，未办理出院登记。`, ['请先导入 HIS 费用文件或录入费用，再预结算。']);
}

/** discharge.preSettle: everything up to 2402, then 2303; the breakdown shown is recorded as what is confirmed. */
export async function preSettle(d: Steps, args: { admissionId: string; dischargeDiagnosisCode?: string | undefined }): Promise<PreSettleOutcome> {
  const { store } = d;
  const adm0 = admissionOrThrow(store, args.admissionId);
  if (adm0.status === 'settled') throw new KioskError('ADMISSION_STATE', `住院号 ${adm0.iptNo} 已结算。`, ['可在结算记录中补打结算单；如需重新结算，请由主管先撤销结算。']);
  if (store.settlements.liveFor(adm0.iptNo)?.status === 'pending') {
    return { outcome: 'settlement-in-progress', message: `住院号 ${adm0.iptNo} 的结算正在进行中。`, guidance: ['请用下方的“继续结算”完成它（不会重复结算），不要重新预结算。'] };
  }
  assertHasCharges(d, adm0);
  const prepared = await prepare(d, adm0, args.dischargeDiagnosisCode);
  if (!prepared.ok) return prepared.error;
  const adm = prepared.value;
  const now = await preSettle2303(d, adm);
  if (!now.ok) return now.error;
  const pre = now.value;
  const computedAt = chinaTime(d.clock.now()).dateTime;
  store.write((tx) =>
    store.audit.append(tx, {
      actor: `opter:${d.opterNo()}`,
      action: PRESETTLED,
      subject: `admission:${adm.iptNo}`,
      detail: { breakdown: pre.breakdown, pinRequired: pre.pinRequired, lines: pre.bill.lineCount },
    }),
  );
  await d.step('presettled', adm.iptNo);
  const refusedLines = store.feeLines
    .inState(adm.iptNo, 'refused')
    .map((l) => ({ feedetlSn: l.feedetlSn, reason: l.refusal ?? '医保平台拒收' }));
  return { outcome: 'presettled', preSettlement: { admissionId: adm.iptNo, breakdown: pre.breakdown, pinRequired: pre.pinRequired, refusedLines, computedAt } };
}

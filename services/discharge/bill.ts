import { KioskError } from '../../contract/errors.ts';
import type { Store } from '../../db/store.ts';
import type { Admission } from '../../db/repositories/admissions.ts';
import { fenToYuan, type Fen } from '../../base/fen.ts';
import type { SettlementInput } from '../../insurance/client/transactions/settlement.ts';

/**
 * The bill a settlement is asked for: the sums of the platform's 2301 split of every accepted line
 * (nhsa-interface.md §2: 2303/2304 amounts = sums of the line results). Refused and cancelled lines are not
 * part of it. settlement-rules §4 invariant: medfee = fulamt_ownpay + overlmt_selfpay + preselfpay + inscp.
 */
export interface BillTotals {
  medfeeSumamtFen: number;
  fulamtOwnpayFen: number;
  overlmtSelfpayFen: number;
  preselfpayFen: number;
  inscpScpFen: number;
  lineCount: number;
}

export function billTotals(store: Store, iptNo: string): BillTotals {
  // Summed in SQL (integer fen, exact): a discharge asks twice, and reading 500 lines each time was not free.
  const t: BillTotals = { ...store.feeLines.uploadedSums(iptNo) };
  const parts = t.fulamtOwnpayFen + t.overlmtSelfpayFen + t.preselfpayFen + t.inscpScpFen;
  if (parts !== t.medfeeSumamtFen) {
    throw new KioskError('INTERNAL', '费用明细的医保分割与总额不符，不能结算。', [`明细合计 ${fenToYuan(t.medfeeSumamtFen)} 元，分割合计 ${fenToYuan(parts)} 元。`, '请联系信息科核对费用上传结果（5204）。']);
  }
  return t;
}

/** How the patient is identified to the platform: the credential of the eligibility check the stay rests on. */
export function credentialOf(store: Store, adm: Admission): { mdtrt_cert_type: string; mdtrt_cert_no: string } {
  const snap = adm.checkId ? store.eligibility.get(adm.checkId) : null;
  if (snap) return { mdtrt_cert_type: snap.mdtrtCertType, mdtrt_cert_no: snap.mdtrtCertNo };
  const person = store.persons.get(adm.psnNo);
  if (person?.certno) return { mdtrt_cert_type: '02', mdtrt_cert_no: person.certno };
  throw new KioskError('ADMISSION_STATE', '找不到该患者的就诊凭证信息，无法结算。', ['请重新读卡或扫码核验身份后再结算。']);
}

/** The 2304 input of a stay: the client's SettlementInput, never a mid-stay (中途) settlement. */
export type SettlementRequest = SettlementInput & { mid_setl_flag: '0' };

export function settlementRequest(store: Store, adm: Admission, bill: BillTotals): SettlementRequest {
  if (!adm.mdtrtId) throw new Error('settlementRequest needs the mdtrt_id');
  return {
    psn_no: adm.psnNo,
    ...credentialOf(store, adm),
    medfee_sumamt: bill.medfeeSumamtFen as Fen,
    fulamt_ownpay_amt: bill.fulamtOwnpayFen as Fen,
    overlmt_selfpay: bill.overlmtSelfpayFen as Fen,
    preselfpay_amt: bill.preselfpayFen as Fen,
    inscp_scp_amt: bill.inscpScpFen as Fen,
    psn_setlway: '01',
    mdtrt_id: adm.mdtrtId,
    acct_used_flag: adm.insutype === '310' ? '1' : '0',
    insutype: adm.insutype,
    mid_setl_flag: '0',
    ...(adm.endtime ? { dscgTime: adm.endtime } : {}),
  };
}

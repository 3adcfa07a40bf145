import { maskCertNo, maskName } from '../../contract/mask.ts';
import type { SettlementBreakdown } from '../../contract/dto/settlement.ts';

/**
 * Everything a printed document says, gathered from the store (gather.ts) and handed to the pure renderers.
 * Amounts are integer fen. Personal fields are raw here; `forAudience` masks them for the audience.
 */
export interface HospitalFacts {
  code: string;
  name: string;
  level: 1 | 2 | 3;
  admdvs: string;
  admdvsName: string;
}

export interface PatientFacts {
  name: string;
  /** 1 男, 2 女, 9 未说明. */
  gender: string;
  age: number | null;
  /** 社会保障号码 / 证件号码. */
  certno: string;
  psnNo: string;
  insuplcAdmdvs: string;
  insuplcName: string;
  insutype: string;
  insutypeLabel: string;
  psnTypeLabel: string | null;
}

export interface VisitFacts {
  iptNo: string;
  mdtrtId: string | null;
  admissionType: 'normal' | 'emergency';
  medTypeLabel: string;
  deptName: string;
  ward: string;
  bed: string;
  doctorName: string;
  begntime: string;
  endtime: string | null;
  /** 住院天数: discharge day − admission day, at least 1. */
  days: number | null;
  diagnoses: Array<{ code: string; name: string; main: boolean }>;
}

export interface FeeLineFacts {
  feedetlSn: string;
  code: string;
  name: string;
  chrgitmType: string;
  chrgitmLabel: string;
  levelLabel: string;
  cnt: string;
  unit: string;
  pricFen: number;
  amountFen: number;
  feeOcurTime: string;
  state: 'local' | 'uploaded' | 'refused' | 'cancelled';
  refusal: string | null;
  /** The platform's split of the line (2301 result), when uploaded. */
  fulamtOwnpayFen: number | null;
  overlmtSelfpayFen: number | null;
  preselfpayFen: number | null;
  inscpScpFen: number | null;
}

export interface SettlementFacts {
  settlementId: string;
  setlId: string;
  /** medins_setl_id = the 2304 msgid. */
  msgid: string;
  setlTime: string;
  status: 'settled' | 'reversed';
  breakdown: SettlementBreakdown;
  /** 本次起付标准 (act_pay_dedc) is in the breakdown; this is the account balance after settlement. */
  balcFen: number | null;
  clrTypeLabel: string | null;
  reversalReason: string | null;
  /** 少补: what was collected toward the settlement's 应补 and what is still due (待补缴); null when nothing was due. */
  balance: BalanceFacts | null;
}

export interface BalanceFacts {
  dueFen: number;
  paidFen: number;
  outstandingFen: number;
  paid: Array<{ receiptNo: string; methodLabel: string; amountFen: number; tradeNo: string | null }>;
}

export interface DepositFacts {
  receiptNo: string;
  kind: 'deposit' | 'balance-due';
  amountFen: number;
  methodLabel: string;
  /** Through the payment gateway: its channel's transaction number (支付宝交易号) and the order (商户订单号). */
  gatewayTradeNo: string | null;
  /** A bank-card POS payment at the counter: the POS slip's 参考号. */
  posReference: string | null;
  /** Cash at the counter: the amount handed over (找零 = tendered − amount). */
  tenderedFen: number | null;
  receivedAt: string;
}

export interface DocumentFacts {
  hospital: HospitalFacts;
  patient: PatientFacts;
  visit: VisitFacts;
  lines: FeeLineFacts[];
  deposits: DepositFacts[];
  settlement: SettlementFacts | null;
  terminalName: string;
  printedAt: string;
}

/**
 * Who will see the document:
 * - `screen`: anything that crosses the KioskApi (preview HTML, PDF for download). Name and numbers masked,
 *   like every kiosk screen (张*三, 3202**********1234).
 * - `paper`: printed and handed to the patient. The name in full (the patient's own 结算单, needed for a
 *   claim or a 零星报销), every ID and card number still masked: paper is left on counters and in bins, and
 *   the 医保 number (psn_no) and 住院号 identify the record without them.
 */
export type Audience = 'screen' | 'paper';

export function forAudience(facts: DocumentFacts, audience: Audience): DocumentFacts {
  const name = audience === 'screen' ? maskName(facts.patient.name) : facts.patient.name;
  return { ...facts, patient: { ...facts.patient, name, certno: maskCertNo(facts.patient.certno) } };
}

export const GENDER: Record<string, string> = { '1': '男', '2': '女', '9': '未说明' };

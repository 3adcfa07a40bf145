import { KioskError } from '../../contract/errors.ts';
import type { SettlementBreakdown } from '../../contract/dto/settlement.ts';
import type { Store } from '../../db/store.ts';
import type { Admission } from '../../db/repositories/admissions.ts';
import type { Settlement } from '../../db/repositories/settlements.ts';
import { ADMDVS, CHRGITM_LV, INSUTYPE, MED_CHRGITM_TYPE, MED_TYPE, PSN_TYPE, labelOf } from '../../insurance/codes/index.ts';
import { Discharge2402, sentDiagnoses } from '../../insurance/client/transactions/admission.ts';
import { storedSetlinfo } from '../../insurance/client/transactions/settlement.ts';
import type { TerminalConfig } from '../config/schema.ts';
import { chinaTime } from '../../base/china-time.ts';
import type { Names } from '../charges/fee-upload.ts';
import type { Catalogue } from '../charges/catalogue.ts';
import type { BalanceFacts, DocumentFacts, PatientFacts } from './facts.ts';
import { balanceDueOf } from '../payments/balance-due.ts';

const METHOD: Record<string, string> = { cash: '现金', 'bank-card': '银行卡', wechat: '微信支付', alipay: '支付宝' };

/** Clearing categories (clr_type) the sandbox uses; others print as their code. */
const CLR_TYPE: Record<string, string> = { '11': '门诊', '21': '住院' };

function obj(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
function text(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
}

/** The breakdown shown on screens and printed, from a stored settlement. */
export function breakdownOf(s: Settlement): SettlementBreakdown {
  return {
    medfeeSumamtFen: s.medfeeSumamtFen,
    fulamtOwnpayFen: s.fulamtOwnpayAmtFen,
    overlmtSelfpayFen: s.overlmtSelfpayFen,
    preselfpayFen: s.preselfpayAmtFen,
    inscpScpFen: s.inscpScpAmtFen,
    actPayDedcFen: s.actPayDedcFen,
    hifpPayFen: s.hifpPayFen,
    hifmiPayFen: s.hifmiPayFen,
    mafPayFen: s.mafPayFen,
    fundPaySumamtFen: s.fundPaySumamtFen,
    acctPayFen: s.acctPayFen,
    psnCashPayFen: s.psnCashPayFen,
    depositFen: s.depositFen,
    dueFen: s.dueFen,
  };
}

/** 少补 of a settlement as printed: the due, each collection with its channel and number, what is still due. */
function balanceFacts(store: Store, s: Settlement): BalanceFacts | null {
  if (s.dueFen <= 0) return null;
  const b = balanceDueOf(store, s.iptNo);
  const live = b && b.settlement.id === s.id ? b : null;
  const paid = store.payments.forSettlement(s.id).filter((o) => o.state === 'applied');
  return {
    dueFen: s.dueFen,
    paidFen: live?.paidFen ?? paid.reduce((n, o) => n + o.amountFen, 0),
    // A reversed settlement owes nothing any more (its successor, if any, has its own balance).
    outstandingFen: live?.outstandingFen ?? 0,
    paid: paid.map((o) => ({ receiptNo: o.outTradeNo, methodLabel: METHOD[o.channel] ?? o.channel, amountFen: o.amountFen, tradeNo: o.tradeNo })),
  };
}

/** 住院天数: calendar days from admission to discharge (China dates), at least 1. */
export function stayDays(begntime: string, endtime: string | null): number | null {
  if (!endtime) return null;
  const d = (s: string) => Date.parse(`${s.slice(0, 10)}T00:00:00Z`);
  return Math.max(1, Math.round((d(endtime) - d(begntime)) / 86_400_000));
}

function ageAt(birth: string | null, at: string): number | null {
  if (!birth || !/^\d{4}-\d{2}-\d{2}/.test(birth)) return null;
  let age = Number(at.slice(0, 4)) - Number(birth.slice(0, 4));
  if (at.slice(5, 10) < birth.slice(5, 10)) age--;
  return age >= 0 ? age : null;
}

/** The person as the platform described them (1101), from the cache kept at admission. */
export function patientFacts(store: Store, adm: Admission, atDay: string): PatientFacts {
  const cached = store.persons.get(adm.psnNo);
  const info = obj(cached?.info);
  const base = obj(info.baseinfo);
  const insu = (Array.isArray(info.insuinfo) ? info.insuinfo.map(obj) : []).find((r) => text(r.insutype) === adm.insutype);
  const psnType = text(insu?.psn_type);
  const age = text(base.age);
  return {
    name: cached?.psnName ?? text(base.psn_name) ?? '',
    gender: text(base.gend) ?? '9',
    age: ageAt(text(base.brdy), atDay) ?? (age !== null && Number.isFinite(Number(age)) ? Math.floor(Number(age)) : null),
    certno: cached?.certno ?? text(base.certno) ?? '',
    psnNo: adm.psnNo,
    insuplcAdmdvs: adm.insuplcAdmdvs,
    insuplcName: labelOf(ADMDVS, adm.insuplcAdmdvs),
    insutype: adm.insutype,
    insutypeLabel: labelOf(INSUTYPE, adm.insutype),
    psnTypeLabel: psnType ? labelOf(PSN_TYPE, psnType) : null,
  };
}

/** Diagnoses of the stay: the discharge diagnoses sent with 2402 when there are any, else the admission's. */
export function diagnosesOf(store: Store, adm: Admission): Array<{ code: string; name: string; main: boolean }> {
  const d2402 = store.outbox
    .listByVisit(adm.iptNo)
    .filter((i) => i.infno === Discharge2402.infno && i.state !== 'cancelled')
    .at(-1);
  const fromDischarge = sentDiagnoses(d2402?.input)
    .map((d) => ({ code: d.diag_code, name: d.diag_name, main: d.maindiag_flag === '1' }))
    .filter((d) => d.code !== '');
  return fromDischarge.length > 0 ? fromDischarge : [{ code: adm.diagCode, name: adm.diagName, main: true }];
}

export interface GatherOptions {
  store: Store;
  config: TerminalConfig;
  catalogue: Catalogue;
  names: Names;
  now: Date;
}

export function gatherFacts(o: GatherOptions, ref: { admissionId?: string; settlementId?: string }): DocumentFacts {
  const { store, config } = o;
  let settlement: Settlement | null = null;
  if (ref.settlementId !== undefined) {
    const id = Number(ref.settlementId);
    settlement = Number.isSafeInteger(id) ? store.settlements.get(id) : null;
    if (!settlement || (settlement.status !== 'settled' && settlement.status !== 'reversed')) {
      throw new KioskError('SETTLEMENT_NOT_FOUND', `未找到结算记录 ${ref.settlementId}。`, ['请从结算列表中选择。']);
    }
  }
  const iptNo = ref.admissionId ?? settlement?.iptNo;
  if (!iptNo) throw new KioskError('INVALID_ARGUMENT', '请指定住院号或结算记录。', []);
  const adm = store.admissions.get(iptNo);
  if (!adm) throw new KioskError('ADMISSION_NOT_FOUND', `未找到住院号为 ${iptNo} 的入院登记。`, ['请核对住院号。']);
  if (settlement && settlement.iptNo !== adm.iptNo) throw new KioskError('INVALID_ARGUMENT', '结算记录与住院号不一致。', []);
  const now = chinaTime(o.now);
  const clrType = storedSetlinfo(settlement?.output)?.clr_type ?? null;
  return {
    hospital: { code: config.hospital.code, name: config.hospital.name, level: config.hospital.level, admdvs: config.hospital.admdvs, admdvsName: labelOf(ADMDVS, config.hospital.admdvs) },
    patient: patientFacts(store, adm, now.day),
    visit: {
      iptNo: adm.iptNo,
      mdtrtId: adm.mdtrtId,
      admissionType: adm.admissionType,
      medTypeLabel: labelOf(MED_TYPE, adm.medType),
      deptName: adm.deptName,
      ward: o.names.wardName(adm.deptCode, adm.ward) ?? adm.ward,
      bed: adm.bed,
      doctorName: adm.chfpdrName,
      begntime: adm.begntime,
      endtime: adm.endtime,
      days: stayDays(adm.begntime, adm.endtime),
      diagnoses: diagnosesOf(store, adm),
    },
    lines: store.feeLines.byVisit(adm.iptNo).map((l) => ({
      feedetlSn: l.feedetlSn,
      code: l.medListCodg,
      name: l.name,
      chrgitmType: l.chrgitmType,
      chrgitmLabel: labelOf(MED_CHRGITM_TYPE, l.chrgitmType),
      levelLabel: l.chrgitmLv ? labelOf(CHRGITM_LV, l.chrgitmLv) : '目录外',
      cnt: l.cnt,
      unit: o.catalogue.get(l.medListCodg)?.unit ?? '',
      pricFen: l.pricFen,
      amountFen: l.detItemFeeSumamtFen,
      feeOcurTime: l.feeOcurTime,
      state: l.state,
      refusal: l.refusal,
      fulamtOwnpayFen: l.fulamtOwnpayFen,
      overlmtSelfpayFen: l.overlmtSelfpayFen,
      preselfpayFen: l.preselfpayFen,
      inscpScpFen: l.inscpScpFen,
    })),
    deposits: store.money.deposits(adm.iptNo).map((d) => {
      const order = store.payments.get(d.receiptNo);
      return {
        receiptNo: d.receiptNo,
        kind: d.kind,
        amountFen: d.amountFen,
        methodLabel: METHOD[d.method] ?? d.method,
        gatewayTradeNo: order?.channel === 'alipay' ? order.tradeNo : null,
        posReference: order?.channel === 'bank-card' ? order.tradeNo : null,
        tenderedFen: order?.tenderedFen ?? null,
        receivedAt: chinaTime(new Date(d.receivedAt)).dateTime,
      };
    }),
    settlement: settlement
      ? {
          settlementId: String(settlement.id),
          setlId: settlement.setlId ?? '',
          msgid: settlement.msgid ?? '',
          setlTime: settlement.setlTime ?? chinaTime(new Date(settlement.updatedAt)).dateTime,
          status: settlement.status === 'reversed' ? 'reversed' : 'settled',
          breakdown: breakdownOf(settlement),
          balcFen: settlement.balcFen,
          clrTypeLabel: clrType ? (CLR_TYPE[clrType] ?? clrType) : null,
          reversalReason: settlement.reversalReason,
          balance: balanceFacts(store, settlement),
        }
      : null,
    terminalName: config.terminal.name,
    printedAt: now.dateTime,
  };
}

import type { Cert, DemoPerson, Reply, Wire } from './wire.ts';

/** Inpatient steps over the wire for tests: admit, upload, settle. */

let ipt = 0;

export function admissionInput(p: DemoPerson, cert: Cert, o: { begntime?: string; medType?: string; iptNo?: string; emergencyFlag?: string } = {}) {
  return {
    mdtrtinfo: {
      psn_no: p.psnNo,
      insutype: p.insutype,
      coner_name: '',
      tel: '',
      begntime: o.begntime ?? '2026-11-18 09:30:00',
      mdtrt_cert_type: cert.type,
      mdtrt_cert_no: cert.no,
      ...(cert.cardSn ? { card_sn: cert.cardSn } : {}),
      med_type: o.medType ?? '21',
      ipt_no: o.iptNo ?? `ZY2026${String(++ipt).padStart(6, '0')}`,
      medrcdno: '',
      atddr_no: 'D0301',
      chfpdr_name: '李主任',
      adm_diag_dscr: '胆囊结石伴胆囊炎',
      adm_dept_codg: 'A03.04',
      adm_dept_name: '普外科',
      adm_bed: '12床',
      dscg_maindiag_code: 'K80.100',
      dscg_maindiag_name: '胆囊结石伴慢性胆囊炎',
      main_cond_dscr: '',
      ...(o.emergencyFlag !== undefined ? { emergency_flag: o.emergencyFlag } : {}),
    },
    diseinfo: [
      {
        psn_no: p.psnNo,
        diag_type: '1',
        maindiag_flag: '1',
        diag_srt_no: 1,
        diag_code: 'K80.100',
        diag_name: '胆囊结石伴慢性胆囊炎',
        adm_cond: '',
        diag_dept: '普外科',
        dise_dor_no: 'D0301',
        dise_dor_name: '李主任',
        diag_time: '2026-11-18 09:30:00',
      },
    ],
  };
}

export async function admit(w: Wire, p: DemoPerson, cert: Cert, o: Parameters<typeof admissionInput>[2] = {}): Promise<Reply> {
  return w.send('2401', admissionInput(p, cert, o), { insuplc: p.insuplc });
}

export async function admitOk(w: Wire, p: DemoPerson, cert: Cert, o: Parameters<typeof admissionInput>[2] = {}): Promise<string> {
  const r = await admit(w, p, cert, o);
  if (r.body?.infcode !== 0) throw new Error(`2401 for ${p.key} failed: ${r.text}`);
  return r.body.output.result.mdtrt_id as string;
}

export interface LineSpec {
  sn: string;
  codg: string;
  pric: string;
  cnt: string;
  amount: string;
  initSn?: string;
}

export function feeLine(p: DemoPerson, mdtrtId: string, l: LineSpec): Record<string, unknown> {
  return {
    feedetl_sn: l.sn,
    init_feedetl_sn: l.initSn ?? '',
    mdtrt_id: mdtrtId,
    drord_no: '',
    psn_no: p.psnNo,
    med_type: '21',
    fee_ocur_time: '2026-11-19 08:00:00',
    med_list_codg: l.codg,
    medins_list_codg: `HIS-${l.codg}`,
    det_item_fee_sumamt: l.amount,
    cnt: l.cnt,
    pric: l.pric,
    bilg_dept_codg: 'A03.04',
    bilg_dept_name: '普外科',
    bilg_dr_codg: 'D0301',
    bilg_dr_name: '李主任',
    hosp_appr_flag: '1',
  };
}

/**
 * The standard bill of the settlement tests (default world catalogue; attributes checked in
 * settlement-flow.test.ts). Per line, in fen:
 *  1 普通病房床位费 甲 ceiling 36.00: 30 × 10 = 30000; ceiling 36000 → over 0; inscp 30000
 *  2 重症监护病房床位费 甲 ceiling 135.00: 180 × 2 = 36000; ceiling 27000 → over 9000; inscp 27000
 *  3 腹腔镜胆囊切除术 甲 ceiling 1680.00: 2800 × 1 = 280000; ceiling 168000 → over 112000; inscp 168000
 *  4 肾功能（4项） 乙 default 0.10: 40 × 3 = 12000; pre 1200; inscp 10800
 *  5 乙肝两对半定量 乙 own 0.05: 90 × 1 = 9000; pre 450; inscp 8550
 *  6 降钙素原 丙: 150 × 2 = 30000 → 全自费 30000
 *  7 not in the catalogue: 55.5 × 2 = 11100 → 全自费 11100
 *  8 骨折切开复位内固定术 乙 ceiling 2400.00 own 0.15: 3000 × 1 = 300000; over 60000; base 240000; pre 36000; inscp 204000
 * medfee 708100 = 全自费 41100 + 超限价 181000 + 先行自付 37650 + 在范围 448350 (7081.00 = 411.00 + 1810.00 + 376.50 + 4483.50)
 */
export const STANDARD_BILL: LineSpec[] = [
  { sn: 'L1', codg: '0010001941077', pric: '30', cnt: '10', amount: '300.00' },
  { sn: 'L2', codg: '0010004771707', pric: '180', cnt: '2', amount: '360.00' },
  { sn: 'L3', codg: '0060002047307', pric: '2800', cnt: '1', amount: '2800.00' },
  { sn: 'L4', codg: '0040005976035', pric: '40', cnt: '3', amount: '120.00' },
  { sn: 'L5', codg: '0040019744162', pric: '90', cnt: '1', amount: '90.00' },
  { sn: 'L6', codg: '0040013662137', pric: '150', cnt: '2', amount: '300.00' },
  { sn: 'L7', codg: 'HIS-ONLY-0007', pric: '55.5', cnt: '2', amount: '111.00' },
  { sn: 'L8', codg: '0060018538251', pric: '3000', cnt: '1', amount: '3000.00' },
];
export const STANDARD_MEDFEE = 7081.0;

export async function upload(w: Wire, p: DemoPerson, mdtrtId: string, lines: LineSpec[] = STANDARD_BILL, msgid?: string): Promise<Reply> {
  return w.send('2301', { feedetail: lines.map((l) => feeLine(p, mdtrtId, l)) }, { insuplc: p.insuplc, ...(msgid ? { msgid } : {}) });
}

export function settlementInput(p: DemoPerson, mdtrtId: string, cert: Cert, o: { medfee?: number | string; acct?: '0' | '1' } = {}) {
  return {
    data: {
      psn_no: p.psnNo,
      mdtrt_cert_type: cert.type,
      mdtrt_cert_no: cert.no,
      ...(cert.cardSn ? { card_sn: cert.cardSn } : {}),
      medfee_sumamt: o.medfee ?? STANDARD_MEDFEE,
      psn_setlway: '01',
      mdtrt_id: mdtrtId,
      acct_used_flag: o.acct ?? '0',
      insutype: p.insutype,
      invono: '',
      mid_setl_flag: '0',
      fulamt_ownpay_amt: 411.0,
      overlmt_selfpay: 1810.0,
      preselfpay_amt: 376.5,
      inscp_scp_amt: 4483.5,
      dscgTime: '2026-11-20 09:00:00',
    },
  };
}

export async function preSettle(w: Wire, p: DemoPerson, mdtrtId: string, cert: Cert, o: Parameters<typeof settlementInput>[3] = {}): Promise<Reply> {
  return w.send('2303', settlementInput(p, mdtrtId, cert, o), { insuplc: p.insuplc });
}

export async function settle(w: Wire, p: DemoPerson, mdtrtId: string, cert: Cert, o: Parameters<typeof settlementInput>[3] & { msgid?: string } = {}): Promise<Reply> {
  return w.send('2304', settlementInput(p, mdtrtId, cert, o), { insuplc: p.insuplc, ...(o.msgid ? { msgid: o.msgid } : {}) });
}

/** Admit (by card unless told), upload the standard bill: the visit ready for 2303/2304. */
export async function readyVisit(w: Wire, p: DemoPerson, cert: Cert, o: Parameters<typeof admissionInput>[2] = {}): Promise<string> {
  const mdtrtId = await admitOk(w, p, cert, o);
  const up = await upload(w, p, mdtrtId);
  if (up.body?.infcode !== 0 || up.body.output.refused.length > 0) throw new Error(`2301 failed: ${up.text}`);
  return mdtrtId;
}

/** Deletes the visit's lines (2302 "0000") and cancels the admission (2404), so the person can be admitted again. */
export async function closeVisit(w: Wire, p: DemoPerson, mdtrtId: string): Promise<void> {
  const d = await w.send('2302', { data: { feedetl_sn: '0000', mdtrt_id: mdtrtId, psn_no: p.psnNo } }, { insuplc: p.insuplc });
  if (d.body?.infcode !== 0) throw new Error(`2302 failed: ${d.text}`);
  const c = await w.send('2404', { data: { mdtrt_id: mdtrtId, psn_no: p.psnNo } }, { insuplc: p.insuplc });
  if (c.body?.infcode !== 0) throw new Error(`2404 failed: ${c.text}`);
}

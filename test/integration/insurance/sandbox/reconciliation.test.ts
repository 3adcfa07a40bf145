import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../../../../insurance/sandbox/testing.ts';
import { byCard, DEMO, person, Wire } from './wire.ts';
import { readyVisit, settle } from './visit.ts';

// 3201 / 3202 against a day with two settlements, a refund (2305) and a settlement erased by 2601.
// Amounts from settlement-flow: local employee with account: medfee 7081.00, fund 3109.48, acct 3971.52;
// local resident: medfee 7081.00, fund 2394.28, acct 0.

let sb: TestSandbox;
let w: Wire;
const emp = person('local-employee');
const res = person('local-resident');
let empSetl: { setl_id: string; msgid: string; mdtrt_id: string };
let resSetl: { setl_id: string; msgid: string; mdtrt_id: string };
let refundSetlId: string;
let refundMsgid: string;

beforeAll(async () => {
  sb = await startTestSandbox();
  w = new Wire(sb.url, DEMO);
  await w.signIn();
  const m1 = await readyVisit(w, emp, byCard(emp));
  const s1 = await settle(w, emp, m1, byCard(emp), { acct: '1' });
  empSetl = { setl_id: s1.body.output.setlinfo.setl_id, msgid: s1.msgid, mdtrt_id: m1 };
  const m2 = await readyVisit(w, res, byCard(res));
  const s2 = await settle(w, res, m2, byCard(res));
  resSetl = { setl_id: s2.body.output.setlinfo.setl_id, msgid: s2.msgid, mdtrt_id: m2 };
  const c = await w.send('2305', { data: { mdtrt_id: m2, setl_id: resSetl.setl_id, psn_no: res.psnNo } }, { insuplc: res.insuplc });
  refundSetlId = c.body.output.setlinfo.setl_id;
  refundMsgid = c.msgid;
  const ret = person('retired-employee');
  const m3 = await readyVisit(w, ret, byCard(ret));
  const s3 = await settle(w, ret, m3, byCard(ret));
  await w.send('2601', { data: { psn_no: ret.psnNo, omsgid: s3.msgid, oinfno: '2304' } }, { insuplc: ret.insuplc });
});
afterAll(async () => {
  await sb?.close();
});

const totals = (insutype: string, medfee: number, fund: number, acct: number, cnt: number) => ({
  data: {
    insutype,
    clr_type: '21',
    setl_optins: '320200',
    stmt_begndate: '2026-11-20',
    stmt_enddate: '2026-11-20',
    medfee_sumamt: medfee,
    fund_pay_sumamt: fund,
    acct_pay: acct,
    fixmedins_setl_cnt: String(cnt),
    refd_setl_flag: '',
  },
});

describe('3201 对总账', () => {
  it('agrees on the employee totals (the reversed settlement does not exist)', async () => {
    const r = await w.send('3201', totals('310', 7081, 3109.48, 3971.52, 1));
    expect(r.body.output.stmtinfo).toEqual({ setl_optins: '320200', stmt_rslt: '0', stmt_rslt_dscr: '对账平' });
  });

  it('agrees on the resident totals: the settlement and its refund cancel out, two records', async () => {
    expect((await w.send('3201', totals('390', 0, 0, 0, 2))).body.output.stmtinfo.stmt_rslt).toBe('0');
  });

  it('disagrees, saying where', async () => {
    const r = await w.send('3201', totals('310', 7081, 3109.48, 3971.52, 2));
    expect(r.body.output.stmtinfo).toMatchObject({ stmt_rslt: '1', stmt_rslt_dscr: '对账不平：结算笔数：医药机构2笔，中心1笔' });
  });

  it('counts nothing on another day or another 清算类别', async () => {
    const other = totals('310', 0, 0, 0, 0);
    other.data.stmt_begndate = '2026-11-21';
    other.data.stmt_enddate = '2026-11-21';
    expect((await w.send('3201', other)).body.output.stmtinfo.stmt_rslt).toBe('0');
    const outpatient = totals('310', 0, 0, 0, 0);
    outpatient.data.clr_type = '11';
    expect((await w.send('3201', outpatient)).body.output.stmtinfo.stmt_rslt).toBe('0');
  });
});

describe('3202 对明细账', () => {
  const base = { setl_optins: '320200', file_qury_no: '', stmt_begndate: '2026-11-20', stmt_enddate: '2026-11-20', medfee_sumamt: 0, fund_pay_sumamt: 0, cash_payamt: 0, fixmedins_setl_cnt: '0' };

  it('lists every platform record with its msgid (the safety net for a lost answer)', async () => {
    const r = await w.send('3202', { data: base });
    expect(r.body.output.fileinfo).toMatchObject({ filename: expect.stringMatching(/\.zip$/) });
    const rows = r.body.output.stmt_detail.map((x: Record<string, unknown>) => [x.setl_id, x.msgid, x.refd_setl_flag, x.stmt_rslt]);
    expect(rows).toEqual([
      [empSetl.setl_id, empSetl.msgid, '0', ''],
      [resSetl.setl_id, resSetl.msgid, '0', ''],
      [refundSetlId, refundMsgid, '1', ''],
    ]);
  });

  it('compares the hospital rows: 一致, 金额不一致, 医药机构无此结算, 中心无此结算', async () => {
    const detail = [
      { setl_id: empSetl.setl_id, mdtrt_id: empSetl.mdtrt_id, psn_no: emp.psnNo, medfee_sumamt: 7081, fund_pay_sumamt: 3109.48, acct_pay: 3971.52, refd_setl_flag: '0' },
      { setl_id: resSetl.setl_id, mdtrt_id: resSetl.mdtrt_id, psn_no: res.psnNo, medfee_sumamt: 7081, fund_pay_sumamt: 2394.29, acct_pay: 0, refd_setl_flag: '0' },
      { setl_id: 'UNKNOWN-1', mdtrt_id: 'M', psn_no: 'P', medfee_sumamt: 10, fund_pay_sumamt: 5, acct_pay: 0, refd_setl_flag: '0' },
    ];
    const r = await w.send('3202', { data: { ...base, detail } });
    const rows = r.body.output.stmt_detail.map((x: Record<string, unknown>) => [x.setl_id, x.stmt_rslt]);
    expect(rows).toEqual([
      [empSetl.setl_id, '0'],
      [resSetl.setl_id, '2'],
      [refundSetlId, '1'],
      ['UNKNOWN-1', '3'],
    ]);
  });
});

describe('5203 / 5204', () => {
  it('5203 finds a settlement and a refund with their state', async () => {
    const s = await w.send('5203', { data: { psn_no: res.psnNo, setl_id: resSetl.setl_id } }, { insuplc: res.insuplc });
    expect(s.body.output.setlinfo).toMatchObject({ setl_stas: 'refunded', refd_setl_flag: '0', fixmedins_code: DEMO.code, hosp_lv: '3', begndate: '2026-11-18' });
    const r = await w.send('5203', { data: { psn_no: res.psnNo, setl_id: refundSetlId } }, { insuplc: res.insuplc });
    expect(r.body.output.setlinfo).toMatchObject({ refd_setl_flag: '1', medfee_sumamt: -7081 });
  });

  it('5204 lists the stay\'s lines as uploaded with their split', async () => {
    const r = await w.send('5204', { data: { psn_no: emp.psnNo, mdtrt_id: empSetl.mdtrt_id, setl_id: empSetl.setl_id } }, { insuplc: emp.insuplc });
    expect(r.body.output.feedetail).toHaveLength(8);
    expect(r.body.output.feedetail[2]).toMatchObject({ feedetl_sn: 'L3', med_list_codg: '0060002047307', hilist_name: '腹腔镜胆囊切除术', overlmt_amt: 1120, inscp_scp_amt: 1680 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../../../../insurance/sandbox/testing.ts';
import { byCard, byId, DEMO, person, Wire } from './wire.ts';
import { admit, admitOk, feeLine, preSettle, readyVisit, settlementInput, STANDARD_BILL, upload } from './visit.ts';

// 2401–2405, 2301/2302 line rules and the 2303 input checks.

let sb: TestSandbox;
let w: Wire;

beforeAll(async () => {
  sb = await startTestSandbox();
  w = new Wire(sb.url, DEMO);
  await w.signIn();
});
afterAll(async () => {
  await sb?.close();
});

const dscg = (psnNo: string, mdtrtId: string, endtime = '2026-11-20 09:00:00') => ({
  dscginfo: { mdtrt_id: mdtrtId, psn_no: psnNo, insutype: '310', endtime, dscg_dept_codg: 'A03.04', dscg_dept_name: '普外科', dscg_way: '1', dscg_bed: '12床' },
  diseinfo: [],
});

describe('admission lifecycle', () => {
  it('2402 discharges once; 2405 takes it back; 2404 cancels only without lines', async () => {
    const p = person('local-employee');
    const m = await admitOk(w, p, byCard(p));
    expect((await w.send('2402', dscg(p.psnNo, m, '2026-11-17 09:00:00'), { insuplc: p.insuplc })).body.err_msg).toBe('出院时间早于入院时间');
    expect((await w.send('2402', dscg(p.psnNo, m), { insuplc: p.insuplc })).body.infcode).toBe(0);
    expect((await w.send('2402', dscg(p.psnNo, m), { insuplc: p.insuplc })).body.err_msg).toBe('该住院已办理出院');
    expect((await w.send('2404', { data: { mdtrt_id: m, psn_no: p.psnNo } }, { insuplc: p.insuplc })).body.err_msg).toContain('请先撤销出院');
    expect((await w.send('2405', { data: { mdtrt_id: m, psn_no: p.psnNo } }, { insuplc: p.insuplc })).body.infcode).toBe(0);
    await upload(w, p, m, STANDARD_BILL.slice(0, 2));
    expect((await w.send('2404', { data: { mdtrt_id: m, psn_no: p.psnNo } }, { insuplc: p.insuplc })).body.err_msg).toBe('已上传2条费用明细，请先撤销费用明细（2302）');
    expect((await w.send('2302', { data: [{ feedetl_sn: 'L1', mdtrt_id: m, psn_no: p.psnNo }, { feedetl_sn: 'L2', mdtrt_id: m, psn_no: p.psnNo }] }, { insuplc: p.insuplc })).body.infcode).toBe(0);
    expect((await w.send('2404', { data: { mdtrt_id: m, psn_no: p.psnNo } }, { insuplc: p.insuplc })).body.infcode).toBe(0);
    expect((await upload(w, p, m)).body.err_msg).toBe('该住院登记已撤销');
  });

  it('refuses a second admission here and a 住院号 already used', async () => {
    const p = person('local-resident');
    const a = await admit(w, p, byCard(p), { iptNo: 'ZY-DUP-1' });
    expect(a.body.infcode).toBe(0);
    expect((await admit(w, p, byCard(p))).body.err_msg).toContain('不能重复办理入院');
    const q = person('retired-employee');
    expect((await admit(w, q, byCard(q), { iptNo: 'ZY-DUP-1' })).body.err_msg).toBe('住院号ZY-DUP-1已办理入院');
  });

  it('refuses a credential of someone else and a non-inpatient med_type', async () => {
    const p = person('small-account');
    const other = person('long-name');
    expect((await admit(w, p, byCard(other))).body.err_msg).toBe('就诊凭证与人员编号不符');
    expect((await admit(w, p, byCard(p), { medType: '11' })).body.err_msg).toBe('医疗类别11不是住院类别');
  });

  it('2403 to med_type 24 makes the stay an emergency: a cross-province unfiled patient settles as emergency', async () => {
    const p = person('sh-unfiled');
    const m = await readyVisit(w, p, byCard(p));
    expect((await preSettle(w, p, m, byCard(p))).body.err_msg).toContain('跨省异地就医未办理备案');
    const c = await w.send('2403', { adminfo: { mdtrt_id: m, psn_no: p.psnNo, med_type: '24' }, diseinfo: [] }, { insuplc: p.insuplc });
    expect(c.body.infcode).toBe(0);
    // Shanghai 390 level 3: D 300 → 30000; r = 0.60 − 0.10 = 0.50; hifp = round((448350 − 30000) × 0.50) = 209175
    const s = await preSettle(w, p, m, byCard(p));
    expect(s.body.output.setlinfo).toMatchObject({ act_pay_dedc: 300, pool_prop_selfpay: 0.5, hifp_pay: 2091.75 });
  });
});

describe('2301 line rules', () => {
  it('accepts a line 1 fen off, refuses 2 fen off, a duplicate sn in the batch and malformed fields — by feedetl_sn', async () => {
    const p = person('nj-unfiled');
    const m = await admitOk(w, p, byCard(p));
    const lines = [
      feeLine(p, m, { sn: 'A', codg: '0040008434325', pric: '6', cnt: '1', amount: '6.01' }),
      feeLine(p, m, { sn: 'B', codg: '0040008434325', pric: '6', cnt: '1', amount: '6.02' }),
      feeLine(p, m, { sn: 'A', codg: '0040008434325', pric: '6', cnt: '1', amount: '6.00' }),
      { ...feeLine(p, m, { sn: 'C', codg: '0040008434325', pric: '6', cnt: '1', amount: '6.00' }), pric: '6.1234567' },
      { ...feeLine(p, m, { sn: 'D', codg: '0040008434325', pric: '6', cnt: '1', amount: '6.00' }), bilg_dr_name: undefined },
      feeLine(p, m, { sn: 'E', codg: '0040008434325', pric: '6', cnt: '0', amount: '0.00' }),
    ];
    const r = await w.send('2301', { feedetail: lines }, { insuplc: p.insuplc });
    expect(r.body.infcode).toBe(0);
    expect(r.body.output.result.map((x: { feedetl_sn: string }) => x.feedetl_sn)).toEqual(['A']);
    expect(r.body.output.refused).toEqual([
      { feedetl_sn: 'B', reason: '明细金额6.02元与单价×数量6.00元相差超过1分' },
      { feedetl_sn: 'A', reason: '同一批次内费用明细流水号重复' },
      { feedetl_sn: 'C', reason: 'pric 应为非负单价（最多6位小数）' },
      { feedetl_sn: 'D', reason: 'bilg_dr_name 缺失' },
      { feedetl_sn: 'E', reason: 'cnt 应为非零数量（最多4位小数）' },
    ]);
    expect(r.body.warn_msg).toContain('以下费用明细未接收：B（');
  });

  it('a refund line (negative cnt) mirrors its original; more than what remains is refused', async () => {
    const p = person('near-annual-cap');
    const m = await admitOk(w, p, byCard(p));
    await upload(w, p, m, [STANDARD_BILL[7]!]);
    // L8: 3000 × 1 → over 60000, pre 36000, inscp 204000; its refund is the negative
    const refund = await w.send('2301', { feedetail: [feeLine(p, m, { sn: 'R8', codg: '0060018538251', pric: '3000', cnt: '-1', amount: '-3000.00', initSn: 'L8' })] }, { insuplc: p.insuplc });
    expect(refund.body.output.result[0]).toMatchObject({ overlmt_amt: -600, preselfpay_amt: -360, inscp_scp_amt: -2040, fulamt_ownpay_amt: 0 });
    const more = await w.send('2301', { feedetail: [feeLine(p, m, { sn: 'R9', codg: '0060018538251', pric: '3000', cnt: '-1', amount: '-3000.00', initSn: 'L8' })] }, { insuplc: p.insuplc });
    expect(more.body.output.refused).toEqual([{ feedetl_sn: 'R9', reason: '退费数量超过原明细剩余数量' }]);
    const noInit = await w.send('2301', { feedetail: [feeLine(p, m, { sn: 'R10', codg: '0060018538251', pric: '3000', cnt: '-1', amount: '-3000.00' })] }, { insuplc: p.insuplc });
    expect(noInit.body.output.refused[0].reason).toContain('init_feedetl_sn');
    // the bill nets to zero
    const s = await preSettle(w, p, m, byCard(p), { medfee: '0.00' });
    expect(s.body.output.setlinfo).toMatchObject({ medfee_sumamt: 0, inscp_scp_amt: 0, hifp_pay: 0, psn_cash_pay: 0 });
  });

  it('a batch naming an unknown visit is refused as a whole', async () => {
    const p = person('nj-unfiled');
    const r = await w.send('2301', { feedetail: [feeLine(p, 'NO-SUCH-VISIT', STANDARD_BILL[0]!)] }, { insuplc: p.insuplc });
    expect(r.body).toMatchObject({ infcode: -1, err_msg: '就诊ID不存在：NO-SUCH-VISIT' });
  });
});

describe('2303 input checks', () => {
  it('refuses a medfee_sumamt that is not the sum of the uploaded lines, another insutype, 中途结算, no lines', async () => {
    const p = person('cz-filed-referral');
    const m = await readyVisit(w, p, byId(p));
    expect((await preSettle(w, p, m, byId(p), { medfee: 7081.01 })).body.err_msg).toBe('医疗费总额7081.01元与已上传费用明细合计7081元不符');
    const other = settlementInput(p, m, byId(p));
    other.data.insutype = '390';
    expect((await w.send('2303', other, { insuplc: p.insuplc })).body.err_msg).toContain('险种类型390');
    const mid = settlementInput(p, m, byId(p));
    mid.data.mid_setl_flag = '1';
    expect((await w.send('2303', mid, { insuplc: p.insuplc })).body.err_msg).toContain('中途结算');
    await w.send('2302', { data: { feedetl_sn: '0000', mdtrt_id: m, psn_no: p.psnNo } }, { insuplc: p.insuplc });
    expect((await preSettle(w, p, m, byId(p))).body.err_msg).toBe('该就诊无已上传的费用明细');
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../../../../insurance/sandbox/testing.ts';
import { byCard, byId, DEMO, NOT_CROSS, NOT_NETWORKED, person, Wire } from './wire.ts';
import { admit, admitOk, closeVisit, preSettle, readyVisit, settle, upload } from './visit.ts';

// Whole visits over real HTTP against the default world: 2401 → 2301 (the standard bill of visit.ts) → 2303 /
// 2304, at the demo hospital H32020000001 (level 3) unless said. Every expected amount is computed by hand
// in the comment above it (fen, then yuan on the wire); the standard bill has inscp 448350 and medfee 708100.

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

async function setlinfo(key: string, o: { acct?: '0' | '1'; medType?: string; emergencyFlag?: string; wire?: Wire } = {}) {
  const p = person(key);
  const wire = o.wire ?? w;
  const mdtrtId = await readyVisit(wire, p, byCard(p), { ...(o.medType ? { medType: o.medType } : {}), ...(o.emergencyFlag ? { emergencyFlag: o.emergencyFlag } : {}) });
  const r = await preSettle(wire, p, mdtrtId, byCard(p), { acct: o.acct ?? '0' });
  expect(r.body.infcode, r.text).toBe(0);
  // 2303 saved nothing; close the visit so the person can be admitted again by a later test.
  await closeVisit(wire, p, mdtrtId);
  return { s: r.body.output.setlinfo, exp: JSON.parse(r.body.output.setlinfo.exp_content), reply: r, mdtrtId, p };
}

describe('the standard bill rests on these catalogue entries', () => {
  it('has the attributes the hand computations assume', () => {
    const world = JSON.parse(readFileSync(fileURLToPath(new URL('../../../../insurance/sandbox/fixtures/default.json', import.meta.url)), 'utf8'));
    const byCode = new Map(world.catalogue.map((e: { med_list_codg: string }) => [e.med_list_codg, e]));
    expect(byCode.get('0010001941077')).toMatchObject({ chrgitm_lv: '01', pric_uplmt: '36.00' });
    expect(byCode.get('0010004771707')).toMatchObject({ chrgitm_lv: '01', pric_uplmt: '135.00' });
    expect(byCode.get('0060002047307')).toMatchObject({ chrgitm_lv: '01', pric_uplmt: '1680.00' });
    expect(byCode.get('0040005976035')).toMatchObject({ chrgitm_lv: '02' });
    expect(byCode.get('0040005976035')).not.toHaveProperty('selfpay_prop');
    expect(byCode.get('0040005976035')).not.toHaveProperty('pric_uplmt');
    expect(byCode.get('0040019744162')).toMatchObject({ chrgitm_lv: '02', selfpay_prop: '0.05' });
    expect(byCode.get('0040013662137')).toMatchObject({ chrgitm_lv: '03' });
    expect(byCode.has('HIS-ONLY-0007')).toBe(false);
    expect(byCode.get('0060018538251')).toMatchObject({ chrgitm_lv: '02', pric_uplmt: '2400.00', selfpay_prop: '0.15' });
  });
});

describe('2301 splits each line (§4)', () => {
  it('answers the split of every line of the standard bill', async () => {
    const p = person('local-employee');
    const mdtrtId = await admitOk(w, p, byCard(p));
    const r = await upload(w, p, mdtrtId);
    expect(r.body.infcode).toBe(0);
    const bySn = Object.fromEntries(r.body.output.result.map((x: { feedetl_sn: string }) => [x.feedetl_sn, x]));
    expect(bySn.L1).toMatchObject({ fulamt_ownpay_amt: 0, overlmt_amt: 0, preselfpay_amt: 0, inscp_scp_amt: 300, chrgitm_lv: '01' });
    expect(bySn.L2).toMatchObject({ overlmt_amt: 90, inscp_scp_amt: 270 });
    expect(bySn.L3).toMatchObject({ overlmt_amt: 1120, inscp_scp_amt: 1680 });
    expect(bySn.L4).toMatchObject({ preselfpay_amt: 12, inscp_scp_amt: 108, selfpay_prop: 0.1 });
    expect(bySn.L5).toMatchObject({ preselfpay_amt: 4.5, inscp_scp_amt: 85.5, selfpay_prop: 0.05 });
    expect(bySn.L6).toMatchObject({ fulamt_ownpay_amt: 300, inscp_scp_amt: 0, chrgitm_lv: '03' });
    expect(bySn.L7).toMatchObject({ fulamt_ownpay_amt: 111, inscp_scp_amt: 0, selfpay_prop: 1 });
    expect(bySn.L8).toMatchObject({ overlmt_amt: 600, preselfpay_amt: 360, inscp_scp_amt: 2040 });
    expect(r.body.output.refused).toEqual([]);
    await closeVisit(w, p, mdtrtId);
  });
});

describe('local visits', () => {
  it('local employee, account used (Wuxi 310, level 3)', async () => {
    // D = 950 → 95000; r 0.88; hifp = round((448350 − 95000) × 0.88) = 310948
    // psn_part = 708100 − 310948 = 397152; balc 523400 ≥ → acct 397152, cash 0, balc after 126248
    const { s, exp } = await setlinfo('local-employee', { acct: '1' });
    expect(s).toMatchObject({ medfee_sumamt: 7081, fulamt_ownpay_amt: 411, overlmt_selfpay: 1810, preselfpay_amt: 376.5, inscp_scp_amt: 4483.5 });
    expect(s).toMatchObject({ act_pay_dedc: 950, hifp_pay: 3109.48, pool_prop_selfpay: 0.88, fund_pay_sumamt: 3109.48, psn_part_amt: 3971.52 });
    expect(s).toMatchObject({ acct_pay: 3971.52, psn_cash_pay: 0, balc: 1262.48, hifmi_pay: 0, maf_pay: 0 });
    expect(exp).toMatchObject({ visit_scope: 'local', visit_case: 'local', ratio_reduction: 0 });
  });

  it('retired employee: deductibleRetired and retiredBonus (Wuxi 310)', async () => {
    // D = 750 → 75000; r = 0.88 + 0.03 = 0.91; hifp = round(373350 × 0.91) = round(339748.5) = 339749
    // psn_part = 708100 − 339749 = 368351; balc 812000 → acct 368351
    const { s } = await setlinfo('retired-employee', { acct: '1' });
    expect(s).toMatchObject({ act_pay_dedc: 750, pool_prop_selfpay: 0.91, hifp_pay: 3397.49, psn_part_amt: 3683.51, acct_pay: 3683.51, psn_cash_pay: 0 });
  });

  it('local resident (Wuxi 390): no account even when asked, below the 大病 threshold', async () => {
    // D = 800 → 80000; r 0.65; hifp = round(368350 × 0.65) = round(239427.5) = 239428
    // B = 448350 − 239428 = 208922, C = 0 < T → hifmi 0; psn_part = 708100 − 239428 = 468672; acct 0
    const { s } = await setlinfo('local-resident', { acct: '1' });
    expect(s).toMatchObject({ act_pay_dedc: 800, hifp_pay: 2394.28, hifmi_pay: 0, psn_part_amt: 4686.72, acct_pay: 0, psn_cash_pay: 4686.72 });
  });

  it('serious-illness person past the threshold gets 大病保险 (Wuxi 390)', async () => {
    // hifp 239428 as above; B = 208922; C = 1620000 (fixtures) ≥ T 1500000
    // hifmi = round((1620000 + 208922 − 1620000) × 0.60) = round(125353.2) = 125353
    // fund = 239428 + 125353 = 364781; psn_part = 708100 − 364781 = 343319
    const { s } = await setlinfo('serious-illness');
    expect(s).toMatchObject({ hifp_pay: 2394.28, hifmi_pay: 1253.53, fund_pay_sumamt: 3647.81, psn_part_amt: 3433.19 });
  });

  it('医疗救助 person (Wuxi 390, identity 2301)', async () => {
    // hifp 239428; C = 180000 + B 208922 < T → hifmi 0; maf = round((448350 − 239428) × 0.70) = round(146245.4) = 146245
    // fund = 239428 + 146245 = 385673; psn_part = 708100 − 385673 = 322427
    const { s, reply } = await setlinfo('assistance');
    expect(s).toMatchObject({ hifp_pay: 2394.28, hifmi_pay: 0, maf_pay: 1462.45, fund_pay_sumamt: 3856.73, psn_part_amt: 3224.27 });
    const detail = reply.body.output.setldetail.map((d: { fund_pay_type: string; fund_payamt: number }) => [d.fund_pay_type, d.fund_payamt]);
    expect(detail).toEqual([
      ['390100', 2394.28],
      ['610100', 1462.45],
    ]);
  });

  it('near the annual cap: the fund pays what the cap leaves (Wuxi 310)', async () => {
    // computed 310948, but cap 30000000 − 29850000 paid = 150000 → hifp 150000; psn_part = 708100 − 150000 = 558100
    const { s } = await setlinfo('near-annual-cap');
    expect(s).toMatchObject({ hifp_pay: 1500, psn_part_amt: 5581, psn_cash_pay: 5581 });
  });

  it('an account smaller than the personal share pays what it has', async () => {
    // psn_part 397152 (as local employee); balc 20000 → acct 20000, cash 377152, balc after 0
    const { s } = await setlinfo('small-account', { acct: '1' });
    expect(s).toMatchObject({ psn_part_amt: 3971.52, acct_pay: 200, psn_cash_pay: 3771.52, balc: 0 });
  });

  it('Wuxi↔Jiangyin 大市一卡通 with a valid registration: local, Jiangyin parameters', async () => {
    // Jiangyin 310 level 3: D 900 → 90000; r 0.87; hifp = round(358350 × 0.87) = round(311764.5) = 311765
    // psn_part = 708100 − 311765 = 396335
    const { s, exp } = await setlinfo('jy-dsyk-registered');
    expect(s).toMatchObject({ act_pay_dedc: 900, pool_prop_selfpay: 0.87, hifp_pay: 3117.65, psn_part_amt: 3963.35 });
    expect(exp).toMatchObject({ visit_scope: 'local', visit_case: 'local', dsyk_reg_id: 'DSYK320281000001', conflicts: [] });
  });

  it('大市一卡通 and a filing both active: local, and the conflict is reported', async () => {
    // as the registered Jiangyin employee: hifp 311765, psn_part 396335
    const { s, exp, reply } = await setlinfo('jy-dsyk-and-filing');
    expect(s).toMatchObject({ hifp_pay: 3117.65, psn_part_amt: 3963.35 });
    expect(exp.visit_case).toBe('local');
    expect(exp.conflicts).toHaveLength(1);
    expect(reply.body.warn_msg).toContain('大市一卡通');
  });

  it('a local patient settles at a hospital with no networking, at its level (level 1)', async () => {
    // Wuxi 310 level 1: D 400 → 40000; r 0.95; hifp = round(408350 × 0.95) = round(387932.5) = 387933
    // psn_part = 708100 − 387933 = 320167
    const w1 = new Wire(sb.url, NOT_NETWORKED);
    await w1.signIn();
    const { s } = await setlinfo('long-name', { wire: w1 });
    expect(s).toMatchObject({ act_pay_dedc: 400, pool_prop_selfpay: 0.95, hifp_pay: 3879.33, psn_part_amt: 3201.67 });
  });
});

describe('in-province visits', () => {
  it('Jiangyin employee without registration at a Wuxi hospital: in-province unfiled, reduction 0.20', async () => {
    // Jiangyin 310: D 90000; r = 0.87 − 0.20 = 0.67; hifp = round(358350 × 0.67) = round(240094.5) = 240095
    // psn_part = 708100 − 240095 = 468005
    const { s, exp } = await setlinfo('jy-dsyk-unregistered');
    expect(s).toMatchObject({ pool_prop_selfpay: 0.67, hifp_pay: 2400.95, psn_part_amt: 4680.05 });
    expect(exp).toMatchObject({ visit_scope: 'in-province', visit_case: 'unfiled', ratio_reduction: 0.2 });
  });

  it('a registration made with a card since reissued is void: in-province unfiled', async () => {
    const { exp } = await setlinfo('jy-dsyk-reissued');
    expect(exp).toMatchObject({ visit_scope: 'in-province', visit_case: 'unfiled', dsyk_reg_id: null });
  });

  it('Nanjing long-term filing, retired: no reduction (Nanjing parameters)', async () => {
    // Nanjing 310 retired level 3: D 800 × m 1 → 80000; r = 0.88 + 0.04 = 0.92; hifp = round(368350 × 0.92) = 338882
    // psn_part = 708100 − 338882 = 369218
    const { s, exp } = await setlinfo('nj-filed-long-term');
    expect(s).toMatchObject({ act_pay_dedc: 800, pool_prop_selfpay: 0.92, hifp_pay: 3388.82, psn_part_amt: 3692.18 });
    expect(exp).toMatchObject({ visit_scope: 'in-province', visit_case: 'filed-long-term', trt_dcla_detl_sn: 'BA320100202506010001' });
  });

  it('Changzhou referral filing: reduction 0.05', async () => {
    // Changzhou 310 level 3: D 800 → 80000 (1st admission); r = 0.88 − 0.05 = 0.83
    // hifp = round(368350 × 0.83) = round(305730.5) = 305731; psn_part = 708100 − 305731 = 402369
    const { s, exp } = await setlinfo('cz-filed-referral');
    expect(s).toMatchObject({ act_pay_dedc: 800, pool_prop_selfpay: 0.83, hifp_pay: 3057.31, psn_part_amt: 4023.69 });
    expect(exp).toMatchObject({ visit_case: 'filed-referral', ratio_reduction: 0.05 });
  });

  it('Suzhou resident, temporary filing to the province: reduction 0.10', async () => {
    // Suzhou 390 level 3: D 800 → 80000; r = 0.70 − 0.10 = 0.60; hifp = round(368350 × 0.60) = 221010
    // B = 227340, C = 0 → hifmi 0; psn_part = 708100 − 221010 = 487090
    const { s, exp } = await setlinfo('sz-filed-temporary');
    expect(s).toMatchObject({ pool_prop_selfpay: 0.6, hifp_pay: 2210.1, hifmi_pay: 0, psn_part_amt: 4870.9 });
    expect(exp).toMatchObject({ visit_scope: 'in-province', visit_case: 'filed-temporary', ratio_reduction: 0.1 });
  });

  it('Nanjing unfiled: in-province unfiled allowed by Nanjing, reduction 0.20, account smaller than the share', async () => {
    // Nanjing 310 level 3: D 1000 × m 1 → 100000; r = 0.88 − 0.20 = 0.68; hifp = round(348350 × 0.68) = 236878
    // psn_part = 708100 − 236878 = 471222; balc 430000 → acct 430000, cash 41222
    const { s } = await setlinfo('nj-unfiled', { acct: '1' });
    expect(s).toMatchObject({ act_pay_dedc: 1000, hifp_pay: 2368.78, psn_part_amt: 4712.22, acct_pay: 4300, psn_cash_pay: 412.22, balc: 0 });
  });
});

describe('cross-province visits', () => {
  it('Hefei retiree, 异地安置 filing: no reduction, Hefei parameters', async () => {
    // Hefei 310 retired level 3: D 800 → 80000; r = 0.85 + 0.03 = 0.88; hifp = round(368350 × 0.88) = 324148
    // psn_part = 708100 − 324148 = 383952; balc 640000 → acct 383952
    const { s, exp } = await setlinfo('hf-filed', { acct: '1' });
    expect(s).toMatchObject({ act_pay_dedc: 800, hifp_pay: 3241.48, psn_part_amt: 3839.52, acct_pay: 3839.52, psn_cash_pay: 0 });
    expect(exp).toMatchObject({ visit_scope: 'cross-province', visit_case: 'filed-long-term' });
  });

  it('Shanghai temporary filing: reduction 0.20; Shanghai does not allow the account here', async () => {
    // Shanghai 310 level 3: D 1500 → 150000; r = 0.85 − 0.20 = 0.65; hifp = round(298350 × 0.65) = round(193927.5) = 193928
    // psn_part = 708100 − 193928 = 514172; accountUsable false → acct 0, cash 514172
    const { s, exp } = await setlinfo('sh-filed-temporary', { acct: '1' });
    expect(s).toMatchObject({ act_pay_dedc: 1500, hifp_pay: 1939.28, psn_part_amt: 5141.72, acct_pay: 0, psn_cash_pay: 5141.72 });
    expect(exp).toMatchObject({ visit_case: 'filed-temporary', ratio_reduction: 0.2 });
  });

  it('Hefei unfiled emergency admission (med_type 24): case emergency, reduction 0.10', async () => {
    // Hefei 310 level 3: D 1000 → 100000; r = 0.85 − 0.10 = 0.75; hifp = round(348350 × 0.75) = round(261262.5) = 261263
    // psn_part = 708100 − 261263 = 446837
    const { s, exp } = await setlinfo('hf-emergency', { medType: '24' });
    expect(s).toMatchObject({ act_pay_dedc: 1000, pool_prop_selfpay: 0.75, hifp_pay: 2612.63, psn_part_amt: 4468.37 });
    expect(exp).toMatchObject({ visit_scope: 'cross-province', visit_case: 'emergency', ratio_reduction: 0.1 });
  });

  it('the emergency flag of 2401 counts like med_type 24', async () => {
    const { s, exp } = await setlinfo('hf-emergency', { emergencyFlag: '1' });
    expect(exp.visit_case).toBe('emergency');
    expect(s.hifp_pay).toBe(2612.63);
  });
});

describe('refusals of direct settlement (§2)', () => {
  it('in-province unfiled where the insured place does not allow it (Yixing): admitted with a warning, 2303 refused', async () => {
    const p = person('yx-unfiled');
    const a = await admit(w, p, byCard(p));
    expect(a.body.infcode).toBe(0);
    expect(a.body.warn_msg).toContain('参保地不支持省内异地未备案直接结算');
    await upload(w, p, a.body.output.result.mdtrt_id);
    const r = await preSettle(w, p, a.body.output.result.mdtrt_id, byCard(p));
    expect(r.body).toMatchObject({ infcode: -1, output: null });
    expect(r.body.err_msg).toMatch(/^不能直接结算：参保地不支持省内异地未备案直接结算。/);
  });

  it('cross-province unfiled (Hefei, Shanghai resident): refused until a filing is made (补办备案 counts)', async () => {
    const p = person('hf-unfiled');
    const mdtrtId = await readyVisit(w, p, byCard(p));
    const r = await preSettle(w, p, mdtrtId, byCard(p));
    expect(r.body.err_msg).toContain('跨省异地就医未办理备案');
    // 补办备案 today (after the admission on 11-18, on the settlement day): a temporary filing to the province
    await sb.admin.addFiling({ psn_no: p.psnNo, dcla_type: '05', mdtrtarea_admdvs: '320000', begndate: '2026-11-20', enddate: '2027-05-19' });
    // Hefei 310 level 3: D 100000; r = 0.85 − 0.20 = 0.65; hifp = round(348350 × 0.65) = round(226427.5) = 226428
    const ok = await preSettle(w, p, mdtrtId, byCard(p));
    expect(ok.body.infcode, ok.text).toBe(0);
    expect(ok.body.output.setlinfo).toMatchObject({ hifp_pay: 2264.28, pool_prop_selfpay: 0.65 });
    expect(JSON.parse(ok.body.output.setlinfo.exp_content)).toMatchObject({ visit_case: 'filed-temporary' });

    const q = person('sh-unfiled');
    const m2 = await readyVisit(w, q, byCard(q));
    expect((await preSettle(w, q, m2, byCard(q))).body.err_msg).toContain('跨省异地就医未办理备案');
    await closeVisit(w, q, m2);
  });

  it('a filing created after the settlement day never counts for that settlement', async () => {
    const p = person('sh-unfiled');
    const mdtrtId = await readyVisit(w, p, byCard(p));
    await sb.admin.addFiling({ psn_no: p.psnNo, dcla_type: '01', mdtrtarea_admdvs: '320200', begndate: '2026-11-01', crte_time: '2026-11-21 09:00:00' });
    expect((await preSettle(w, p, mdtrtId, byCard(p))).body.err_msg).toContain('跨省异地就医未办理备案');
  });

  it.each([
    ['card-not-activated', '社会保障卡未激活'],
    ['card-temp-lost', '社会保障卡已临时挂失'],
    ['card-lost', '社会保障卡已正式挂失'],
    ['card-expired', '社会保障卡已超过有效期'],
  ])('%s: 2401 by card refused; admitted by ID, 2303 by card refused and by ID settled', async (key, reason) => {
    const p = person(key);
    const byCardAdmit = await admit(w, p, byCard(p));
    expect(byCardAdmit.body.infcode).toBe(-1);
    expect(byCardAdmit.body.err_msg).toContain(reason);
    const mdtrtId = await readyVisit(w, p, byId(p));
    const refused = await preSettle(w, p, mdtrtId, byCard(p));
    expect(refused.body.infcode).toBe(-1);
    expect(refused.body.err_msg).toContain(reason);
    expect((await preSettle(w, p, mdtrtId, byId(p))).body.infcode).toBe(0);
  });

  it('card-replaced: the old card is refused, the new one settles', async () => {
    const p = person('card-replaced');
    const mdtrtId = await readyVisit(w, p, byCard(p));
    const old = await preSettle(w, p, mdtrtId, byCard(p, p.oldCard!));
    expect(old.body.err_msg).toContain('社会保障卡已补换新卡');
    expect((await preSettle(w, p, mdtrtId, byCard(p))).body.infcode).toBe(0);
  });

  it('insurance suspended: refused at admission', async () => {
    const p = person('insurance-suspended');
    const r = await admit(w, p, byCard(p));
    expect(r.body.infcode).toBe(-1);
    expect(r.body.err_msg).toContain('所选险种无正常参保记录');
  });

  it('waiting period: refused at admission', async () => {
    const p = person('waiting-period');
    const r = await admit(w, p, byCard(p));
    expect(r.body.err_msg).toContain('参保人处于医保待遇等待期');
  });

  it('an open admission at another hospital: refused at admission', async () => {
    const p = person('open-admission-elsewhere');
    const r = await admit(w, p, byCard(p));
    expect(r.body.err_msg).toContain('参保人在其他定点医疗机构有未出院的住院登记');
  });

  it('cross-province at a hospital not networked cross-province; in-province at one not networked in-province', async () => {
    const w2 = new Wire(sb.url, NOT_CROSS);
    await w2.signIn();
    const hf = person('hf-filed');
    expect((await admit(w2, hf, byCard(hf))).body.err_msg).toContain('本院未开通跨省异地就医直接结算');
    const w3 = new Wire(sb.url, NOT_NETWORKED);
    await w3.signIn();
    const nj = person('nj-filed-long-term');
    expect((await admit(w3, nj, byCard(nj))).body.err_msg).toContain('本院未开通省内异地就医直接结算');
  });

  it('a card reported lost during the stay refuses the settlement by card', async () => {
    const p = person('local-employee');
    const mdtrtId = await readyVisit(w, p, byCard(p));
    await sb.admin.setPersonFacts(p.psnNo, { cards: [{ card_sn: p.card.cardSn, status: 'lost' }] });
    try {
      expect((await preSettle(w, p, mdtrtId, byCard(p))).body.err_msg).toContain('社会保障卡已正式挂失');
    } finally {
      await sb.admin.setPersonFacts(p.psnNo, { cards: [{ card_sn: p.card.cardSn, status: 'normal' }] });
      await closeVisit(w, p, mdtrtId);
    }
  });
});

describe('year-to-date totals', () => {
  it('repeatAdmission follows the year\'s settled admissions; a refunded settlement no longer counts', async () => {
    const p = person('nj-unfiled');
    // 1st admission of the year: D = 1000 × 1 = 100000 → hifp 236878
    const m1 = await readyVisit(w, p, byCard(p));
    const s1 = await settle(w, p, m1, byCard(p));
    expect(s1.body.output.setlinfo).toMatchObject({ act_pay_dedc: 1000, hifp_pay: 2368.78 });
    // 2nd: D = round(100000 × 0.5) = 50000; hifp = round((448350 − 50000) × 0.68) = round(270878) = 270878
    const m2 = await readyVisit(w, p, byCard(p));
    expect((await preSettle(w, p, m2, byCard(p))).body.output.setlinfo).toMatchObject({ act_pay_dedc: 500, hifp_pay: 2708.78 });
    // 2305 of the first: the second is the year's 1st again
    const c = await w.send('2305', { data: { mdtrt_id: m1, setl_id: s1.body.output.setlinfo.setl_id, psn_no: p.psnNo } }, { insuplc: p.insuplc });
    expect(c.body.infcode, c.text).toBe(0);
    expect((await preSettle(w, p, m2, byCard(p))).body.output.setlinfo).toMatchObject({ act_pay_dedc: 1000, hifp_pay: 2368.78 });
  });

  it('a settlement reversed by 2601 no longer counts (Changzhou repeatAdmission [1, 0.5, 0])', async () => {
    const p = person('cz-filed-referral');
    const m1 = await readyVisit(w, p, byCard(p));
    const s1 = await settle(w, p, m1, byCard(p));
    expect(s1.body.output.setlinfo.act_pay_dedc).toBe(800);
    // 2nd: D = round(80000 × 0.5) = 40000; r 0.83; hifp = round((448350 − 40000) × 0.83) = round(338930.5) = 338931
    const m2 = await readyVisit(w, p, byCard(p));
    expect((await preSettle(w, p, m2, byCard(p))).body.output.setlinfo).toMatchObject({ act_pay_dedc: 400, hifp_pay: 3389.31 });
    expect((await w.send('2601', { data: { psn_no: p.psnNo, omsgid: s1.msgid, oinfno: '2304' } }, { insuplc: p.insuplc })).body.infcode).toBe(0);
    // the 1st again: D 80000 → hifp = round(368350 × 0.83) = round(305730.5) = 305731
    expect((await preSettle(w, p, m2, byCard(p))).body.output.setlinfo).toMatchObject({ act_pay_dedc: 800, hifp_pay: 3057.31 });
    await closeVisit(w, p, m2);
    await closeVisit(w, p, m1);
  });

  it('totals are those of the settlement day\'s year: the fixtures\' 2026 cap use does not count in 2027', async () => {
    const p = person('near-annual-cap');
    const mdtrtId = await readyVisit(w, p, byCard(p));
    // 2026: cap left 150000 → hifp 150000
    expect((await preSettle(w, p, mdtrtId, byCard(p))).body.output.setlinfo.hifp_pay).toBe(1500);
    await sb.admin.setClock('2027-01-05T10:00:00+08:00');
    try {
      // 2027: nothing paid yet → hifp = round(353350 × 0.88) = 310948
      expect((await preSettle(w, p, mdtrtId, byCard(p))).body.output.setlinfo.hifp_pay).toBe(3109.48);
    } finally {
      await sb.admin.setClock('2026-11-20T10:00:00+08:00');
      await closeVisit(w, p, mdtrtId);
    }
  });

  it('5206 reports the totals the settlement uses', async () => {
    const p = person('serious-illness');
    const r = await w.send('5206', { data: { psn_no: p.psnNo, cum_ym: '202611' } }, { insuplc: p.insuplc });
    expect(r.body.output.cuminfo).toEqual([
      { cum_type_code: 'S001', year: '2026', cum: 26800, cum_ym: '202611', insutype: '390' },
      { cum_type_code: 'S002', year: '2026', cum: 16200, cum_ym: '202611', insutype: '390' },
      { cum_type_code: 'S003', year: '2026', cum: 2, cum_ym: '202611', insutype: '390' },
    ]);
  });
});

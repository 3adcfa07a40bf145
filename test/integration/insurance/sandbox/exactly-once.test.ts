import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../../../../insurance/sandbox/testing.ts';
import { byCard, DEMO, newMsgid, person, Wire } from './wire.ts';
import { admissionInput, admitOk, feeLine, readyVisit, settle, settlementInput, STANDARD_BILL, upload } from './visit.ts';

// Idempotency per msgid and 2601 冲正 semantics, checked on the answers and on the journal of what took effect.

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

const reverse = (psnNo: string, insuplc: string, omsgid: string, oinfno: string, msgid?: string) =>
  w.send('2601', { data: { psn_no: psnNo, omsgid, oinfno } }, { insuplc, ...(msgid ? { msgid } : {}) });

describe('a repeated msgid gets the stored answer and applies nothing', () => {
  it('2304: the same bytes, one settlement, one journal entry, the account debited once', async () => {
    const p = person('local-employee');
    const mdtrtId = await readyVisit(w, p, byCard(p));
    const msgid = newMsgid(DEMO.code);
    const first = await settle(w, p, mdtrtId, byCard(p), { acct: '1', msgid });
    expect(first.body.infcode).toBe(0);
    const again = await settle(w, p, mdtrtId, byCard(p), { acct: '1', msgid });
    expect(again.text).toBe(first.text);
    const entries = await sb.admin.journal({ mdtrt_id: mdtrtId, infno: '2304' });
    expect(entries).toHaveLength(1);
    // balc 523400 − acct 397152 = 126248 (see settlement-flow), once
    const info = await w.send('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: p.certno } });
    expect(info.body.output.insuinfo[0].balc).toBe(1262.48);
  });

  it('2401: a replay returns the same mdtrt_id and admits once', async () => {
    const p = person('local-resident');
    const msgid = newMsgid(DEMO.code);
    const input = admissionInput(p, byCard(p));
    const a = await w.send('2401', input, { insuplc: p.insuplc, msgid });
    const b = await w.send('2401', input, { insuplc: p.insuplc, msgid });
    expect(b.text).toBe(a.text);
    expect(await sb.admin.journal({ psn_no: p.psnNo, infno: '2401' })).toHaveLength(1);
  });

  it('2301: a replayed batch stores nothing twice; the same line under a new msgid is accepted again, idempotent per feedetl_sn', async () => {
    const p = person('retired-employee');
    const mdtrtId = await admitOk(w, p, byCard(p));
    const msgid = newMsgid(DEMO.code);
    const a = await upload(w, p, mdtrtId, STANDARD_BILL, msgid);
    const b = await upload(w, p, mdtrtId, STANDARD_BILL, msgid);
    expect(b.text).toBe(a.text);
    const c = await upload(w, p, mdtrtId, STANDARD_BILL);
    expect(c.body.output.result).toHaveLength(8);
    expect(c.body.output.refused).toEqual([]);
    expect(await sb.admin.journal({ mdtrt_id: mdtrtId, infno: '2301' })).toHaveLength(1);
    // the same feedetl_sn with other content is refused by its sn
    const changed = await w.send('2301', { feedetail: [feeLine(p, mdtrtId, { ...STANDARD_BILL[0]!, cnt: '11', amount: '330.00' })] }, { insuplc: p.insuplc });
    expect(changed.body.output.refused).toEqual([{ feedetl_sn: 'L1', reason: '费用明细流水号已存在且内容不同，请先撤销该明细（2302）' }]);
  });

  it('a refusal is stored too: the replay gets the same refusal even after the cause is gone', async () => {
    const p = person('hf-unfiled');
    const mdtrtId = await readyVisit(w, p, byCard(p));
    const msgid = newMsgid(DEMO.code);
    const a = await settle(w, p, mdtrtId, byCard(p), { msgid });
    expect(a.body.err_msg).toContain('跨省异地就医未办理备案');
    await sb.admin.addFiling({ psn_no: p.psnNo, dcla_type: '05', mdtrtarea_admdvs: '320000', begndate: '2026-11-20', enddate: '2027-05-19' });
    expect((await settle(w, p, mdtrtId, byCard(p), { msgid })).text).toBe(a.text);
    expect((await settle(w, p, mdtrtId, byCard(p))).body.infcode).toBe(0);
  });

  it('the same msgid with another infno or other input is refused, not applied', async () => {
    const p = person('small-account');
    const mdtrtId = await readyVisit(w, p, byCard(p));
    const msgid = newMsgid(DEMO.code);
    await settle(w, p, mdtrtId, byCard(p), { msgid });
    const otherInput = await w.send('2304', settlementInput(p, mdtrtId, byCard(p), { acct: '1' }), { insuplc: p.insuplc, msgid });
    expect(otherInput.body.err_msg).toBe('报文ID重复：交易内容与原报文不一致');
    const otherInfno = await w.send('2305', { data: { mdtrt_id: mdtrtId, setl_id: 'X', psn_no: p.psnNo } }, { insuplc: p.insuplc, msgid });
    expect(otherInfno.body.err_msg).toBe('报文ID重复：该报文ID已用于交易2304');
    expect(await sb.admin.journal({ mdtrt_id: mdtrtId, infno: '2304' })).toHaveLength(1);
  });

  it('2303 saves nothing: no journal entry, no account change, its msgid is not kept', async () => {
    const p = person('long-name');
    const mdtrtId = await readyVisit(w, p, byCard(p));
    const msgid = newMsgid(DEMO.code);
    const a = await w.send('2303', settlementInput(p, mdtrtId, byCard(p), { acct: '1' }), { insuplc: p.insuplc, msgid });
    const b = await w.send('2303', settlementInput(p, mdtrtId, byCard(p), { acct: '0' }), { insuplc: p.insuplc, msgid });
    expect(a.body.infcode).toBe(0);
    expect(b.body.infcode).toBe(0);
    // with the account the answer shows it paying (balc 305000 → acct 397152 capped at 305000); without, not
    expect(a.body.output.setlinfo).toMatchObject({ acct_pay: 3050, balc: 0 });
    expect(b.body.output.setlinfo).toMatchObject({ acct_pay: 0, balc: 3050 });
    expect(await sb.admin.journal({ mdtrt_id: mdtrtId, infno: '2303' })).toEqual([]);
    expect((await w.send('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: p.certno } })).body.output.insuinfo[0].balc).toBe(3050);
  });

  it('a second settlement of a settled visit is refused', async () => {
    const p = person('assistance');
    const mdtrtId = await readyVisit(w, p, byCard(p));
    expect((await settle(w, p, mdtrtId, byCard(p))).body.infcode).toBe(0);
    expect((await settle(w, p, mdtrtId, byCard(p))).body.err_msg).toContain('该就诊已结算');
  });
});

describe('2601 冲正', () => {
  it('reverses a 2304 that took effect: the settlement is gone, the account refunded, the visit can settle again', async () => {
    const p = person('cz-filed-referral');
    const mdtrtId = await readyVisit(w, p, byCard(p));
    const s = await settle(w, p, mdtrtId, byCard(p), { acct: '1' });
    const setlId = s.body.output.setlinfo.setl_id;
    const r = await reverse(p.psnNo, p.insuplc, s.msgid, '2304');
    expect(r.body).toMatchObject({ infcode: 0, output: {} });
    const q = await w.send('5203', { data: { psn_no: p.psnNo, setl_id: setlId, mdtrt_id: mdtrtId } }, { insuplc: p.insuplc });
    expect(q.body.err_msg).toContain('未查询到结算信息');
    // balc back to 275000 (fixtures)
    expect((await w.send('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: p.certno } })).body.output.insuinfo[0].balc).toBe(2750);
    const journal = await sb.admin.journal({ mdtrt_id: mdtrtId });
    expect(journal.map((e) => [e.infno, e.reversed_by !== null])).toEqual([
      ['2401', false],
      ['2301', false],
      ['2304', true],
      ['2601', false],
    ]);
    expect(journal[3]).toMatchObject({ omsgid: s.msgid, oinfno: '2304', setl_id: setlId });
    expect((await settle(w, p, mdtrtId, byCard(p))).body.infcode).toBe(0);
  });

  it('answers success when the original never took effect (a refusal), and when already reversed', async () => {
    const p = person('sh-unfiled');
    const mdtrtId = await readyVisit(w, p, byCard(p));
    const refused = await settle(w, p, mdtrtId, byCard(p));
    expect(refused.body.infcode).toBe(-1);
    expect((await reverse(p.psnNo, p.insuplc, refused.msgid, '2304')).body).toMatchObject({ infcode: 0, output: {} });
    expect((await reverse(p.psnNo, p.insuplc, refused.msgid, '2304')).body.infcode).toBe(0);
    expect(await sb.admin.journal({ infno: '2601', psn_no: p.psnNo })).toEqual([]);
  });

  it('a msgid reversed before it arrived is refused when it comes, never applied', async () => {
    const p = person('jy-dsyk-registered');
    const mdtrtId = await readyVisit(w, p, byCard(p));
    const lateMsgid = newMsgid(DEMO.code);
    expect((await reverse(p.psnNo, p.insuplc, lateMsgid, '2304')).body.infcode).toBe(0);
    const late = await settle(w, p, mdtrtId, byCard(p), { msgid: lateMsgid });
    expect(late.body).toMatchObject({ infcode: -1, err_msg: '该报文已被冲正（2601），原交易不予执行' });
    expect(await sb.admin.journal({ mdtrt_id: mdtrtId, infno: '2304' })).toEqual([]);
  });

  it('the 2601 itself is idempotent per msgid', async () => {
    const p = person('jy-dsyk-and-filing');
    const mdtrtId = await readyVisit(w, p, byCard(p));
    const s = await settle(w, p, mdtrtId, byCard(p));
    const msgid = newMsgid(DEMO.code);
    const a = await reverse(p.psnNo, p.insuplc, s.msgid, '2304', msgid);
    const b = await reverse(p.psnNo, p.insuplc, s.msgid, '2304', msgid);
    expect(b.text).toBe(a.text);
    expect(await sb.admin.journal({ infno: '2601', mdtrt_id: mdtrtId })).toHaveLength(1);
  });

  it('reverses a 2401 without fee lines; refuses one whose stay has lines', async () => {
    const p = person('waiting-period');
    await sb.admin.setClock('2026-12-20T10:00:00+08:00');
    try {
      const input = admissionInput(p, byCard(p), { begntime: '2026-12-20 08:00:00' });
      const a = await w.send('2401', input, { insuplc: p.insuplc });
      expect(a.body.infcode, a.text).toBe(0);
      expect((await reverse(p.psnNo, p.insuplc, a.msgid, '2401')).body.infcode).toBe(0);
      const again = await w.send('2401', input, { insuplc: p.insuplc });
      expect(again.body.infcode).toBe(0);
      await upload(w, p, again.body.output.result.mdtrt_id);
      const r = await reverse(p.psnNo, p.insuplc, again.msgid, '2401');
      expect(r.body.err_msg).toContain('费用明细');
    } finally {
      await sb.admin.setClock('2026-11-20T10:00:00+08:00');
    }
  });

  it('reverses a 2305: the settlement counts again', async () => {
    const p = person('sz-filed-temporary');
    const mdtrtId = await readyVisit(w, p, byCard(p));
    const s = await settle(w, p, mdtrtId, byCard(p));
    const setlId = s.body.output.setlinfo.setl_id;
    const c = await w.send('2305', { data: { mdtrt_id: mdtrtId, setl_id: setlId, psn_no: p.psnNo } }, { insuplc: p.insuplc });
    // the answer: the settlement's amounts negated (medfee 7081.00, hifp 2210.10 — see settlement-flow)
    expect(c.body.output.setlinfo).toMatchObject({ medfee_sumamt: -7081, hifp_pay: -2210.1, init_setl_id: setlId, refd_setl_flag: '1' });
    expect((await reverse(p.psnNo, p.insuplc, c.msgid, '2305')).body.infcode).toBe(0);
    const q = await w.send('5203', { data: { psn_no: p.psnNo, setl_id: setlId } }, { insuplc: p.insuplc });
    expect(q.body.output.setlinfo).toMatchObject({ setl_stas: 'valid', refd_setl_flag: '0' });
    expect((await settle(w, p, mdtrtId, byCard(p))).body.err_msg).toContain('该就诊已结算');
  });

  it('refuses a non-reversible infno, a wrong oinfno and another person', async () => {
    const p = person('retired-employee');
    expect((await reverse(p.psnNo, p.insuplc, newMsgid(DEMO.code), '2301')).body.err_msg).toBe('交易2301不可冲正');
    expect((await reverse(p.psnNo, p.insuplc, newMsgid('H32028100001'), '2304')).body.err_msg).toBe('只能冲正本定点医药机构发送的交易');
    const q = person('local-employee');
    const mdtrtId = await readyVisit(w, q, byCard(q));
    const s = await settle(w, q, mdtrtId, byCard(q));
    expect((await reverse(q.psnNo, q.insuplc, s.msgid, '2401')).body.err_msg).toContain('原交易编号不符');
    expect((await reverse(p.psnNo, p.insuplc, s.msgid, '2304')).body.err_msg).toBe('人员编号与原交易不符');
  });
});

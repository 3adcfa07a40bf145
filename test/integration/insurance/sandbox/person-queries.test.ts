import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../../../../insurance/sandbox/testing.ts';
import { byCard, DEMO, person, Wire, type DemoPerson } from './wire.ts';

// 1101, 2001, 5303, 5311 against the default world (clock 2026-11-20).

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

async function info(p: DemoPerson, card = p.card) {
  const r = await w.send('1101', { data: { mdtrt_cert_type: '03', mdtrt_cert_no: card.cardNo, card_sn: card.cardSn, psn_cert_type: '90', certno: p.certno } });
  expect(r.body.infcode, r.text).toBe(0);
  return { out: r.body.output, exp: JSON.parse(r.body.output.baseinfo.exp_content) };
}

describe('1101 人员信息获取', () => {
  it('returns baseinfo, insuinfo and idetinfo with exp_content as a JSON string', async () => {
    const p = person('assistance');
    const { out, exp } = await info(p);
    expect(out.baseinfo).toMatchObject({ psn_no: p.psnNo, certno: p.certno, psn_name: '曹桂兰', gend: '2', brdy: '1950-01-01', age: 76 });
    expect(typeof out.baseinfo.exp_content).toBe('string');
    expect(exp).toEqual({ card_stas: '1', trt_chk_rslt: '', inhosp_stas: '0', flx_emp_flag: '0' });
    expect(out.insuinfo).toEqual([
      { balc: 0, insutype: '390', psn_type: '1501', psn_insu_stas: '1', psn_insu_date: '2008-01-01', paus_insu_date: null, cvlserv_flag: '0', insuplc_admdvs: '320200', emp_name: '' },
    ]);
    expect(out.idetinfo).toEqual([{ psn_idet_type: '2301', psn_type_lv: '', memo: '特困供养人员', begntime: '2020-01-01 00:00:00', endtime: null }]);
  });

  it.each([
    ['local-employee', '1'],
    ['card-not-activated', '2'],
    ['card-temp-lost', '3'],
    ['card-lost', '4'],
    ['card-expired', '7'],
  ])('card_stas of %s is %s', async (key, stas) => {
    expect((await info(person(key))).exp.card_stas).toBe(stas);
  });

  it('a replaced card reports 6; the new card 1', async () => {
    const p = person('card-replaced');
    expect((await info(p, p.oldCard)).exp.card_stas).toBe('6');
    expect((await info(p)).exp.card_stas).toBe('1');
  });

  it('an expired card is normal on its 有效期 day and expired the day after', async () => {
    const p = person('card-expired');
    await sb.admin.setClock('2026-02-28T23:59:00+08:00');
    try {
      expect((await info(p)).exp.card_stas).toBe('1');
      await sb.admin.setClock('2026-03-01T00:00:00+08:00');
      expect((await info(p)).exp.card_stas).toBe('7');
    } finally {
      await sb.admin.setClock('2026-11-20T10:00:00+08:00');
    }
  });

  it('card_stas is empty when the credential is not a card (ID number, e-voucher)', async () => {
    const p = person('card-lost');
    const byId = await w.send('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: p.certno } });
    expect(JSON.parse(byId.body.output.baseinfo.exp_content).card_stas).toBe('');
    const byToken = await w.send('1101', { data: { mdtrt_cert_type: '01', mdtrt_cert_no: p.ecToken } });
    expect(byToken.body.output.baseinfo.psn_no).toBe(p.psnNo);
    expect(JSON.parse(byToken.body.output.baseinfo.exp_content).card_stas).toBe('');
  });

  it('trt_chk_rslt names the suspended insurance and the waiting period', async () => {
    expect((await info(person('insurance-suspended'))).exp.trt_chk_rslt).toBe('职工基本医疗保险：暂停参保');
    expect((await info(person('waiting-period'))).exp.trt_chk_rslt).toBe('城乡居民基本医疗保险：待遇等待期（2026-10-15至2026-12-14）');
  });

  it('inhosp_stas is 1 with an open admission elsewhere', async () => {
    expect((await info(person('open-admission-elsewhere'))).exp.inhosp_stas).toBe('1');
  });

  it('refuses a card without card_sn, an unknown card and a number that is not the card_sn\'s', async () => {
    const p = person('local-employee');
    expect((await w.send('1101', { data: { mdtrt_cert_type: '03', mdtrt_cert_no: p.card.cardNo } })).body.err_msg).toContain('卡识别码（card_sn）必填');
    expect((await w.send('1101', { data: { mdtrt_cert_type: '03', mdtrt_cert_no: 'Z99999999', card_sn: 'NOPE' } })).body.err_msg).toContain('未查询到该卡识别码');
    const other = person('local-resident');
    expect((await w.send('1101', { data: { mdtrt_cert_type: '03', mdtrt_cert_no: other.card.cardNo, card_sn: p.card.cardSn } })).body.err_msg).toBe(
      '社会保障卡卡号与卡识别码不一致',
    );
  });
});

describe('2001 人员待遇享受检查', () => {
  const check = (p: DemoPerson, begntime = '2026-11-20 10:00:00') =>
    w.send('2001', { data: { psn_no: p.psnNo, insutype: p.insutype, fixmedins_code: '', med_type: '21', begntime } }, { insuplc: p.insuplc });

  it('enjoys benefits normally', async () => {
    const r = await check(person('local-employee'));
    expect(r.body.output.trtinfo).toEqual([
      { fund_pay_type: '310100', fund_pay_type_name: '职工基本医疗保险统筹基金', trt_enjymnt_flag: '1', begndate: '2010-07-01', enddate: null, trt_chk_rslt: '' },
    ]);
  });

  it('not during the waiting period, again after it', async () => {
    const p = person('waiting-period');
    expect((await check(p)).body.output.trtinfo[0]).toMatchObject({ trt_enjymnt_flag: '0', begndate: '2026-10-15', enddate: '2026-12-14' });
    expect((await check(p, '2026-12-15 08:00:00')).body.output.trtinfo[0]).toMatchObject({ trt_enjymnt_flag: '1', trt_chk_rslt: '' });
  });

  it('not when suspended', async () => {
    expect((await check(person('insurance-suspended'))).body.output.trtinfo[0]).toMatchObject({ trt_enjymnt_flag: '0', trt_chk_rslt: '暂停参保，不享受待遇' });
  });
});

describe('5303 在院信息查询', () => {
  it('lists the open admission at another hospital', async () => {
    const p = person('open-admission-elsewhere');
    const r = await w.send('5303', { data: { psn_no: p.psnNo, begntime: '2026-01-01 00:00:00', endtime: '2026-11-20 23:59:59' } }, { insuplc: p.insuplc });
    expect(r.body.output.data).toEqual([
      expect.objectContaining({
        mdtrt_id: '320281202611150000000001',
        psn_no: p.psnNo,
        begndate: '2026-11-15',
        med_type: '21',
        ipt_otp_no: 'ZY2026111500031',
        out_flag: '1',
        fixmedins_code: 'H32028100001',
      }),
    ]);
  });

  it('lists nothing for someone not in hospital', async () => {
    const p = person('local-resident');
    const r = await w.send('5303', { data: { psn_no: p.psnNo, begntime: '2026-01-01 00:00:00', endtime: '2026-11-20 23:59:59' } }, { insuplc: p.insuplc });
    expect(r.body.output.data).toEqual([]);
  });
});

describe('5311 异地就医备案查询 (sandbox extension)', () => {
  it('returns filings and 大市一卡通 registrations in wire form', async () => {
    const p = person('jy-dsyk-and-filing');
    const r = await w.send('5311', { data: { psn_no: p.psnNo } }, { insuplc: p.insuplc });
    expect(r.body.output).toEqual({
      filings: [
        {
          trt_dcla_detl_sn: 'BA320281202603010001',
          psn_no: p.psnNo,
          dcla_type: '03',
          mdtrtarea_admdvs: '320100',
          begndate: '2026-03-01',
          enddate: null,
          crte_time: '2026-03-01 10:12:00',
          vali_flag: '1',
        },
      ],
      dsyk_regs: [
        { reg_id: 'DSYK320281000003', psn_no: p.psnNo, insu_admdvs: '320281', trt_admdvs: '320200', card_sn: p.card.cardSn, begndate: '2024-06-01', vali_flag: '1' },
      ],
    });
  });

  it('the reissued card\'s registration names the old card', async () => {
    const p = person('jy-dsyk-reissued');
    const r = await w.send('5311', { data: { psn_no: p.psnNo } }, { insuplc: p.insuplc });
    expect(r.body.output.dsyk_regs[0].card_sn).toBe(p.oldCard!.cardSn);
    expect(r.body.output.filings).toEqual([]);
  });

  it('refuses an unknown person', async () => {
    expect((await w.send('5311', { data: { psn_no: 'NOBODY' } }, { insuplc: '320200' })).body.err_msg).toBe('人员编号不存在');
  });

  it('byCard credentials identify people across the world', () => {
    expect(byCard(person('hf-filed')).no.startsWith('A00017823')).toBe(true);
  });
});

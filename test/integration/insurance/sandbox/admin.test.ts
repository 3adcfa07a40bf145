import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminRequestError, startTestSandbox, type TestSandbox } from '../../../../insurance/sandbox/testing.ts';
import { DEMO, person, Wire } from './wire.ts';

// The loopback admin API: clock, filings and registrations (settlement-rules §3), person facts.

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

async function rejected(p: Promise<unknown>): Promise<AdminRequestError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AdminRequestError) return e;
    throw e;
  }
  throw new Error('expected the admin request to be refused');
}

describe('clock', () => {
  it('is set, frozen, and read back; without an offset the time is China time', async () => {
    expect(await sb.admin.clock()).toEqual({ now: '2026-11-20T02:00:00.000Z', china: '2026-11-20 10:00:00', frozen: true });
    expect(await sb.admin.setClock('2027-01-02T08:30:00')).toEqual({ now: '2027-01-02T00:30:00.000Z', china: '2027-01-02 08:30:00', frozen: true });
    const r = await w.send('9001', { signIn: { opter_no: 'X', mac: '', ip: '127.0.0.1' } });
    expect(r.body.output.signinoutb.sign_time).toBe('2027-01-02 08:30:00');
    await sb.admin.setClock('2026-11-20T10:00:00+08:00');
  });

  it('runs from the set time when not frozen', async () => {
    const c = await sb.admin.setClock('2026-11-20T10:00:00+08:00', false);
    expect(c.frozen).toBe(false);
    await new Promise((r) => setTimeout(r, 30));
    expect(Date.parse((await sb.admin.clock()).now)).toBeGreaterThan(Date.parse('2026-11-20T02:00:00.000Z'));
    await sb.admin.setClock('2026-11-20T10:00:00+08:00');
  });

  it('refuses a malformed time', async () => {
    expect((await rejected(sb.admin.setClock('yesterday'))).status).toBe(400);
  });
});

describe('filings and 大市一卡通 registrations conflict (§3)', () => {
  it('refuses a filing while an active registration exists', async () => {
    const p = person('jy-dsyk-registered');
    const e = await rejected(sb.admin.addFiling({ psn_no: p.psnNo, dcla_type: '03', mdtrtarea_admdvs: '320100', begndate: '2026-11-20' }));
    expect(e.status).toBe(409);
    expect(e.message).toContain('大市一卡通登记');
  });

  it('refuses a registration while an active filing exists, allows it once the filing is cancelled', async () => {
    const p = person('nj-unfiled');
    const f = await sb.admin.addFiling({ psn_no: p.psnNo, dcla_type: '05', mdtrtarea_admdvs: '320000', begndate: '2026-11-20', enddate: '2027-05-19' });
    expect(f).toMatchObject({ psn_no: p.psnNo, dcla_type: '05', crte_time: '2026-11-20 10:00:00', vali_flag: '1' });
    // 南京 is not in a pooling group with 无锡: the areas are refused first; use a Jiangyin person for the conflict
    expect((await rejected(sb.admin.addRegistration({ psn_no: p.psnNo, trt_admdvs: '320200' }))).status).toBe(400);

    const q = person('jy-dsyk-unregistered');
    const g = await sb.admin.addFiling({ psn_no: q.psnNo, dcla_type: '04', mdtrtarea_admdvs: '320100', begndate: '2026-11-20', enddate: '2027-05-19' });
    const e = await rejected(sb.admin.addRegistration({ psn_no: q.psnNo, trt_admdvs: '320200' }));
    expect(e.status).toBe(409);
    expect(e.message).toContain('异地就医备案');
    await sb.admin.cancelFiling(g.trt_dcla_detl_sn);
    const r = await sb.admin.addRegistration({ psn_no: q.psnNo, trt_admdvs: '320200' });
    expect(r).toMatchObject({ insu_admdvs: '320281', trt_admdvs: '320200', card_sn: q.card.cardSn, begndate: '2026-11-20', vali_flag: '1' });
    const listed = await w.send('5311', { data: { psn_no: q.psnNo } }, { insuplc: q.insuplc });
    expect(listed.body.output.filings[0].vali_flag).toBe('0');
    expect(listed.body.output.dsyk_regs).toHaveLength(1);
  });

  it('a void registration (card reissued) does not block a filing', async () => {
    const p = person('jy-dsyk-reissued');
    const f = await sb.admin.addFiling({ psn_no: p.psnNo, dcla_type: '03', mdtrtarea_admdvs: '320100', begndate: '2026-11-20' });
    expect(f.vali_flag).toBe('1');
  });

  it('a new registration needs the current card and an employee', async () => {
    const p = person('card-replaced');
    expect((await rejected(sb.admin.addRegistration({ psn_no: p.psnNo, trt_admdvs: '320281', card_sn: p.oldCard!.cardSn }))).message).toContain('当前有效');
    const r = person('local-resident');
    expect((await rejected(sb.admin.addRegistration({ psn_no: r.psnNo, trt_admdvs: '320281' }))).message).toContain('仅限职工');
  });

  it('refuses a filing inside the insured city and an unknown person', async () => {
    const p = person('local-employee');
    expect((await rejected(sb.admin.addFiling({ psn_no: p.psnNo, dcla_type: '02', mdtrtarea_admdvs: '320281', begndate: '2026-11-20' }))).status).toBe(409);
    expect((await rejected(sb.admin.addFiling({ psn_no: 'NOBODY', dcla_type: '02', mdtrtarea_admdvs: '320100', begndate: '2026-11-20' }))).status).toBe(404);
  });
});

describe('person facts', () => {
  it('changes card status, insurance status and balance, visible in 1101', async () => {
    const p = person('long-name');
    await sb.admin.setPersonFacts(p.psnNo, { cards: [{ card_sn: p.card.cardSn, status: 'temp-lost' }], insurances: [{ insutype: '310', psn_insu_stas: '2', balcFen: 12345 }] });
    const r = await w.send('1101', { data: { mdtrt_cert_type: '03', mdtrt_cert_no: p.card.cardNo, card_sn: p.card.cardSn } });
    expect(JSON.parse(r.body.output.baseinfo.exp_content)).toMatchObject({ card_stas: '3', trt_chk_rslt: '职工基本医疗保险：暂停参保' });
    expect(r.body.output.insuinfo[0]).toMatchObject({ balc: 123.45, psn_insu_stas: '2' });
    const view = await sb.admin.person(p.psnNo);
    expect(view).toMatchObject({ key: 'long-name', psn_no: p.psnNo });
  });

  it('refuses a card the person does not have', async () => {
    const p = person('long-name');
    expect((await rejected(sb.admin.setPersonFacts(p.psnNo, { cards: [{ card_sn: 'X', status: 'lost' }] }))).status).toBe(400);
  });

  it('answers 404 for an unknown admin route', async () => {
    expect((await fetch(`${sb.url}/admin/nothing`)).status).toBe(404);
  });
});

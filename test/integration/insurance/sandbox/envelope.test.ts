import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../../../../insurance/sandbox/testing.ts';
import { csbSign } from '../../../../insurance/sandbox/http/csb-signature.ts';
import { byCard, DEMO, newMsgid, person, Wire } from './wire.ts';

// The national envelope in and out over real HTTP (nhsa-interface.md §1).

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

const p = person('local-employee');
const query1101 = { data: { mdtrt_cert_type: '02', mdtrt_cert_no: p.certno, card_sn: '', psn_cert_type: '01', certno: p.certno, psn_name: '' } };

describe('response envelope', () => {
  it('answers at /fsi/api/rsfComIfsService/callService and at / with the national fields', async () => {
    for (const path of ['/fsi/api/rsfComIfsService/callService', '/']) {
      const r = await w.send('1101', query1101, { path });
      expect(r.http).toBe(200);
      expect(r.body).toMatchObject({ infcode: 0, err_msg: null, warn_msg: null });
      expect(r.body.inf_refmsgid).toMatch(/^320200\d{14}\d{10}$/);
      expect(r.body.refmsg_time).toMatch(/^20261120100000\d{3}$/);
      expect(r.body.respond_time).toMatch(/^\d{17}$/);
      expect(r.body.output.baseinfo.psn_no).toBe(p.psnNo);
    }
  });

  it('gives every answer its own inf_refmsgid', async () => {
    const a = await w.send('1101', query1101);
    const b = await w.send('1101', query1101);
    expect(a.body.inf_refmsgid).not.toBe(b.body.inf_refmsgid);
  });

  it('answers infcode -1 with err_msg and output null on a refusal', async () => {
    const r = await w.send('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: '110101199001011234' } });
    expect(r.http).toBe(200);
    expect(r.body).toMatchObject({ infcode: -1, output: null });
    expect(r.body.err_msg).toBe('未查询到该证件号码的参保人员信息');
  });
});

describe('request envelope checks', () => {
  it('refuses a body that is not JSON with HTTP 400', async () => {
    const r = await w.post('{not json');
    expect(r.http).toBe(400);
    expect(JSON.parse(r.text)).toMatchObject({ infcode: -1, err_msg: '报文不是有效的JSON' });
  });

  it('refuses a missing or malformed field, naming it', async () => {
    const env = w.envelope('1101', query1101);
    delete env.infver;
    const r1 = JSON.parse((await w.post(JSON.stringify(env))).text);
    expect(r1).toMatchObject({ infcode: -1 });
    expect(r1.err_msg).toContain('infver');
    const r2 = await w.send('1101', query1101, { msgid: 'H32020000001-short' });
    expect(r2.body.err_msg).toContain('msgid');
    const r3 = await w.send('1101', query1101, { envelope: { opter_type: '7' } });
    expect(r3.body.err_msg).toContain('opter_type');
    const r4 = await w.send('1101', query1101, { envelope: { inf_time: '2026/11/20 10:00' } });
    expect(r4.body.err_msg).toContain('inf_time');
  });

  it('refuses an unknown infno, an unknown hospital, a foreign msgid prefix and a wrong 就医地', async () => {
    expect((await w.send('9999', {})).body.err_msg).toBe('不支持的交易编号：9999');
    expect((await w.send('1101', query1101, { envelope: { fixmedins_code: 'H99999999999' } })).body.err_msg).toContain('定点医药机构编号不存在');
    expect((await w.send('1101', query1101, { msgid: newMsgid('H32028100001') })).body.err_msg).toBe('报文ID应以本定点医药机构编号开头');
    expect((await w.send('1101', query1101, { envelope: { mdtrtarea_admvs: '320100' } })).body.err_msg).toContain('就医地医保区划320100');
  });

  it('requires a sign_no from 9001, and 9002 ends it', async () => {
    expect((await w.send('1101', query1101, { signNo: '' })).body.err_msg).toBe('签到流水号无效或已签退，请先签到（9001）');
    expect((await w.send('1101', query1101, { signNo: 'FORGED' })).body.infcode).toBe(-1);
    const other = new Wire(sb.url, DEMO);
    const signNo = await other.signIn();
    expect((await other.send('1101', query1101)).body.infcode).toBe(0);
    const out = await other.send('9002', { signOut: { sign_no: signNo, opter_no: 'ZZJ01' } });
    expect(out.body).toMatchObject({ infcode: 0, output: { signoutoutb: { sign_time: '2026-11-20 10:00:00' } } });
    expect((await other.send('1101', query1101)).body.err_msg).toContain('签到流水号无效或已签退');
  });

  it('a sign_no of another hospital does not count', async () => {
    const jy = new Wire(sb.url, { code: 'H32028100001', name: '江阴市示范人民医院', admvs: '320281' });
    expect((await jy.send('1101', query1101, { signNo: w.signNo })).body.err_msg).toContain('签到流水号无效');
  });

  it('requires insuplc_admdvs when the input names a psn_no, and the person\'s own', async () => {
    const data = { data: { psn_no: p.psnNo } };
    expect((await w.send('5311', data)).body.err_msg).toBe('交易输入含人员编号时参保地医保区划（insuplc_admdvs）必填');
    expect((await w.send('5311', data, { insuplc: '320100' })).body.err_msg).toBe('参保地医保区划320100与参保人参保地不符');
    expect((await w.send('5311', data, { insuplc: '320200' })).body.infcode).toBe(0);
  });

  it('accepts numbers where the wire usually sends strings (opter_type 2)', async () => {
    expect((await w.send('1101', query1101, { envelope: { opter_type: 2 } })).body.infcode).toBe(0);
  });

  it('answers 404 on another path and 405 on GET', async () => {
    expect((await w.post('{}', { path: '/other' })).http).toBe(404);
    expect((await fetch(`${sb.url}/fsi/api/rsfComIfsService/callService`)).status).toBe(405);
  });
});

describe('Jiangsu CSB headers', () => {
  const params = { _api_access_key: 'kiosk-demo-ak', _api_name: 'hsa.fsi.callService', _api_timestamp: '1795000000000', _api_version: '1.0.0' };

  it('accepts a request with a valid signature for a configured access key', async () => {
    const headers = { ...params, _api_signature: csbSign('kiosk-demo-sk-2026', params) };
    expect((await w.send('1101', query1101, { headers })).body.infcode).toBe(0);
  });

  it('refuses a wrong signature with HTTP 401', async () => {
    const headers = { ...params, _api_signature: csbSign('wrong-secret', params) };
    const r = await w.send('1101', query1101, { headers });
    expect(r.http).toBe(401);
    expect(r.body).toMatchObject({ infcode: -1, err_msg: 'CSB网关：签名校验失败' });
  });

  it('refuses a signature over other values (the timestamp changed after signing)', async () => {
    const headers = { ...params, _api_signature: csbSign('kiosk-demo-sk-2026', params), _api_timestamp: '1795000000001' };
    expect((await w.send('1101', query1101, { headers })).http).toBe(401);
  });

  it('refuses incomplete headers, accepts an access key without a configured secret (not required)', async () => {
    const { _api_version: _v, ...three } = params;
    expect((await w.send('1101', query1101, { headers: { ...three, _api_signature: 'x' } })).http).toBe(401);
    const unknown = { ...params, _api_access_key: 'other-ak' };
    expect((await w.send('1101', query1101, { headers: { ...unknown, _api_signature: 'anything' } })).body.infcode).toBe(0);
  });

  it('a card credential works with the Jiangsu 卡号|pBusiCardInfo form', async () => {
    const c = byCard(p);
    const r = await w.send('1101', { data: { mdtrt_cert_type: '03', mdtrt_cert_no: c.no, card_sn: c.cardSn, psn_cert_type: '90' } });
    expect(r.body.output.baseinfo.psn_no).toBe(p.psnNo);
  });
});

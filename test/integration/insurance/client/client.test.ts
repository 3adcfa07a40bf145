import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  FeeUploadIncompleteError,
  fetchPersonInfo,
  MSGID_PATTERN,
  PlatformRequestError,
  queryInHospital,
  signOut,
  staffOperator,
  toKioskError,
  uploadFeeDetails,
  type FeeDetail,
} from '../../../../insurance/client/index.ts';
import { fen } from '../../../../base/fen.ts';
import { FakePlatform } from './fake-platform.ts';
import { failure, makeClient, type ClientParts } from './make-client.ts';

/** The client's own rules (envelope, sign-in, msgid, CSB headers, batches) seen from a real HTTP platform. */

let platform: FakePlatform;
let parts: ClientParts;

beforeEach(async () => {
  platform = await new FakePlatform().start();
  parts = makeClient(platform.url);
});

afterEach(async () => {
  parts.client.close();
  await platform.close();
});

const inHospitalQuery = { psn_no: 'P1', insuplc_admdvs: '320100', begntime: '2026-01-01 00:00:00', endtime: '2026-03-02 09:00:00' };

describe('envelope on the wire', () => {
  it('carries the hospital, operator, time, msgid, sign_no and the insuplc_admdvs rule', async () => {
    platform.handlers.set('1101', () => ({ infcode: 0, output: { baseinfo: { psn_no: 'P1' }, insuinfo: [], idetinfo: [] } }));
    await fetchPersonInfo(parts.client, { mdtrt_cert_type: '03', mdtrt_cert_no: 'A00001371', card_sn: '320200D156000005E2637265338DA33E', psn_cert_type: '90' });
    await queryInHospital(parts.client, inHospitalQuery);
    const [signIn, person, inHospital] = platform.received.map((r) => r.envelope);
    expect(signIn).toMatchObject({ infno: '9001', sign_no: '', insuplc_admdvs: '', input: { signIn: { opter_no: 'ZZJ01', ip: '127.0.0.1', mac: '00-00-00-00-00-00' } } });
    expect(person).toMatchObject({
      infno: '1101',
      insuplc_admdvs: '',
      mdtrtarea_admvs: '320200',
      fixmedins_code: 'H32020000001',
      fixmedins_name: '无锡市第一人民医院',
      recer_sys_code: 'MBS',
      infver: 'V1.0',
      opter: 'ZZJ01',
      opter_name: '前台终端01',
      opter_type: '2',
      inf_time: '2026-03-02 09:00:00',
      sign_no: 'SN000001',
      input: { data: { mdtrt_cert_type: '03', mdtrt_cert_no: 'A00001371', card_sn: '320200D156000005E2637265338DA33E', psn_cert_type: '90', certno: '' } },
    });
    expect(inHospital).toMatchObject({ infno: '5303', insuplc_admdvs: '320100', sign_no: 'SN000001' });
    const msgids = platform.received.map((r) => r.envelope.msgid);
    for (const m of msgids) expect(m).toMatch(MSGID_PATTERN);
    expect(msgids[0]?.slice(0, 26)).toBe('H32020000001' + '20260302090000');
    expect(new Set(msgids).size).toBe(3);
  });

  it('refuses to send a psn_no without insuplc_admdvs', async () => {
    const e = await failure(queryInHospital(parts.client, { ...inHospitalQuery, insuplc_admdvs: '' }));
    expect(e).toBeInstanceOf(PlatformRequestError);
    expect(platform.received).toHaveLength(0);
  });

  it('adds the CSB gateway headers when configured', async () => {
    const csb = makeClient(platform.url, { csb: { apiName: 'hsa.fsi', apiVersion: '1.0', accessKey: 'AK1', secretKey: 'SK1' } }, { clock: parts.clock });
    try {
      await csb.client.signIn();
      expect(platform.received[0]?.headers).toMatchObject({
        _api_name: 'hsa.fsi',
        _api_version: '1.0',
        _api_access_key: 'AK1',
        _api_timestamp: '1772413200000',
        // python3: base64(hmac.new(b'SK1', b'_api_access_key=AK1&_api_name=hsa.fsi&_api_timestamp=1772413200000&_api_version=1.0', sha1))
        _api_signature: 'ermn5QQ8Q3//dSC8oWHymTem/i8=',
      });
    } finally {
      csb.client.close();
    }
  });
});

describe('msgid', () => {
  it('sends under the msgid the caller gives (an outbox replay)', async () => {
    await parts.client.signIn();
    const msgid = 'H32020000001202603020855000042';
    const reply = await queryInHospital(parts.client, inHospitalQuery, { msgid });
    expect(reply.msgid).toBe(msgid);
    expect(platform.requestsOf('5303')[0]?.envelope.msgid).toBe(msgid);
  });

  it('refuses a msgid of another hospital or of the wrong shape, before sending', async () => {
    for (const msgid of ['H32020000002202603020855000042', 'H3202000000120260302085500004', 'x']) {
      expect(await failure(queryInHospital(parts.client, inHospitalQuery, { msgid }))).toBeInstanceOf(PlatformRequestError);
    }
    expect(platform.requestsOf('5303')).toHaveLength(0);
  });
});

describe('sign-in 9001 / sign-out 9002', () => {
  it('signs in once per operator per day, however many calls wait for it', async () => {
    await Promise.all(Array.from({ length: 5 }, () => queryInHospital(parts.client, inHospitalQuery)));
    expect(platform.requestsOf('9001')).toHaveLength(1);
    const staff = staffOperator('S0042', '张三');
    await queryInHospital(parts.client, inHospitalQuery, { operator: staff });
    expect(platform.requestsOf('9001')).toHaveLength(2);
    expect(platform.requestsOf('9001')[1]?.envelope).toMatchObject({ opter: 'S0042', opter_type: '1', input: { signIn: { opter_no: 'S0042' } } });
    expect(platform.requestsOf('5303').at(-1)?.envelope).toMatchObject({ opter: 'S0042', opter_type: '1', sign_no: 'SN000002' });

    parts.clock.advance(24 * 3600 * 1000); // the next China day
    await queryInHospital(parts.client, inHospitalQuery);
    expect(platform.requestsOf('9001')).toHaveLength(3);
  });

  it('reuses a sign-in cached in the store (a restart the same day)', async () => {
    parts.signIns.put({ opter: 'ZZJ01', day: '2026-03-02', sign_no: 'CACHED1', sign_time: '2026-03-02 08:00:00' });
    await queryInHospital(parts.client, inHospitalQuery);
    expect(platform.requestsOf('9001')).toHaveLength(0);
    expect(platform.requestsOf('5303')[0]?.envelope.sign_no).toBe('CACHED1');
  });

  it('signs out with the day’s sign_no and forgets it', async () => {
    expect(await signOut(parts.client)).toBeNull();
    await parts.client.signIn();
    const out = await signOut(parts.client);
    expect(out).toEqual({ sign_time: '2026-03-02 09:00:00' });
    expect(platform.requestsOf('9002')[0]?.envelope).toMatchObject({ sign_no: 'SN000001', input: { signOut: { sign_no: 'SN000001', opter_no: 'ZZJ01' } } });
    expect(parts.signIns.all()).toHaveLength(0);
    await queryInHospital(parts.client, inHospitalQuery);
    expect(platform.requestsOf('9001')).toHaveLength(2);
  });

  it('a failed sign-in is NOT_SIGNED_IN on screen', async () => {
    platform.handlers.set('9001', () => ({ infcode: -1, err_msg: '操作员不存在' }));
    const e = await failure(queryInHospital(parts.client, inHospitalQuery));
    expect(toKioskError(e)).toMatchObject({ code: 'NOT_SIGNED_IN', message: '医保签到失败：医保平台未受理签到：操作员不存在' });
    expect(platform.requestsOf('5303')).toHaveLength(0);
  });
});

describe('2301 in batches', () => {
  const line = (i: number): FeeDetail => ({
    feedetl_sn: `F${String(i).padStart(5, '0')}`,
    med_type: '21',
    fee_ocur_time: '2026-03-01 10:00:00',
    med_list_codg: 'XB01ACH001',
    medins_list_codg: 'H-001',
    det_item_fee_sumamt: fen(1250),
    cnt: 2.5,
    pric: fen(500),
    bilg_dept_codg: 'D01',
    bilg_dept_name: '内科',
    bilg_dr_codg: 'DR1',
    bilg_dr_name: '李医生',
  });
  const stay = (n: number) => ({ psn_no: 'P1', mdtrt_id: 'MD1', insuplc_admdvs: '320200', feedetail: Array.from({ length: n }, (_, i) => line(i)) });

  beforeEach(() => {
    platform.handlers.set('2301', (env) => ({
      infcode: 0,
      output: { result: (env.input['feedetail'] as Record<string, string>[]).map((l) => ({ feedetl_sn: l['feedetl_sn'], det_item_fee_sumamt: l['det_item_fee_sumamt'], cnt: l['cnt'], inscp_scp_amt: l['det_item_fee_sumamt'] })) },
    }));
  });

  it('cuts the lines into batches with yuan and decimal text on the wire', async () => {
    const done = await uploadFeeDetails(parts.client, stay(120), { batchSize: 50 });
    const batches = platform.requestsOf('2301').map((r) => r.envelope.input['feedetail'] as Record<string, unknown>[]);
    expect(batches.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(batches[0]?.[0]).toMatchObject({ feedetl_sn: 'F00000', mdtrt_id: 'MD1', psn_no: 'P1', det_item_fee_sumamt: '12.50', cnt: '2.5', pric: '5.00', init_feedetl_sn: '' });
    expect(done.result).toHaveLength(120);
    expect(done.result[119]).toMatchObject({ feedetl_sn: 'F00119', det_item_fee_sumamt: 1250, inscp_scp_amt: 1250, fulamt_ownpay_amt: 0 });
    expect(new Set(done.msgids).size).toBe(3);
  });

  it('refuses a duplicate feedetl_sn before sending anything', async () => {
    const s = stay(3);
    s.feedetail[2] = { ...line(2), feedetl_sn: 'F00000' };
    expect(await failure(uploadFeeDetails(parts.client, s))).toBeInstanceOf(PlatformRequestError);
    expect(platform.requestsOf('2301')).toHaveLength(0);
  });

  it('stops at a failed batch, and the replay reuses its msgid', async () => {
    const handler = platform.handlers.get('2301');
    let applied = 0;
    platform.handlers.set('2301', (env, p) => {
      applied += 1;
      return handler ? handler(env, p) : { infcode: 0 };
    });
    platform.addFault('2301', { kind: 'latency', ms: 0 }, 1); // batch 1 answers
    platform.addFault('2301', { kind: 'drop-after-commit' }, 1); // batch 2 is applied, its answer lost
    const e = await failure(uploadFeeDetails(parts.client, stay(30), { batchSize: 10 }));
    expect(e).toBeInstanceOf(FeeUploadIncompleteError);
    const incomplete = e as FeeUploadIncompleteError;
    expect(incomplete).toMatchObject({ kind: 'fee-upload-incomplete', outcome: 'unknown', totalCount: 30 });
    expect(incomplete.uploaded).toHaveLength(10);
    expect(incomplete.reversal).toBeNull(); // 2301 is not reversible: replay, never 2601
    expect(platform.requestsOf('2601')).toHaveLength(0);
    expect(platform.requestsOf('2301')).toHaveLength(2); // batch 3 was not sent
    const sent = platform.requestsOf('2301').map((r) => r.envelope.msgid);
    expect(incomplete.failedMsgid).toBe(sent[1]);
    expect(toKioskError(e)).toMatchObject({ code: 'PLATFORM_OUTCOME_UNKNOWN', message: expect.stringContaining('已上传10/30条') });

    const replay = await uploadFeeDetails(parts.client, stay(30), { batchSize: 10, msgids: sent });
    expect(replay.msgids.slice(0, 2)).toEqual(sent);
    expect(replay.result).toHaveLength(30);
    expect(applied).toBe(2 + 3);
  });
});

describe('untrusted output', () => {
  it('a wrong-shaped output is a typed error, not a crash', async () => {
    platform.handlers.set('5303', () => ({ infcode: 0, output: { data: [{ mdtrt_id: { nested: true }, psn_no: 7 }] } }));
    const e = await failure(queryInHospital(parts.client, inHospitalQuery));
    expect(e).toMatchObject({ kind: 'bad-response', outcome: 'unknown' });
    expect(toKioskError(e)).toMatchObject({ code: 'PLATFORM_OFFLINE' }); // a query: nothing to reverse, try again
  });

  it('any JSON the platform sends as 1101 output ends in a reply or a PlatformError', async () => {
    const outputs: unknown[] = [null, [], 'x', 1, { baseinfo: null }, { baseinfo: { psn_no: '' } }, { baseinfo: { psn_no: 'P', exp_content: '{bad' } }, { baseinfo: { psn_no: 'P' }, insuinfo: [{ balc: 'abc' }] }];
    for (const output of outputs) {
      platform.handlers.set('1101', () => ({ infcode: 0, output }));
      const e = await failure(fetchPersonInfo(parts.client, { mdtrt_cert_type: '02', mdtrt_cert_no: '1' }));
      expect(e, JSON.stringify(output)).toMatchObject({ kind: 'bad-response' });
    }
    platform.handlers.set('1101', () => ({
      infcode: 0,
      output: {
        baseinfo: { psn_no: 'P1', psn_name: '王建国', age: 50.5, exp_content: '{"card_stas":"1","trt_chk_rslt":"","inhosp_stas":"0"}' },
        insuinfo: [{ balc: 1234.5, insutype: 310, insuplc_admdvs: '320200', psn_insu_stas: '1', psn_type: '1101' }],
        idetinfo: null,
      },
    }));
    const ok = await fetchPersonInfo(parts.client, { mdtrt_cert_type: '02', mdtrt_cert_no: '1' });
    expect(ok.output.baseinfo).toMatchObject({ psn_no: 'P1', age: '50.5', exp_content: { card_stas: '1', trt_chk_rslt: '', inhosp_stas: '0' } });
    expect(ok.output.insuinfo[0]).toMatchObject({ balc: 123450, insutype: '310', paus_insu_date: null });
    expect(ok.output.idetinfo).toEqual([]);
  });
});

describe('payload', () => {
  it('z.unknown schema passes any output through untouched', async () => {
    platform.handlers.set('9999', () => ({ infcode: 0, output: { a: [1, 2] } }));
    const reply = await parts.client.call({ infno: '9999', input: {}, visitKey: 'k' }, z.unknown());
    expect(reply.output).toEqual({ a: [1, 2] });
  });
});

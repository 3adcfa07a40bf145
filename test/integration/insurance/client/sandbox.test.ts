import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  InMemoryMsgidSequence,
  cancelFeeDetails,
  checkTreatment,
  discharge,
  fetchPersonInfo,
  preSettle,
  queryCumulative,
  queryFeeDetails,
  queryInHospital,
  querySettlement,
  reconcileDetails,
  reconcileTotals,
  ReversalPendingError,
  Sandbox5311Filings,
  settle,
  signOut,
  toKioskError,
  uploadFeeDetails,
  type PlatformClient,
} from '../../../../insurance/client/index.ts';
import { startTestSandbox, type TestSandbox } from '../../../../insurance/sandbox/testing.ts';
import { failure, makeClient, TestClock, type ClientParts } from './make-client.ts';
import { admitPatient, buildBill, identify, settlementInput, type Patient } from './sandbox-journey.ts';

/**
 * The client against the sandbox platform over real HTTP on 127.0.0.1, under every fault the sandbox can
 * inject (latency, HTTP 5xx, connection reset, response dropped after commit). The sandbox's journal (what
 * took effect) and 5203/3202 are the judges: a stay ends with one settlement, never two.
 */

let sandbox: TestSandbox;
let parts: ClientParts;
let client: PlatformClient;
let stayNo = 0;
// One msgid sequence for every client of this file, like the persisted one: the sandbox keeps each msgid's
// answer, so a second client starting its counter again at the same (frozen) second would replay old answers.
const msgids = new InMemoryMsgidSequence('H32020000001');
const clock = new TestClock(new Date('2026-11-20T02:00:00Z'));

beforeAll(async () => {
  sandbox = await startTestSandbox();
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(async () => {
  parts?.client.close();
  await sandbox.admin.clearFaults(7);
  parts = makeClient(sandbox.endpoint, {}, { clock, msgids });
  client = parts.client;
});

interface Stay {
  patient: Patient;
  mdtrtId: string;
  input: ReturnType<typeof settlementInput>;
}

/** A fresh stay with `lines` uploaded, ready for 2303/2304. */
async function openStay(key: string, lines = 12): Promise<Stay> {
  stayNo += 1;
  const patient = await identify(client, key);
  const mdtrtId = await admitPatient(client, patient, `ZY${String(stayNo).padStart(6, '0')}`);
  const upload = await uploadFeeDetails(client, { psn_no: patient.psn_no, mdtrt_id: mdtrtId, insuplc_admdvs: patient.insuplc_admdvs, feedetail: buildBill(lines) }, { batchSize: 5 });
  expect(upload.refused).toEqual([]);
  return { patient, mdtrtId, input: settlementInput(patient, mdtrtId, upload.result) };
}

/** Settlements of the stay that took effect and were not reversed, per the sandbox journal. */
async function liveSettlements(mdtrtId: string): Promise<{ msgid: string; setl_id: string | null }[]> {
  const entries = await sandbox.admin.journal({ mdtrt_id: mdtrtId, infno: '2304' });
  return entries.filter((e) => e.reversed_by === null).map((e) => ({ msgid: e.msgid, setl_id: e.setl_id }));
}

/** What a service does after an unknown outcome: wait for the reversal, then start again at 2303. */
async function settleUntilDone(stay: Stay, maxTries = 8): Promise<string> {
  for (let i = 0; i < maxTries; i++) {
    try {
      await preSettle(client, stay.input);
      const done = await settle(client, stay.input);
      return done.output.setlinfo.setl_id;
    } catch (e) {
      const k = toKioskError(e);
      if (k.code !== 'PLATFORM_OUTCOME_UNKNOWN' && k.code !== 'PLATFORM_OFFLINE') throw e;
      await client.retryPendingReversals();
    }
  }
  throw new Error('not settled');
}

describe('a stay against the sandbox', () => {
  it('goes from 1101 to 2304 and the reconciliations, with the typed functions', async () => {
    const stay = await openStay('local-employee', 23);
    const p = stay.patient;

    const treatment = await checkTreatment(client, { psn_no: p.psn_no, insuplc_admdvs: p.insuplc_admdvs, insutype: p.insutype, med_type: '21', begntime: '2026-11-18 09:00:00' });
    expect(treatment.output.trtinfo[0]).toMatchObject({ trt_enjymnt_flag: '1' });
    const inHospital = await queryInHospital(client, { psn_no: p.psn_no, insuplc_admdvs: p.insuplc_admdvs, begntime: '2026-01-01 00:00:00', endtime: '2026-11-20 10:00:00' });
    expect(inHospital.output.data.map((r) => r.mdtrt_id)).toContain(stay.mdtrtId);

    const pre = await preSettle(client, stay.input);
    const s = pre.output.setlinfo;
    expect(s.medfee_sumamt).toBe(stay.input.medfee_sumamt);
    expect(s.fund_pay_sumamt + s.acct_pay + s.psn_cash_pay).toBe(s.medfee_sumamt); // settlement-rules §4 invariant, as read
    expect(s.setl_id).toBeNull();

    const done = await settle(client, stay.input);
    expect(done.output.setlinfo).toMatchObject({ medfee_sumamt: s.medfee_sumamt, hifp_pay: s.hifp_pay, psn_cash_pay: s.psn_cash_pay, medins_setl_id: done.msgid });
    const setlId = done.output.setlinfo.setl_id;
    expect(await liveSettlements(stay.mdtrtId)).toEqual([{ msgid: done.msgid, setl_id: setlId }]);

    const query = await querySettlement(client, { psn_no: p.psn_no, mdtrt_id: stay.mdtrtId, setl_id: setlId, insuplc_admdvs: p.insuplc_admdvs });
    expect(query.output.setlinfo).toMatchObject({ setl_id: setlId, setl_stas: 'valid', refd_setl_flag: '0', medfee_sumamt: s.medfee_sumamt });
    const fees = await queryFeeDetails(client, { psn_no: p.psn_no, mdtrt_id: stay.mdtrtId, insuplc_admdvs: p.insuplc_admdvs });
    expect(fees.output.feedetail).toHaveLength(23);
    const cumulative = await queryCumulative(client, { psn_no: p.psn_no, insuplc_admdvs: p.insuplc_admdvs });
    expect(cumulative.output.cuminfo.find((c) => c.cum_type_code === 'S003' && c.insutype === p.insutype)?.cum).toBe('1');

    const totals = await reconcileTotals(client, {
      insutype: p.insutype,
      clr_type: '21',
      setl_optins: p.insuplc_admdvs,
      stmt_begndate: '2026-11-20',
      stmt_enddate: '2026-11-20',
      medfee_sumamt: s.medfee_sumamt,
      fund_pay_sumamt: s.fund_pay_sumamt,
      acct_pay: s.acct_pay,
      fixmedins_setl_cnt: 1,
    });
    expect(totals.output.stmtinfo).toMatchObject({ stmt_rslt: '0' });
    const details = await reconcileDetails(client, {
      setl_optins: p.insuplc_admdvs,
      stmt_begndate: '2026-11-20',
      stmt_enddate: '2026-11-20',
      medfee_sumamt: s.medfee_sumamt,
      fund_pay_sumamt: s.fund_pay_sumamt,
      cash_payamt: s.psn_cash_pay,
      fixmedins_setl_cnt: 1,
      detail: [{ setl_id: setlId, medfee_sumamt: s.medfee_sumamt, fund_pay_sumamt: s.fund_pay_sumamt, acct_pay: s.acct_pay }],
    });
    expect(details.output.stmt_detail.find((r) => r.setl_id === setlId)).toMatchObject({ msgid: done.msgid, stmt_rslt: '0' });

    await discharge(client, {
      insuplc_admdvs: p.insuplc_admdvs,
      dscginfo: { mdtrt_id: stay.mdtrtId, psn_no: p.psn_no, insutype: p.insutype, endtime: '2026-11-20 09:30:00', dscg_dept_codg: 'A03', dscg_dept_name: '呼吸内科', dscg_way: '1' },
      diseinfo: [],
    });
    expect(await signOut(client)).not.toBeNull();
  });

  it('reads filings and registrations through the 5311 adapter', async () => {
    const filings = new Sandbox5311Filings(client);
    const filed = await identify(client, 'nj-filed-long-term');
    const f = await filings.queryFilings({ psn_no: filed.psn_no, insuplc_admdvs: filed.insuplc_admdvs });
    expect(f.output.filings).toEqual([expect.objectContaining({ psn_no: filed.psn_no, dcla_type: '02', vali_flag: '1' })]);
    const dsyk = await identify(client, 'jy-dsyk-registered');
    const r = await filings.queryFilings({ psn_no: dsyk.psn_no, insuplc_admdvs: dsyk.insuplc_admdvs });
    expect(r.output.dsyk_regs).toEqual([expect.objectContaining({ insu_admdvs: '320281', trt_admdvs: '320200', vali_flag: '1' })]);
  });

  it('reads card status from 1101 exp_content', async () => {
    const info = await fetchPersonInfo(client, { mdtrt_cert_type: '02', mdtrt_cert_no: '320200198303082827' }); // card-temp-lost, by ID: no card
    expect(info.output.baseinfo.exp_content).toMatchObject({ card_stas: '', inhosp_stas: '0' });
  });

  it('signs the CSB headers the sandbox verifies; a wrong secret is turned away, not applied', async () => {
    const good = makeClient(sandbox.endpoint, { csb: { apiName: 'hsa.fsi', apiVersion: '1.0', accessKey: 'kiosk-demo-ak', secretKey: 'kiosk-demo-sk-2026' } }, { clock, msgids });
    const bad = makeClient(sandbox.endpoint, { csb: { apiName: 'hsa.fsi', apiVersion: '1.0', accessKey: 'kiosk-demo-ak', secretKey: 'wrong' } }, { clock, msgids });
    try {
      await good.client.signIn();
      const e = await failure(bad.client.signIn());
      expect(e).toMatchObject({ kind: 'http-status', status: 401, outcome: 'not-applied' });
    } finally {
      good.client.close();
      bad.client.close();
    }
  });
});

describe('2304 under every injected fault: one settlement or none, never two', () => {
  it('response dropped after commit: the client reverses it, and the redo makes exactly one', async () => {
    const stay = await openStay('local-employee');
    await sandbox.admin.addFault({ infno: '2304', kind: 'drop-after-commit', count: 1 });
    const e = await failure(settle(client, stay.input));
    expect(e).toMatchObject({ kind: 'connection-lost', outcome: 'unknown', reversal: 'reversed' });
    // The sandbox committed it, then the 2601 reversed it: nothing live.
    const all = await sandbox.admin.journal({ mdtrt_id: stay.mdtrtId, infno: '2304' });
    expect(all).toHaveLength(1);
    expect(all[0]?.reversed_by).not.toBeNull();
    expect(await liveSettlements(stay.mdtrtId)).toEqual([]);
    const lostSetlId = all[0]?.setl_id ?? '';
    expect(await failure(querySettlement(client, { psn_no: stay.patient.psn_no, mdtrt_id: stay.mdtrtId, setl_id: lostSetlId, insuplc_admdvs: stay.patient.insuplc_admdvs }))).toMatchObject({ kind: 'refused' });

    const setlId = await settleUntilDone(stay);
    expect(await liveSettlements(stay.mdtrtId)).toEqual([{ msgid: expect.any(String), setl_id: setlId }]);
    const q = await querySettlement(client, { psn_no: stay.patient.psn_no, mdtrt_id: stay.mdtrtId, setl_id: setlId, insuplc_admdvs: stay.patient.insuplc_admdvs });
    expect(q.output.setlinfo.setl_stas).toBe('valid');
  });

  it('HTTP 5xx (not processed): reversed as unknown, redo makes exactly one', async () => {
    const stay = await openStay('retired-employee');
    await sandbox.admin.addFault({ infno: '2304', kind: 'http5xx', status: 502, count: 1 });
    expect(await failure(settle(client, stay.input))).toMatchObject({ kind: 'http-status', status: 502, reversal: 'reversed' });
    expect(await liveSettlements(stay.mdtrtId)).toEqual([]);
    await settleUntilDone(stay);
    expect(await liveSettlements(stay.mdtrtId)).toHaveLength(1);
  });

  it('connection reset: reversed as unknown, redo makes exactly one', async () => {
    const stay = await openStay('local-resident');
    await sandbox.admin.addFault({ infno: '2304', kind: 'reset', count: 1 });
    expect(await failure(settle(client, stay.input))).toMatchObject({ kind: 'connection-lost', reversal: 'reversed' });
    expect(await liveSettlements(stay.mdtrtId)).toEqual([]);
    await settleUntilDone(stay);
    expect(await liveSettlements(stay.mdtrtId)).toHaveLength(1);
  });

  it('latency beyond the timeout: the 2601 overtakes the 2304, which then never applies', async () => {
    const stay = await openStay('small-account');
    await sandbox.admin.addFault({ infno: '2304', kind: 'latency', ms: 1_500, count: 1 });
    const e = await failure(settle(client, stay.input, { timeoutMs: 300 }));
    expect(e).toMatchObject({ kind: 'timeout', reversal: 'reversed' });
    await new Promise((r) => setTimeout(r, 1_600)); // the late 2304 reaches the platform now
    expect(await liveSettlements(stay.mdtrtId)).toEqual([]);
    await settleUntilDone(stay);
    expect(await liveSettlements(stay.mdtrtId)).toHaveLength(1);
  });

  it('latency within the timeout is just slow', async () => {
    const stay = await openStay('serious-illness');
    await sandbox.admin.addFault({ infno: '2304', kind: 'latency', ms: 200, count: 1 });
    const done = await settle(client, stay.input);
    expect(await liveSettlements(stay.mdtrtId)).toEqual([{ msgid: done.msgid, setl_id: done.output.setlinfo.setl_id }]);
    expect(await client.pendingReversals()).toEqual([]);
  });

  it('dropped 2304 and a failing 2601: the stay is blocked until the platform answers the reversal', async () => {
    const stay = await openStay('near-annual-cap');
    await sandbox.admin.addFault({ infno: '2304', kind: 'drop-after-commit', count: 1 });
    await sandbox.admin.addFault({ infno: '2601', kind: 'http5xx', count: 3 });
    expect(await failure(settle(client, stay.input))).toMatchObject({ reversal: 'pending' });
    expect(await liveSettlements(stay.mdtrtId)).toHaveLength(1); // the lost one is live until reversed
    expect(await failure(preSettle(client, stay.input))).toBeInstanceOf(ReversalPendingError);
    expect(await sandbox.admin.journal({ mdtrt_id: stay.mdtrtId, infno: '2303' })).toEqual([]); // 2303 is not journaled anyway
    // The fault is spent; the next call for the stay reverses first, then goes on.
    await preSettle(client, stay.input);
    expect(await liveSettlements(stay.mdtrtId)).toEqual([]);
    await settleUntilDone(stay);
    expect(await liveSettlements(stay.mdtrtId)).toHaveLength(1);
  });

  it('a restarted client and a restarted sandbox finish a pending reversal', async () => {
    const stay = await openStay('assistance');
    await sandbox.admin.addFault({ infno: '2304', kind: 'drop-after-commit', count: 1 });
    await sandbox.admin.addFault({ infno: '2601', kind: 'reset', count: 2 });
    expect(await failure(settle(client, stay.input))).toMatchObject({ reversal: 'pending' });
    client.close();
    sandbox = await sandbox.restart();
    const again = makeClient(sandbox.endpoint, {}, { journal: parts.journal, signIns: parts.signIns, msgids: parts.msgids, clock: parts.clock });
    parts = again;
    client = again.client;
    expect(await client.retryPendingReversals()).toEqual({ reversed: 1, pending: 0 });
    expect(await liveSettlements(stay.mdtrtId)).toEqual([]);
    await settleUntilDone(stay);
    expect(await liveSettlements(stay.mdtrtId)).toHaveLength(1);
  });

  it('random faults on 2304 and 2601, many stays: every stay ends with exactly one settlement', async () => {
    const kinds = ['drop-after-commit', 'http5xx', 'reset'] as const;
    const stays: Stay[] = [];
    // Six people (a person cannot be admitted twice while a stay is unsettled); their earlier stays are settled.
    for (const key of ['local-employee', 'local-resident', 'retired-employee', 'assistance', 'serious-illness', 'small-account']) stays.push(await openStay(key, 4));
    await sandbox.admin.clearFaults(20261120);
    for (const kind of kinds) {
      await sandbox.admin.addFault({ infno: '2304', kind, probability: 0.3, count: 6 });
      await sandbox.admin.addFault({ infno: '2601', kind, probability: 0.3, count: 6 });
    }
    for (const stay of stays) await settleUntilDone(stay, 30);
    const fired = (await sandbox.admin.faults()).reduce((n, f) => n + f.fired, 0);
    await sandbox.admin.clearFaults();
    expect(fired).toBeGreaterThan(3); // the faults did fire
    expect(await client.pendingReversals()).toEqual([]);
    for (const stay of stays) expect(await liveSettlements(stay.mdtrtId), stay.mdtrtId).toHaveLength(1);
    // Every 2304 that took effect and is not the live one was reversed by a 2601.
    for (const stay of stays) {
      const reversed = (await sandbox.admin.journal({ mdtrt_id: stay.mdtrtId, infno: '2304' })).filter((e) => e.reversed_by !== null);
      for (const r of reversed) expect(await sandbox.admin.journal({ infno: '2601' })).toContainEqual(expect.objectContaining({ msgid: r.reversed_by, omsgid: r.msgid }));
    }
  });
});

describe('other transactions under faults', () => {
  it('2401 with its answer dropped is reversed; the admission can be made again', async () => {
    const p = await identify(client, 'local-employee');
    await sandbox.admin.addFault({ infno: '2401', kind: 'drop-after-commit', count: 1 });
    stayNo += 1;
    const iptNo = `ZY${String(stayNo).padStart(6, '0')}`;
    expect(await failure(admitPatient(client, p, iptNo))).toMatchObject({ reversal: 'reversed' });
    const admissions = await sandbox.admin.journal({ psn_no: p.psn_no, infno: '2401' });
    expect(admissions.at(-1)).toMatchObject({ ipt_no: iptNo, reversed_by: expect.any(String) });
    const mdtrtId = await admitPatient(client, p, iptNo);
    const live = (await sandbox.admin.journal({ psn_no: p.psn_no, infno: '2401' })).filter((e) => e.ipt_no === iptNo && e.reversed_by === null);
    expect(live.map((e) => e.mdtrt_id)).toEqual([mdtrtId]);
  });

  it('2301 with its answer dropped is replayed under the same msgid and counted once', async () => {
    const p = await identify(client, 'retired-employee');
    stayNo += 1;
    const mdtrtId = await admitPatient(client, p, `ZY${String(stayNo).padStart(6, '0')}`);
    const stayFees = { psn_no: p.psn_no, mdtrt_id: mdtrtId, insuplc_admdvs: p.insuplc_admdvs, feedetail: buildBill(9) };
    await sandbox.admin.addFault({ infno: '2301', kind: 'drop-after-commit', count: 1 });
    const e = await failure(uploadFeeDetails(client, stayFees, { batchSize: 3 }));
    expect(e).toMatchObject({ kind: 'fee-upload-incomplete', outcome: 'unknown', reversal: null });
    const failedMsgid = (e as { failedMsgid: string }).failedMsgid;
    const replay = await uploadFeeDetails(client, stayFees, { batchSize: 3, msgids: [failedMsgid] });
    expect(replay.msgids[0]).toBe(failedMsgid);
    const held = await queryFeeDetails(client, { psn_no: p.psn_no, mdtrt_id: mdtrtId, insuplc_admdvs: p.insuplc_admdvs });
    expect(held.output.feedetail).toHaveLength(9);
    await cancelFeeDetails(client, { psn_no: p.psn_no, mdtrt_id: mdtrtId, insuplc_admdvs: p.insuplc_admdvs, feedetl_sn: 'ALL' });
    expect((await queryFeeDetails(client, { psn_no: p.psn_no, mdtrt_id: mdtrtId, insuplc_admdvs: p.insuplc_admdvs })).output.feedetail).toHaveLength(0);
  });

  it('a query under 5xx is "platform not answering", with nothing to reverse', async () => {
    await sandbox.admin.addFault({ infno: '1101', kind: 'http5xx', count: 1 });
    const e = await failure(identify(client, 'local-employee'));
    expect(toKioskError(e)).toMatchObject({ code: 'PLATFORM_OFFLINE' });
    expect(await client.pendingReversals()).toEqual([]);
  });

  it('a business refusal carries the sandbox err_msg', async () => {
    const p = await identify(client, 'insurance-suspended');
    stayNo += 1;
    const e = await failure(admitPatient(client, p, `ZY${String(stayNo).padStart(6, '0')}`));
    expect(e).toMatchObject({ kind: 'refused' });
    expect(toKioskError(e).code).toBe('PLATFORM_REFUSED');
  });
});

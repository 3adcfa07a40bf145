import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  admit,
  PlatformRefusedError,
  preSettle,
  ReversalPendingError,
  settle,
  toKioskError,
  discharge,
  type SettlementInput,
} from '../../../../insurance/client/index.ts';
import { fen } from '../../../../base/fen.ts';
import { FakePlatform } from './fake-platform.ts';
import { failure, makeClient, type ClientParts } from './make-client.ts';

/**
 * The automatic 2601: a reversible transaction whose outcome is unknown is reversed under its original msgid,
 * retried until the platform answers, before anything else is sent for the visit, and across restarts.
 */

let platform: FakePlatform;
let parts: ClientParts;

beforeEach(async () => {
  platform = await new FakePlatform().start();
  parts = makeClient(platform.url);
  parts.signIns.put({ opter: 'ZZJ01', day: '2026-03-02', sign_no: 'SN1', sign_time: '2026-03-02 08:00:00' });
});

afterEach(async () => {
  parts.client.close();
  await platform.close();
});

const bill: SettlementInput & { insuplc_admdvs: string } = {
  psn_no: 'P1',
  insuplc_admdvs: '320200',
  mdtrt_cert_type: '03',
  mdtrt_cert_no: 'A00001371',
  medfee_sumamt: fen(10_000),
  fulamt_ownpay_amt: fen(0),
  overlmt_selfpay: fen(0),
  preselfpay_amt: fen(0),
  inscp_scp_amt: fen(10_000),
  psn_setlway: '01',
  mdtrt_id: 'MD1',
  acct_used_flag: '0',
  insutype: '310',
  mid_setl_flag: '0',
};

describe('2304 whose answer is lost', () => {
  it('is reversed at once under its own msgid, leaving no settlement', async () => {
    platform.addFault('2304', { kind: 'drop-after-commit' });
    const e = await failure(settle(parts.client, bill));
    expect(e).toMatchObject({ kind: 'connection-lost', outcome: 'unknown', reversal: 'reversed' });
    const [sent] = platform.requestsOf('2304');
    const [reversal] = platform.requestsOf('2601');
    expect(reversal?.envelope).toMatchObject({ insuplc_admdvs: '320200', input: { data: { psn_no: 'P1', omsgid: sent?.envelope.msgid, oinfno: '2304' } } });
    expect(reversal?.envelope.msgid).not.toBe(sent?.envelope.msgid);
    expect(platform.activeSettlements('MD1')).toHaveLength(0);
    expect(parts.journal.pending()).toHaveLength(0);
    expect(parts.journal.completed()).toMatchObject([{ omsgid: sent?.envelope.msgid, resolution: 'reversed' }]);
    expect(toKioskError(e)).toMatchObject({ code: 'PLATFORM_OUTCOME_UNKNOWN', guidance: ['该笔交易未生效，请重新办理'] });

    // Start again (2303 → 2304 under a NEW msgid): exactly one settlement.
    await preSettle(parts.client, bill);
    const ok = await settle(parts.client, bill);
    expect(ok.output.setlinfo).toMatchObject({ setl_id: expect.any(String), medfee_sumamt: 10_000, fund_pay_sumamt: 6_050, psn_cash_pay: 3_950 });
    expect(ok.msgid).not.toBe(sent?.envelope.msgid);
    expect(platform.activeSettlements('MD1')).toHaveLength(1);
  });

  it('blocks the visit until the 2601 is answered, then reverses first', async () => {
    platform.addFault('2304', { kind: 'drop-after-commit' });
    platform.addFault('2601', { kind: 'status', status: 502 }, 3); // 2 inline attempts + 1 at the gate
    const e = await failure(settle(parts.client, bill));
    expect(e).toMatchObject({ kind: 'connection-lost', reversal: 'pending' });
    expect(toKioskError(e)).toMatchObject({ code: 'PLATFORM_OUTCOME_UNKNOWN', message: expect.stringContaining('系统将自动冲正') });
    expect(parts.journal.pending()).toMatchObject([{ oinfno: '2304', attempts: 2, lastOutcome: 'failed', lastError: 'http-status' }]);

    const blocked = await failure(preSettle(parts.client, bill));
    expect(blocked).toBeInstanceOf(ReversalPendingError);
    expect(toKioskError(blocked)).toMatchObject({ code: 'PLATFORM_OUTCOME_UNKNOWN' });
    expect(platform.requestsOf('2303')).toHaveLength(0); // never sent while the reversal is pending
    expect(platform.activeSettlements('MD1')).toHaveLength(1); // the lost one is still there

    // Another visit is not blocked.
    await preSettle(parts.client, { ...bill, mdtrt_id: 'MD2' });

    // The platform recovers: the next call for the visit sends the 2601 first (same 2601 msgid), then itself.
    await preSettle(parts.client, bill);
    const order = platform.received.map((r) => r.envelope.infno);
    expect(order.slice(-2)).toEqual(['2601', '2303']);
    const reversalMsgids = new Set(platform.requestsOf('2601').map((r) => r.envelope.msgid));
    expect(reversalMsgids.size).toBe(1);
    expect(platform.activeSettlements('MD1')).toHaveLength(0);
  });

  it('a restarted client continues the pending reversal under the same 2601 msgid', async () => {
    platform.addFault('2304', { kind: 'reset' });
    platform.addFault('2601', { kind: 'reset' }, 2);
    expect(await failure(settle(parts.client, bill))).toMatchObject({ reversal: 'pending' });
    const firstMsgid = platform.requestsOf('2601')[0]?.envelope.msgid;
    parts.client.close();

    const restarted = makeClient(platform.url, {}, { journal: parts.journal, signIns: parts.signIns, msgids: parts.msgids, clock: parts.clock });
    try {
      expect(await restarted.client.retryPendingReversals()).toEqual({ reversed: 1, pending: 0 });
      const all = platform.requestsOf('2601');
      expect(all).toHaveLength(3);
      expect(new Set(all.map((r) => r.envelope.msgid))).toEqual(new Set([firstMsgid]));
      expect(await restarted.client.pendingReversals()).toHaveLength(0);
    } finally {
      restarted.client.close();
    }
  });

  it('the background retry finishes a pending reversal without any call', async () => {
    platform.addFault('2304', { kind: 'drop-after-commit' });
    platform.addFault('2601', { kind: 'reset' }, 2);
    expect(await failure(settle(parts.client, bill))).toMatchObject({ reversal: 'pending' });
    parts.client.startReversalRetries(50);
    const deadline = Date.now() + 5_000;
    while (parts.journal.pending().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(parts.journal.pending()).toHaveLength(0);
    expect(platform.activeSettlements('MD1')).toHaveLength(0);
  });

  it('concurrent callers of a blocked visit share one 2601', async () => {
    platform.addFault('2304', { kind: 'drop-after-commit' });
    platform.addFault('2601', { kind: 'reset' }, 2);
    await failure(settle(parts.client, bill));
    platform.addFault('2601', { kind: 'latency', ms: 100 });
    await Promise.all([preSettle(parts.client, bill), preSettle(parts.client, bill), preSettle(parts.client, bill)]);
    expect(platform.requestsOf('2601')).toHaveLength(3); // 2 failed inline + 1 shared
    expect(platform.requestsOf('2303')).toHaveLength(3);
  });

  it('a msgid being reversed is never sent again', async () => {
    platform.addFault('2304', { kind: 'drop-after-commit' });
    platform.addFault('2601', { kind: 'reset' }, 2);
    await failure(settle(parts.client, bill));
    const omsgid = platform.requestsOf('2304')[0]?.envelope.msgid ?? '';
    expect(await failure(settle(parts.client, bill, { msgid: omsgid }))).toMatchObject({ kind: 'invalid-request' });
    expect(platform.requestsOf('2304')).toHaveLength(1);
  });

  it('a supervisor can close a reversal the platform keeps refusing', async () => {
    platform.addFault('2304', { kind: 'drop-after-commit' });
    platform.handlers.set('2601', () => ({ infcode: -1, err_msg: '原交易不允许冲正' }));
    await failure(settle(parts.client, bill));
    const blocked = await failure(preSettle(parts.client, bill));
    expect(blocked).toBeInstanceOf(ReversalPendingError);
    // The refusal is a field, not a prefix the relay has to parse.
    expect((blocked as ReversalPendingError).pending[0]).toMatchObject({ lastOutcome: 'refused', lastError: '原交易不允许冲正' });
    expect(toKioskError(blocked).guidance[0]).toContain('医保平台拒绝了冲正');
    const omsgid = platform.requestsOf('2304')[0]?.envelope.msgid ?? '';
    await parts.client.resolveReversalManually(omsgid, '3202 对明细账核对：该笔结算已由医保中心撤销');
    await preSettle(parts.client, bill);
    expect(parts.journal.completed()).toMatchObject([{ omsgid, resolution: 'resolved-manually' }]);
  });
});

describe('other reversible and non-reversible transactions', () => {
  const admission = {
    insuplc_admdvs: '320200',
    mdtrtinfo: {
      psn_no: 'P1',
      insutype: '310',
      begntime: '2026-03-02 09:00:00',
      mdtrt_cert_type: '03',
      mdtrt_cert_no: 'A00001371',
      med_type: '21',
      ipt_no: 'ZY0001',
      atddr_no: 'DR1',
      chfpdr_name: '李医生',
      adm_diag_dscr: '肺炎',
      adm_dept_codg: 'D01',
      adm_dept_name: '呼吸内科',
      adm_bed: '12',
      dscg_maindiag_code: 'J18.900',
      dscg_maindiag_name: '肺炎',
    },
    diseinfo: [],
  };

  it('2401 with a lost answer is reversed; a second admission of the person waits for it', async () => {
    platform.addFault('2401', { kind: 'drop-after-commit' });
    platform.addFault('2601', { kind: 'reset' }, 2);
    expect(await failure(admit(parts.client, admission))).toMatchObject({ reversal: 'pending' });
    // Even under another 住院号 the person's next 2401 is held back until the 2601 is answered.
    platform.addFault('2601', { kind: 'reset' }, 1);
    const other = { ...admission, mdtrtinfo: { ...admission.mdtrtinfo, ipt_no: 'ZY0002' } };
    expect(await failure(admit(parts.client, other))).toBeInstanceOf(ReversalPendingError);
    expect(platform.requestsOf('2401')).toHaveLength(1);
    const ok = await admit(parts.client, other);
    expect(ok.output.result.mdtrt_id).toMatch(/^MD/);
    expect([...platform.admissions.values()].filter((a) => !a.reversed)).toHaveLength(1);
  });

  it('a refused 2304 gets a precautionary 2601 (config), and is shown as the refusal', async () => {
    platform.handlers.set('2304', () => ({ infcode: -1, err_msg: '不能直接结算：跨省异地就医未办理备案' }));
    const e = await failure(settle(parts.client, bill));
    expect(e).toBeInstanceOf(PlatformRefusedError);
    expect(e).toMatchObject({ reversal: 'reversed' });
    expect(platform.requestsOf('2601')).toHaveLength(1);
    expect(toKioskError(e)).toMatchObject({ code: 'PLATFORM_REFUSED', message: '医保平台未受理住院结算：不能直接结算：跨省异地就医未办理备案' });

    const plain = makeClient(platform.url, { reversal: { inlineDelaysMs: [0], afterRefusal: false } }, { signIns: parts.signIns, clock: parts.clock });
    try {
      expect(await failure(settle(plain.client, bill))).toMatchObject({ kind: 'refused', reversal: null });
      expect(platform.requestsOf('2601')).toHaveLength(1);
    } finally {
      plain.client.close();
    }
  });

  it('a connection refused before sending needs no reversal', async () => {
    await platform.close();
    const e = await failure(settle(parts.client, bill));
    expect(e).toMatchObject({ kind: 'unreachable', outcome: 'not-applied', reversal: null });
    expect(parts.journal.pending()).toHaveLength(0);
    expect(toKioskError(e)).toMatchObject({ code: 'PLATFORM_OFFLINE' });
  });

  it('2402 (not reversible) with a lost answer is replayed under its msgid, never reversed', async () => {
    platform.addFault('2402', { kind: 'drop-after-commit' });
    const input = {
      insuplc_admdvs: '320200',
      dscginfo: { mdtrt_id: 'MD1', psn_no: 'P1', insutype: '310', endtime: '2026-03-05 10:00:00', dscg_dept_codg: 'D01', dscg_dept_name: '呼吸内科', dscg_way: '1' },
      diseinfo: [],
    };
    const e = await failure(discharge(parts.client, input));
    expect(e).toMatchObject({ kind: 'connection-lost', reversal: null });
    expect(toKioskError(e)).toMatchObject({ code: 'PLATFORM_OUTCOME_UNKNOWN', guidance: ['请稍后重试，系统会按原报文重发，不会重复办理'] });
    const msgid = platform.requestsOf('2402')[0]?.envelope.msgid ?? '';
    const replay = await discharge(parts.client, input, { msgid });
    expect(replay.msgid).toBe(msgid);
    expect(platform.requestsOf('2601')).toHaveLength(0);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { exportPerson, purgePerson } from '../../../db/person-data.ts';
import { newKey } from '../../../db/keystore.ts';
import { sampleAdmission, tempStore } from './helpers.ts';
import { storeBytesContain } from './sqlcipher-pages.ts';

const CERTNO = '320200197503141014';
const PSN_NO = sampleAdmission.psnNo;
const ZERO_SPLIT = { medfeeSumamtFen: 0, fulamtOwnpayAmtFen: 0, overlmtSelfpayFen: 0, preselfpayAmtFen: 0, inscpScpAmtFen: 0, actPayDedcFen: 0, hifpPayFen: 0, cvlservPayFen: 0, hifesPayFen: 0, hifmiPayFen: 0, hifobPayFen: 0, mafPayFen: 0, othPayFen: 0, fundPaySumamtFen: 0, psnPartAmtFen: 0, acctPayFen: 0, psnCashPayFen: 0, hospPartAmtFen: 0, balcFen: 0 };

describe('a person’s data: export and purge (accounting records kept), audited', () => {
  let ctx: ReturnType<typeof tempStore>;
  afterEach(() => ctx?.cleanup());

  /** A patient who was admitted, paid a deposit, settled (output with name) and was refunded; the stay is settled. */
  function settledPatient(key = newKey()) {
    ctx = tempStore({ key, auditKey: newKey() });
    const s = ctx.store;
    const iptNo = s.write((tx) => {
      s.persons.save(tx, { baseinfo: { psn_no: PSN_NO, certno: CERTNO, psn_name: '张三', psn_cert_type: '01' }, insuinfo: [{ insuplc_admdvs: '320200', insutype: '310' }] });
      s.cards.record(tx, { cardNo: 'C1', cardSn: 'SN', certno: CERTNO, psnName: '张三', regionCode: '320200', generation: 3, expiryDate: '2030-01-01' });
      const adm = s.admissions.create(tx, sampleAdmission);
      s.money.addDeposit(tx, { iptNo: adm.iptNo, kind: 'deposit', amountFen: 1_000_00, method: 'cash', receiptNo: 'R1', opterNo: '1001' });
      const setl = s.settlements.open(tx, { iptNo: adm.iptNo, mdtrtId: null, psnNo: PSN_NO, insutype: '310', msgid: 'M1' });
      s.settlements.markSettled(tx, setl.id, { setlId: 'S1', msgid: 'M1', split: { ...ZERO_SPLIT, medfeeSumamtFen: 800_00 }, depositFen: 1_000_00, dueFen: -200_00, setlTime: null, output: { setlinfo: { psn_name: '张三', certno: CERTNO, medfee_sumamt: '800.00' } } });
      s.money.addRefund(tx, { iptNo: adm.iptNo, settlementId: setl.id, reason: 'settlement', amountFen: 200_00, method: 'cash', receiptNo: 'T1', opterNo: '2001' });
      s.admissions.setStatus(tx, adm.iptNo, 'settled');
      s.outbox.enqueue(tx, { visitKey: adm.iptNo, infno: '2304', input: { psn_no: PSN_NO, psn_name: '张三' }, msgid: 'M1' });
      return adm.iptNo;
    });
    const [claim] = s.write((tx) => s.outbox.claimNext(tx, { limit: 1 }));
    // An answer big enough to be kept deflated (db/outbox/payload.ts): the export gives its JSON all the same.
    const setldetail = Array.from({ length: 80 }, (_, i) => ({ fund_pay_type: '310100', fund_payamt: i, setl_proc_info: '基本医疗保险统筹基金支出' }));
    s.write((tx) => s.outbox.complete(tx, claim!, { setlinfo: { psn_name: '张三', setl_id: 'S1' }, setldetail }));
    expect(s.db.prepare('SELECT typeof(output_json) FROM outbox_outputs').pluck().get()).toBe('blob');
    return iptNo;
  }

  it('exports everything held about the person, by ID number or psn_no, and audits it without the number', () => {
    const iptNo = settledPatient();
    // The balance paid through the gateway: the order with the payer's account as the gateway gave it, and a refund.
    const s = ctx.store;
    s.write((tx) => {
      s.payments.create(tx, { outTradeNo: 'BJ-1', channel: 'alipay', scene: 'qr', purpose: 'balance-due', iptNo, amountFen: 100_00, subject: '出院结算补缴', opterNo: '2001', terminalId: 'T1', expiresAt: 0 });
      s.payments.move(tx, 'BJ-1', ['created'], 'paid', { tradeNo: 'TR1', buyerLogonId: '138****1234' });
      s.payments.addRefund(tx, { outRequestNo: 'RF-1', outTradeNo: 'BJ-1', iptNo, amountFen: 10_00, reason: 'settlement', opterNo: '2001' });
    });
    const data = exportPerson(ctx.store, CERTNO, { actor: 'cli:it' });
    // Before, the export left out the person's payment orders and refunds (issue 15's acceptance walk).
    expect(data.paymentOrders).toMatchObject([{ out_trade_no: 'BJ-1', buyer_logon_id: '138****1234', amount_fen: 100_00 }]);
    expect(data.paymentRefunds).toMatchObject([{ out_request_no: 'RF-1', amount_fen: 10_00 }]);
    expect(data.reversals).toEqual([]);
    expect(Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.length]))).toMatchObject({ persons: 1, cardsSeen: 1, admissions: 1, deposits: 1, refunds: 1, settlements: 1 });
    expect(exportPerson(ctx.store, PSN_NO, { actor: 'cli:it' }).admissions).toHaveLength(1);
    // The queue items with their payloads (kept in rows of their own since migration 16).
    expect(data.queueItems).toMatchObject([{ infno: '2304', state: 'done', input_json: expect.stringContaining('张三'), output_json: expect.stringContaining('S1') }]);
    const audit = ctx.store.audit.list().filter((e) => e.action === 'person.export');
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain(CERTNO);
  });

  it('purges personal data, keeps the accounting records and their amounts, scrubs names from the stored 2304 output; the chain still verifies', () => {
    const iptNo = settledPatient();
    const report = purgePerson(ctx.store, CERTNO, { actor: 'cli:it', reason: '本人申请' });
    expect(report.deleted).toMatchObject({ persons: 1, cardsSeen: 1 });
    expect(report.keptForAccounting).toEqual({ admissions: 1, feeLines: 0, deposits: 1, refunds: 1, settlements: 1 });
    const db = ctx.store.db;
    expect(db.prepare('SELECT count(*) AS n FROM persons').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM cards_seen').get()).toEqual({ n: 0 });
    // The done queue item goes, with its input and answer (ON DELETE CASCADE).
    expect(report.deleted).toMatchObject({ queueItems: 1 });
    expect(db.prepare('SELECT (SELECT count(*) FROM outbox_inputs) + (SELECT count(*) FROM outbox_outputs) AS n').get()).toEqual({ n: 0 });
    const output = (db.prepare('SELECT output_json FROM settlements').get() as { output_json: string }).output_json;
    expect(output).not.toContain('张三');
    expect(output).not.toContain(CERTNO);
    expect(output).toContain('800.00');
    expect(ctx.store.money.refunds(iptNo)[0]!.amountFen).toBe(200_00);
    expect(ctx.store.audit.list().filter((e) => e.action === 'person.purge')).toHaveLength(1);
    expect(ctx.store.audit.verify().ok).toBe(true);
  });

  it('leaves no readable trace of the person anywhere in the file or its WAL: every page decrypted with the key', () => {
    const key = newKey();
    settledPatient(key);
    const s = ctx.store;
    expect(s.db.pragma('secure_delete', { simple: true })).toBe(1); // deleted rows are zeroed in their pages
    // Other patients around them, and the person's own rows rewritten, so that their data sits in shared pages,
    // in pages split and freed since, and in superseded WAL frames.
    for (let n = 0; n < 60; n++) {
      s.write((tx) => {
        s.persons.save(tx, { baseinfo: { psn_no: `P${n}`, certno: `32020019800101${String(n).padStart(4, '0')}`, psn_name: `患者${n}`, psn_cert_type: '01' }, insuinfo: [{ insuplc_admdvs: '320200', insutype: '310' }] });
        s.cards.record(tx, { cardNo: `C${n}`, cardSn: 'SN', certno: `32020019800101${String(n).padStart(4, '0')}`, psnName: `患者${n}`, regionCode: '320200', generation: 3, expiryDate: '2030-01-01' });
      });
      if (n % 20 === 0) s.write((tx) => s.cards.record(tx, { cardNo: 'C1', cardSn: 'SN', certno: CERTNO, psnName: '张三', regionCode: '320200', generation: 3, expiryDate: '2030-01-01' }));
    }
    expect(storeBytesContain(ctx.path, key, '张三')).toBe(true); // the pages decrypt: the name is found before
    expect(storeBytesContain(ctx.path, key, CERTNO)).toBe(true);

    const report = purgePerson(s, CERTNO, { actor: 'cli:it', reason: '本人申请' });

    expect(report.walEmptied).toBe(true);
    expect(storeBytesContain(ctx.path, key, '张三')).toBe(false);
    expect(storeBytesContain(ctx.path, key, CERTNO)).toBe(false);
    expect(storeBytesContain(ctx.path, key, '患者59')).toBe(true); // everyone else's data is still there, readable
    expect(s.db.prepare('SELECT count(*) AS n FROM persons').get()).toEqual({ n: 60 });
    expect(s.audit.verify().ok).toBe(true);
  });

  it('refuses while the stay is open, and without a reason; an unknown person is a clear error', () => {
    const iptNo = settledPatient();
    ctx.store.write((tx) => ctx.store.admissions.setStatus(tx, iptNo, 'admitted'));
    expect(() => purgePerson(ctx.store, CERTNO, { actor: 'cli:it', reason: '本人申请' })).toThrow(/未结束的住院/);
    expect(() => purgePerson(ctx.store, CERTNO, { actor: 'cli:it', reason: ' ' })).toThrow(/原因/);
    expect(() => exportPerson(ctx.store, '110101199001011234', { actor: 'cli:it' })).toThrow(/没有该人员/);
  });
});

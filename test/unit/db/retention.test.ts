import { afterEach, describe, expect, it } from 'vitest';
import { purgePersonalData, scrub } from '../../../db/retention.ts';
import { sampleAdmission, tempStore } from './helpers.ts';

const DAY = 24 * 60 * 60 * 1000;

describe('retention', () => {
  let ctx: ReturnType<typeof tempStore>;
  afterEach(() => ctx?.cleanup());

  const line = (iptNo: string, sn: string) => ({
    iptNo,
    feedetlSn: sn,
    initFeedetlSn: null,
    medListCodg: 'X',
    medinsListCodg: 'H',
    name: '床位费',
    chrgitmType: '01',
    chrgitmLv: '01',
    cnt: '1',
    pricFen: 100,
    detItemFeeSumamtFen: 100,
    feeOcurTime: '2026-03-02 10:00:00',
    bilgDeptCodg: null,
    bilgDrCodg: null,
  });

  /** An old world: a settled visit, a cancelled one, one still in hospital; then 400 days pass. */
  function oldWorld() {
    const s = ctx.store;
    const ids = s.write((tx) => {
      for (const [psn, name, cert] of [
        ['P-SETTLED', '张三', '320200197503141014'],
        ['P-CANCEL', '李四', '320200198001011234'],
        ['P-OPEN', '王五', '320200199001015678'],
      ] as const) {
        s.persons.save(tx, { baseinfo: { psn_no: psn, psn_name: name, certno: cert } });
        s.cards.record(tx, { cardNo: `C-${psn}`, cardSn: null, certno: cert, psnName: name, regionCode: '320200', generation: 3, expiryDate: null });
        s.eligibility.save(tx, { checkId: `chk-${psn}`, psnNo: psn, mdtrtCertType: '03', mdtrtCertNo: `C-${psn}`, insutype: '310', admissionType: 'normal', decision: { name } });
      }
      const settled = s.admissions.create(tx, { ...sampleAdmission, psnNo: 'P-SETTLED', checkId: 'chk-P-SETTLED' });
      const cancelled = s.admissions.create(tx, { ...sampleAdmission, psnNo: 'P-CANCEL', checkId: 'chk-P-CANCEL' });
      const open = s.admissions.create(tx, { ...sampleAdmission, psnNo: 'P-OPEN', checkId: 'chk-P-OPEN' });
      s.feeLines.add(tx, line(settled.iptNo, 'F1'));
      s.feeLines.add(tx, line(cancelled.iptNo, 'F1'));
      s.feeLines.add(tx, line(open.iptNo, 'F1'));
      s.money.addDeposit(tx, { iptNo: cancelled.iptNo, kind: 'deposit', amountFen: 5000, method: 'cash', receiptNo: 'YJ-C', opterNo: '1001' });
      s.money.addRefund(tx, { iptNo: cancelled.iptNo, settlementId: null, reason: 'cancellation', amountFen: 5000, method: 'cash', receiptNo: 'TK-C', opterNo: '1001' });
      const setl = s.settlements.open(tx, { iptNo: settled.iptNo, mdtrtId: 'M1', psnNo: 'P-SETTLED', insutype: '310', msgid: 'MSG-SETL' });
      s.settlements.markSettled(tx, setl.id, {
        setlId: 'S1',
        msgid: 'MSG-SETL',
        split: { medfeeSumamtFen: 100, fulamtOwnpayAmtFen: 0, overlmtSelfpayFen: 0, preselfpayAmtFen: 0, inscpScpAmtFen: 100, actPayDedcFen: 0, hifpPayFen: 80, cvlservPayFen: 0, hifesPayFen: 0, hifmiPayFen: 0, hifobPayFen: 0, mafPayFen: 0, othPayFen: 0, fundPaySumamtFen: 80, psnPartAmtFen: 20, acctPayFen: 0, psnCashPayFen: 20, hospPartAmtFen: 0, balcFen: null },
        depositFen: 0,
        dueFen: 20,
        setlTime: '2026-03-05 10:00:00',
        output: { setlinfo: { psn_name: '张三', certno: '320200197503141014', brdy: '1975-03-14', psn_cash_pay: '0.20', setl_id: 'S1' } },
      });
      s.admissions.setStatus(tx, settled.iptNo, 'settled');
      s.admissions.setStatus(tx, cancelled.iptNo, 'cancelled');
      s.admissions.setStatus(tx, open.iptNo, 'admitted');
      const done = s.outbox.enqueue(tx, { visitKey: settled.iptNo, infno: '2401', input: { mdtrtinfo: { psn_no: 'P-SETTLED', mdtrt_cert_no: 'C-P-SETTLED' } }, msgid: s.msgids.next(tx.now) });
      const pending = s.outbox.enqueue(tx, { visitKey: open.iptNo, infno: '2301', input: { feedetail: [{ psn_no: 'P-OPEN' }] }, msgid: s.msgids.next(tx.now) });
      s.operators.recordSignIn(tx, { opterNo: '1001', signNo: 'SN1', signTime: '2026-03-02 08:00:00' });
      return { settled, cancelled, open, done, pending };
    });
    const [claim] = s.write((tx) => s.outbox.claimNext(tx, { limit: 1 }));
    s.write((tx) => s.outbox.complete(tx, claim!, { result: { mdtrt_id: 'M1' } }));
    ctx.clock.advance(400 * DAY);
    return ids;
  }

  it('purges personal data older than the period, keeps what accounting needs and everything of open visits', () => {
    ctx = tempStore();
    const w = oldWorld();
    const report = purgePersonalData(ctx.store, { retentionDays: 365 });
    const s = ctx.store;
    expect(report.deleted).toMatchObject({ cardsSeen: 3, persons: 2, eligibilitySnapshots: 2, outboxItems: 1, signIns: 1, feeLinesOfUnsettledVisits: 1 });
    // Gone: the identities of closed visits.
    expect(s.persons.get('P-SETTLED')).toBeNull();
    expect(s.persons.get('P-CANCEL')).toBeNull();
    expect(s.cards.latest('C-P-SETTLED')).toBeNull();
    expect(s.outbox.get(w.done.id)).toBeNull();
    // Its input and its answer (rows of their own since migration 16) went with it.
    expect(s.db.prepare('SELECT count(*) FROM outbox_inputs WHERE outbox_id = ?').pluck().get(w.done.id)).toBe(0);
    expect(s.db.prepare('SELECT count(*) FROM outbox_outputs WHERE outbox_id = ?').pluck().get(w.done.id)).toBe(0);
    expect(s.db.prepare('SELECT count(*) FROM outbox_inputs WHERE outbox_id = ?').pluck().get(w.pending.id)).toBe(1);
    expect(s.feeLines.byVisit(w.cancelled.iptNo)).toEqual([]);
    // Kept: the open visit, whatever its age (a long stay), and its queued work.
    expect(s.persons.get('P-OPEN')).not.toBeNull();
    expect(s.eligibility.get('chk-P-OPEN')).not.toBeNull();
    expect(s.feeLines.byVisit(w.open.iptNo)).toHaveLength(1);
    expect(s.outbox.get(w.pending.id)).not.toBeNull();
    // Kept: accounting.
    const setl = s.settlements.bySetlId('S1')!;
    expect(setl).toMatchObject({ msgid: 'MSG-SETL', hifpPayFen: 80, psnCashPayFen: 20 });
    expect(setl.output).toEqual({ setlinfo: { psn_name: '张*', certno: '3202**********1014', psn_cash_pay: '0.20', setl_id: 'S1' } });
    expect(s.feeLines.byVisit(w.settled.iptNo)).toHaveLength(1);
    expect(s.money.deposits(w.cancelled.iptNo)).toHaveLength(1);
    expect(s.money.refunds(w.cancelled.iptNo)).toHaveLength(1);
    expect(s.admissions.get(w.settled.iptNo)).toMatchObject({ psnNo: 'P-SETTLED', checkId: null });
    // Audited, and the chain still verifies.
    const last = s.audit.list().at(-1)!;
    expect(last).toMatchObject({ actor: 'retention', action: 'retention.purge', detail: { persons: 2, retentionDays: 365 } });
    expect(s.audit.verify().ok).toBe(true);
    // Nothing about the people in the audit log.
    expect(JSON.stringify(s.audit.list())).not.toMatch(/张三|李四|3202001975/);
  });

  it('keeps everything younger than the period', () => {
    ctx = tempStore();
    oldWorld();
    const report = purgePersonalData(ctx.store, { retentionDays: 500 });
    expect(Object.values(report.deleted).every((n) => n === 0)).toBe(true);
    expect(report.scrubbedSettlements).toBe(0);
  });

  it('scrub is idempotent and reaches nested arrays', () => {
    const once = scrub({ a: [{ psn_name: '欧阳娜娜', tel: '13812345678', naty: '01' }] });
    expect(once).toEqual({ a: [{ psn_name: '欧**娜', tel: '138****5678' }] });
    expect(scrub(once)).toEqual(once);
  });
});

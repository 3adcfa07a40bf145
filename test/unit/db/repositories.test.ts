import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../db/store.ts';
import { sampleAdmission, tempStore } from './helpers.ts';

describe('repositories', () => {
  let ctx: ReturnType<typeof tempStore>;
  afterEach(() => ctx?.cleanup());

  it('admissions get a local ipt_no per year (ZY + yyyy + 6 digits) that exists offline; 2401 adds mdtrt_id', () => {
    ctx = tempStore();
    const a = ctx.store.write((tx) => ctx.store.admissions.create(tx, sampleAdmission));
    const b = ctx.store.write((tx) => ctx.store.admissions.create(tx, sampleAdmission));
    expect([a.iptNo, b.iptNo]).toEqual(['ZY2026000001', 'ZY2026000002']);
    expect(a).toMatchObject({ status: 'queued', mdtrtId: null });
    ctx.clock.set('2026-12-31T16:00:01Z'); // 2027-01-01 in China
    expect(ctx.store.write((tx) => ctx.store.admissions.create(tx, sampleAdmission)).iptNo).toBe('ZY2027000001');
    ctx.store.write((tx) => {
      ctx.store.admissions.setMdtrtId(tx, a.iptNo, 'MDTRT-1');
      ctx.store.admissions.setStatus(tx, a.iptNo, 'admitted');
    });
    expect(ctx.store.admissions.byMdtrtId('MDTRT-1')).toMatchObject({ iptNo: a.iptNo, status: 'admitted' });
    // mdtrt_id is unique: the same platform visit cannot belong to two local admissions.
    expect(() => ctx.store.write((tx) => ctx.store.admissions.setMdtrtId(tx, b.iptNo, 'MDTRT-1'))).toThrow(/UNIQUE/);
  });

  it('fee lines: feedetl_sn unique per visit, money in integer fen, foreign key to the admission', () => {
    ctx = tempStore();
    const a = ctx.store.write((tx) => ctx.store.admissions.create(tx, sampleAdmission));
    const b = ctx.store.write((tx) => ctx.store.admissions.create(tx, sampleAdmission));
    const line = {
      iptNo: a.iptNo,
      feedetlSn: 'F0001',
      initFeedetlSn: null,
      medListCodg: '001101000010000-11010000100',
      medinsListCodg: 'CW001',
      name: '床位费',
      chrgitmType: '01',
      chrgitmLv: '01',
      cnt: '3',
      pricFen: 4000,
      detItemFeeSumamtFen: 12000,
      feeOcurTime: '2026-03-02 10:00:00',
      bilgDeptCodg: 'A03',
      bilgDrCodg: 'D001',
    };
    ctx.store.write((tx) => ctx.store.feeLines.add(tx, line));
    expect(() => ctx.store.write((tx) => ctx.store.feeLines.add(tx, line))).toThrow(/UNIQUE|PRIMARY/);
    ctx.store.write((tx) => ctx.store.feeLines.add(tx, { ...line, iptNo: b.iptNo })); // same sn, other visit: fine
    expect(() => ctx.store.write((tx) => ctx.store.feeLines.add(tx, { ...line, feedetlSn: 'F2', detItemFeeSumamtFen: 120.5 }))).toThrow(/integer fen/);
    expect(() => ctx.store.write((tx) => ctx.store.feeLines.add(tx, { ...line, iptNo: 'ZY2026999999', feedetlSn: 'F3' }))).toThrow(/FOREIGN KEY/);
    const split = { fulamtOwnpayFen: 0, overlmtSelfpayFen: 0, preselfpayFen: 0, inscpScpFen: 12000 };
    ctx.store.write((tx) => ctx.store.feeLines.markUploadedMany(tx, a.iptNo, new Map([['F0001', split]])));
    expect(ctx.store.feeLines.get(a.iptNo, 'F0001')).toMatchObject({ state: 'uploaded', inscpScpFen: 12000 });
    expect(ctx.store.feeLines.totalFen(a.iptNo)).toBe(12000);
  });

  it('fee lines by the hundred: an import and a batch of 2301 splits write many rows per statement, each line as one by one', () => {
    ctx = tempStore();
    const a = ctx.store.write((tx) => ctx.store.admissions.create(tx, sampleAdmission));
    const b = ctx.store.write((tx) => ctx.store.admissions.create(tx, sampleAdmission));
    // 123 lines: two full statements of 50 and a shorter one; each row its own values.
    const lines = Array.from({ length: 123 }, (_, i) => ({
      iptNo: a.iptNo,
      feedetlSn: `F${String(i).padStart(4, '0')}`,
      initFeedetlSn: i === 7 ? 'F0001' : null,
      medListCodg: `X${i}`,
      medinsListCodg: `H${i}`,
      name: `项目${i}`,
      chrgitmType: '09',
      chrgitmLv: i % 2 ? '01' : null,
      cnt: String(i + 1),
      pricFen: 100 + i,
      detItemFeeSumamtFen: (100 + i) * (i + 1),
      feeOcurTime: '2026-03-02 10:00:00',
      bilgDeptCodg: i % 3 ? 'A03' : null,
      bilgDrCodg: 'D001',
    }));
    ctx.store.write((tx) => ctx.store.feeLines.addMany(tx, lines));
    expect(ctx.store.feeLines.byVisit(a.iptNo)).toEqual(
      lines.map((l) => ({ ...l, state: 'local', refusal: null, fulamtOwnpayFen: null, overlmtSelfpayFen: null, preselfpayFen: null, inscpScpFen: null })),
    );
    expect(() => ctx.store.write((tx) => ctx.store.feeLines.addMany(tx, [{ ...lines[0]!, feedetlSn: 'Z1' }, { ...lines[1]!, feedetlSn: 'Z2', pricFen: 1.5 }]))).toThrow(/integer fen/);
    expect(ctx.store.feeLines.get(a.iptNo, 'Z1')).toBeNull(); // nothing of a refused import is written
    // Splits for 60 of them, plus two the visit does not have (another visit's, or none): only the visit's are written.
    ctx.store.write((tx) => ctx.store.feeLines.addMany(tx, [{ ...lines[0]!, iptNo: b.iptNo, feedetlSn: 'B-ONLY' }]));
    const splits = new Map(lines.slice(0, 60).map((l, i) => [l.feedetlSn, { fulamtOwnpayFen: i, overlmtSelfpayFen: 1, preselfpayFen: 2, inscpScpFen: l.detItemFeeSumamtFen - i - 3 }]));
    const accepted = ctx.store.write((tx) => ctx.store.feeLines.markUploadedMany(tx, a.iptNo, splits));
    expect(accepted).toEqual(new Set(splits.keys()));
    const foreign = new Map([...splits].slice(0, 1).concat([['B-ONLY', splits.get('F0000')!], ['NOWHERE', splits.get('F0000')!]]));
    expect(ctx.store.write((tx) => ctx.store.feeLines.markUploadedMany(tx, a.iptNo, foreign))).toEqual(new Set(['F0000']));
    expect(ctx.store.feeLines.get(b.iptNo, 'B-ONLY')).toMatchObject({ state: 'local', inscpScpFen: null });
    const uploaded = ctx.store.feeLines.inState(a.iptNo, 'uploaded');
    expect(uploaded.map((l) => l.feedetlSn)).toEqual(lines.slice(0, 60).map((l) => l.feedetlSn));
    uploaded.forEach((l, i) => expect(l).toMatchObject({ fulamtOwnpayFen: i, overlmtSelfpayFen: 1, preselfpayFen: 2, inscpScpFen: l.detItemFeeSumamtFen - i - 3, refusal: null }));
    expect(ctx.store.feeLines.inState(a.iptNo, 'local')).toHaveLength(63);
    // What a 2301 carries of the 63 still local: those fields only, in byVisit's order, none of another visit's.
    expect(ctx.store.feeLines.toSend(a.iptNo)).toEqual(
      lines.slice(60).map(({ iptNo: _ipt, name: _name, chrgitmType: _type, chrgitmLv: _lv, ...sent }) => sent),
    );
  });

  it('settlements: one live settlement per visit, whatever a caller does after a crash', () => {
    ctx = tempStore();
    const a = ctx.store.write((tx) => ctx.store.admissions.create(tx, sampleAdmission));
    const s = ctx.store.write((tx) => ctx.store.settlements.open(tx, { iptNo: a.iptNo, mdtrtId: 'M1', psnNo: a.psnNo, insutype: '310', msgid: 'MSG1' }));
    expect(() => ctx.store.write((tx) => ctx.store.settlements.open(tx, { iptNo: a.iptNo, mdtrtId: 'M1', psnNo: a.psnNo, insutype: '310', msgid: 'MSG2' }))).toThrow(/UNIQUE/);
    ctx.store.write((tx) => ctx.store.settlements.markReversed(tx, s.id, '2305'));
    // After a reversal a new settlement of the same visit is allowed.
    const again = ctx.store.write((tx) => ctx.store.settlements.open(tx, { iptNo: a.iptNo, mdtrtId: 'M1', psnNo: a.psnNo, insutype: '310', msgid: 'MSG3' }));
    expect(ctx.store.settlements.liveFor(a.iptNo)!.id).toBe(again.id);
  });

  it('deposits and refunds are positive integer fen with unique receipt numbers', () => {
    ctx = tempStore();
    const a = ctx.store.write((tx) => ctx.store.admissions.create(tx, sampleAdmission));
    ctx.store.write((tx) => ctx.store.money.addDeposit(tx, { iptNo: a.iptNo, kind: 'deposit', amountFen: 300000, method: 'cash', receiptNo: 'YJ001', opterNo: '1001' }));
    ctx.store.write((tx) => ctx.store.money.addDeposit(tx, { iptNo: a.iptNo, kind: 'deposit', amountFen: 100000, method: 'wechat', receiptNo: 'YJ002', opterNo: '1001' }));
    expect(ctx.store.money.depositTotalFen(a.iptNo)).toBe(400000);
    expect(() => ctx.store.write((tx) => ctx.store.money.addDeposit(tx, { iptNo: a.iptNo, kind: 'deposit', amountFen: 1, method: 'cash', receiptNo: 'YJ001', opterNo: null }))).toThrow(/UNIQUE/);
    expect(() => ctx.store.write((tx) => ctx.store.money.addRefund(tx, { iptNo: a.iptNo, settlementId: null, reason: 'cancellation', amountFen: 0, method: 'cash', receiptNo: 'TK1', opterNo: null }))).toThrow(/positive integer fen/);
  });

  it('eligibility: a snapshot answers offline only while younger than the configured age', () => {
    ctx = tempStore();
    ctx.store.write((tx) =>
      ctx.store.eligibility.save(tx, { checkId: 'c1', psnNo: 'P1', mdtrtCertType: '03', mdtrtCertNo: 'CARD1', insutype: '310', admissionType: 'normal', decision: { direct: true } }),
    );
    const key = { mdtrtCertType: '03', mdtrtCertNo: 'CARD1' };
    ctx.clock.advance(59 * 60_000);
    expect(ctx.store.eligibility.freshFor(key, { now: ctx.clock.now(), maxAgeMs: 60 * 60_000 })?.checkId).toBe('c1');
    expect(ctx.store.eligibility.freshFor({ psnNo: 'P1' }, { now: ctx.clock.now(), maxAgeMs: 60 * 60_000, insutype: '310' })?.checkId).toBe('c1');
    expect(ctx.store.eligibility.freshFor(key, { now: ctx.clock.now(), maxAgeMs: 60 * 60_000, insutype: '390' })).toBeNull();
    expect(ctx.store.eligibility.freshFor(key, { now: ctx.clock.now(), maxAgeMs: 60 * 60_000, admissionType: 'emergency' })).toBeNull();
    ctx.clock.advance(2 * 60_000);
    expect(ctx.store.eligibility.freshFor(key, { now: ctx.clock.now(), maxAgeMs: 60 * 60_000 })).toBeNull();
  });

  it('persons and cards: a card read offline finds the cached 1101 person', () => {
    ctx = tempStore();
    ctx.store.write((tx) => {
      ctx.store.persons.save(tx, { baseinfo: { psn_no: 'P1', certno: '320200197503141014', psn_name: '张三', psn_cert_type: '01' }, insuinfo: [{ insuplc_admdvs: '320200', insutype: '310' }] });
      ctx.store.cards.record(tx, { cardNo: 'C1', cardSn: 'SN', certno: '320200197503141014', psnName: '张三', regionCode: '320200', generation: 3, expiryDate: '2030-01-01' });
      ctx.store.cards.linkPerson(tx, 'C1', 'P1');
    });
    const card = ctx.store.cards.latest('C1')!;
    expect(card.psnNo).toBe('P1');
    expect(ctx.store.persons.get(card.psnNo!)).toMatchObject({ psnName: '张三', insuplcAdmdvs: '320200' });
    expect(ctx.store.persons.byCertno('320200197503141014')!.psnNo).toBe('P1');
  });

  it('operators: one sign-in per operator per China day; a second one the same day replaces it', () => {
    ctx = tempStore();
    ctx.store.write((tx) => ctx.store.operators.recordSignIn(tx, { opterNo: '1001', name: '王护士', signNo: 'S1', signTime: '2026-03-02 09:00:00' }));
    ctx.store.write((tx) => ctx.store.operators.recordSignIn(tx, { opterNo: '1001', signNo: 'S2', signTime: '2026-03-02 13:00:00' }));
    expect(ctx.store.operators.signIn('1001', '2026-03-02')).toMatchObject({ signNo: 'S2', signedOutAt: null });
    expect(ctx.store.operators.operator('1001')).toEqual({ opterNo: '1001', name: '王护士' });
  });

  it('a write callback that awaits is refused (no transaction spans network I/O)', () => {
    ctx = tempStore();
    expect(() => ctx.store.write((async () => 1) as unknown as () => number)).toThrow(/synchronous/);
  });

  it('a read-only store sees the writer’s commits and cannot write', () => {
    ctx = tempStore();
    const ro = openStore(ctx.path, { readonly: true });
    ctx.store.write((tx) => ctx.store.admissions.create(tx, sampleAdmission));
    expect(ro.admissions.list()).toHaveLength(1);
    expect(() => ro.write((tx) => ro.admissions.create(tx, sampleAdmission))).toThrow(/readonly/i);
    ro.close();
  });
});

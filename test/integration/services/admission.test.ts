import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdmissionView, RegisterOutcome } from '../../../contract/dto/admission.ts';
import type { EligibilityDecision } from '../../../contract/dto/eligibility.ts';
import type { TerminalStatus } from '../../../contract/dto/status.ts';
import { maskName } from '../../../contract/mask.ts';
import { credentialsOf, eventually, startHarness, type Harness } from './harness.ts';

/**
 * Admission desk journeys beyond the per-person ones: an outage (cached eligibility, a queued 2401 with a
 * local 住院号, synced exactly once when the network is back), 2404 cancellation within the rules with the
 * deposit refunded, the other credentials (e-voucher, ID number), an old 市民卡, and the 9001 sign-in per
 * operator per day. Real parts throughout (see harness.ts).
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ mode: 'admission' });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const form = (checkId: string, bed: string, extra: Record<string, unknown> = {}) => ({
  checkId,
  deptCode: 'A03.01',
  ward: 'W05',
  bed,
  attendingDoctorCode: 'D0301001',
  attendingDoctorName: '林志远',
  diagnosisCode: 'J44.1',
  diagnosisName: '慢性阻塞性肺病伴有急性加重',
  admissionType: 'normal',
  ...extra,
});

async function cardCheck(cardId: string): Promise<EligibilityDecision> {
  await h.control.remove().catch(() => undefined);
  const read = await h.insert(cardId);
  expect(read.name).toBe('card-read');
  return h.call<EligibilityDecision>('eligibility', 'check', { credential: { kind: 'card' } });
}

describe('operator sign-in (9001 per operator per day)', () => {
  it('refuses work before sign-in, signs in once, reuses the day\'s sign_no', async () => {
    const err = await h.callError('eligibility', 'check', { credential: { kind: 'id', certType: '02', certNo: '320200197503141014' } });
    expect(err.code).toBe('NOT_SIGNED_IN');
    const first = await h.call<{ signNo: string }>('operator', 'signIn', credentialsOf('1001'));
    const again = await h.call<{ signNo: string }>('operator', 'signIn', credentialsOf('1001'));
    expect(again.signNo).toBe(first.signNo);
    const status = await h.call<TerminalStatus>('system', 'status');
    expect(status.operator).toEqual({ opterNo: '1001', name: '张护士', roles: ['clerk', 'cashier'], locked: false });
    expect(status.platform.online).toBe(true);
    expect(status.reader.state).not.toBe('none');
  });
});

describe('credentials other than the card', () => {
  it('a 医保电子凭证 QR code and a typed ID number reach the same person and decision', async () => {
    const { qrCode } = await h.sandbox.admin.voucherQr('nj-filed-long-term');
    const byQr = await h.call<EligibilityDecision>('eligibility', 'check', { credential: { kind: 'qr', code: qrCode } });
    const byId = await h.call<EligibilityDecision>('eligibility', 'check', { credential: { kind: 'id', certType: '02', certNo: '320100195810011717' } });
    for (const d of [byQr, byId]) expect(d).toMatchObject({ person: { psnNo: '32010000000000000008' }, direct: true, scope: 'in-province', visitCase: 'filed-long-term', reduction: 0 });
  });

  it('a QR is decoded (ec.query, 入院登记 01103, the hospital\'s orgId) and only its ecToken reaches the platform; once, and not after its window (issue 17)', async () => {
    const { qrCode } = await h.sandbox.admin.voucherQr('local-employee');
    const d = await h.call<EligibilityDecision>('eligibility', 'check', { credential: { kind: 'qr', code: qrCode } });
    expect(d.person.psnNo).toBe(h.sandbox.psnNo('local-employee'));
    const reused = await h.callError('eligibility', 'check', { credential: { kind: 'qr', code: qrCode } });
    expect(reused).toMatchObject({ code: 'QR_INVALID', message: '二维码已失效，请在手机上刷新二维码' });
    const stale = await h.sandbox.admin.voucherQr('local-employee');
    const clock = await h.sandbox.admin.clock();
    await h.sandbox.admin.setClock(new Date(Date.parse(clock.now) + 61_000).toISOString(), false);
    try {
      expect(await h.callError('eligibility', 'check', { credential: { kind: 'qr', code: stale.qrCode } })).toMatchObject({ code: 'QR_INVALID', message: '二维码已失效，请在手机上刷新二维码' });
    } finally {
      await h.sandbox.admin.setClock(clock.now, false);
    }
    const journal = await h.sandbox.admin.ecJournal();
    expect(journal.decodes.filter((x) => x.outcome === 'decoded').every((x) => x.businessType === '01103' && x.orgId === 'H32020000001')).toBe(true);
    expect(journal.decodes.map((x) => x.outcome)).toEqual(expect.arrayContaining(['decoded', 'used', 'expired']));
    // The journal of every 01 credential the platform was given: ecTokens only, never a QR text.
    expect(journal.tokenUses.length).toBeGreaterThan(0);
    expect(journal.tokenUses.filter((u) => u.wasQrCode || !u.knownEcToken)).toEqual([]);
    expect(journal.tokenUses.map((u) => u.certNo)).not.toContain(qrCode);
  });

  it('a 大市一卡通 registration cannot be verified without the card: said so, in-province treatment shown', async () => {
    const d = await h.call<EligibilityDecision>('eligibility', 'check', { credential: { kind: 'id', certType: '02', certNo: '320281198006091311' } });
    expect(d).toMatchObject({ scope: 'in-province', visitCase: 'unfiled', direct: true, reduction: 0.2 });
    expect(d.reasons.map((r) => r.code)).toContain('dsyk-needs-card');
  });

  it('a typed 卡号 + 卡识别码 is not taken for a 省卡: the 大市一卡通 registration is not honoured, said so, card asked for (issue 17)', async () => {
    // V007-style: the registered 江阴 employee's card typed at the desk, no chip read. It could be a 市民卡,
    // whose registration the platform settles in-province with a reduction: the terminal must not promise local.
    const d = await h.call<EligibilityDecision>('eligibility', 'check', { credential: { kind: 'id', certType: '03', certNo: 'A00005484', cardSn: '320281D1560000058E88E57E1E300832' } });
    expect(d).toMatchObject({ scope: 'in-province', visitCase: 'unfiled', direct: true, reduction: 0.2 });
    const reason = d.reasons.find((r) => r.code === 'dsyk-needs-card');
    expect(reason?.text).toContain('请将社保卡插入读卡器重新核验');
  });

  it('an unknown ID number: PERSON_NOT_FOUND with the platform\'s words', async () => {
    const err = await h.callError('eligibility', 'check', { credential: { kind: 'id', certType: '02', certNo: '11010519491231002X' } });
    expect(err.code).toBe('PERSON_NOT_FOUND');
    expect(err.message).toMatch(/未查询到/);
  });

  it('an old 市民卡 without the SSSE application is not a credential: the guidance asks for the 省卡, the e-voucher or the ID card', async () => {
    await h.control.remove().catch(() => undefined);
    const read = await h.insert('citizen-card-no-ssse');
    expect(read).toMatchObject({ name: 'card-error', payload: { error: { code: 'CARD_NOT_SSCARD' } } });
    const err = await h.callError('eligibility', 'check', { credential: { kind: 'card' } });
    expect(err.code).toBe('CARD_NOT_SSCARD');
    expect(err.guidance.join()).toMatch(/江苏省社会保障卡.*医保电子凭证.*身份证/);
    await h.control.remove();
  });
});

describe('cancellation (2404) within the rules', () => {
  it('cancels an admitted stay with the platform and refunds the deposit; a second cancel is refused', async () => {
    const d = await cardCheck('local-resident/g3');
    const adm = (await h.call<RegisterOutcome>('admission', 'register', form(d.checkId, '0501', { deposit: { amountFen: 300_000, receiptNo: 'YJ-C-1', method: 'bank-card' } }))).admission;
    expect(adm).toMatchObject({ status: 'admitted', depositsFen: 300_000 });
    expect(adm.mdtrtId).not.toBeNull();
    const more = await h.call<AdmissionView>('admission', 'addDeposit', { admissionId: adm.admissionId, deposit: { amountFen: 50_000, receiptNo: 'YJ-C-2', method: 'cash' } });
    expect(more.depositsFen).toBe(350_000);
    const dup = await h.callError('admission', 'addDeposit', { admissionId: adm.admissionId, deposit: { amountFen: 1, receiptNo: 'YJ-C-2', method: 'cash' } });
    expect(dup.code).toBe('INVALID_ARGUMENT');

    // Cancelling returns deposits: a supervisor's decision (contract/access.ts); the clerk's session is refused.
    expect((await h.callError('admission', 'cancel', { admissionId: adm.admissionId, reason: '患者改期入院' })).code).toBe('FORBIDDEN');
    await h.call('operator', 'signIn', credentialsOf('4001'));
    const cancelled = await h.call<AdmissionView>('admission', 'cancel', { admissionId: adm.admissionId, reason: '患者改期入院' });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.depositsFen).toBe(0);
    const refunds = h.terminal.parts.store.money.refunds(adm.admissionId);
    expect(refunds.map((r) => [r.amountFen, r.method, r.reason])).toEqual([
      [300_000, 'bank-card', 'cancellation'],
      [50_000, 'cash', 'cancellation'],
    ]);
    expect(await h.sandbox.admin.journal({ infno: '2404', mdtrt_id: adm.mdtrtId! })).toHaveLength(1);
    expect((await h.callError('admission', 'cancel', { admissionId: adm.admissionId, reason: 'again' })).code).toBe('ADMISSION_STATE');
    await h.call('operator', 'signIn', credentialsOf('1001'));
  });

  it('refuses to cancel a stay that has charges', async () => {
    const d = await cardCheck('retired-employee/g3');
    const adm = (await h.call<RegisterOutcome>('admission', 'register', form(d.checkId, '0502'))).admission;
    const store = h.terminal.parts.store;
    store.write((tx) =>
      store.feeLines.add(tx, {
        iptNo: adm.iptNo,
        feedetlSn: `${adm.iptNo}-0001`,
        initFeedetlSn: null,
        medListCodg: 'X',
        medinsListCodg: 'X',
        name: '床位费',
        chrgitmType: '01',
        chrgitmLv: '01',
        cnt: '1',
        pricFen: 5000,
        detItemFeeSumamtFen: 5000,
        feeOcurTime: '2026-11-20 10:00:00',
        bilgDeptCodg: null,
        bilgDrCodg: null,
      }),
    );
    await h.call('operator', 'signIn', credentialsOf('4001'));
    const err = await h.callError('admission', 'cancel', { admissionId: adm.admissionId, reason: '录入错误' }).finally(() => h.call('operator', 'signIn', credentialsOf('1001')));
    expect(err.code).toBe('ADMISSION_STATE');
    expect(err.message).toMatch(/费用明细/);
  });

  it('refuses a second open stay for the same person and an occupied bed', async () => {
    const d = await cardCheck('retired-employee/g3');
    expect((await h.callError('admission', 'register', form(d.checkId, '0503'))).code).toBe('ADMISSION_STATE');
    const other = await cardCheck('assistance/g3');
    const err = await h.callError('admission', 'register', form(other.checkId, '0502'));
    expect(err.message).toMatch(/已有在院患者/);
    // Issue 13 · 9: the occupied bed is not offered in the first place.
    const depts = await h.call<Array<{ code: string; wards: Array<{ code: string; beds: string[] }> }>>('admission', 'departments');
    const w05 = depts.find((d) => d.code === 'A03.01')!.wards.find((w) => w.code === 'W05')!;
    expect(w05.beds).not.toContain('0502');
    expect(w05.beds).toContain('0503');
  });

  it('a decision of a previous session cannot be used after resetSession', async () => {
    const d = await cardCheck('small-account/g3');
    await h.call('system', 'resetSession');
    const err = await h.callError('admission', 'register', form(d.checkId, '0504'));
    expect(err.code).toBe('INVALID_ARGUMENT');
  });
});

describe('offline: cached eligibility, queued admission, synced exactly once', () => {
  it('registers during an outage with a local 住院号 and sends the 2401 when the network is back', async () => {
    const online = await cardCheck('near-annual-cap/g3');
    expect(online.cached).toBe(false);

    await h.network.setOnline(false);
    let adm: AdmissionView;
    try {
      const cached = await cardCheck('near-annual-cap/g3');
      expect(cached).toMatchObject({ cached: true, checkId: online.checkId, direct: true, scope: 'local' });
      expect(cached.reasons[0]?.code).toBe('cached');

      adm = (await h.call<RegisterOutcome>('admission', 'register', form(cached.checkId, '0505', { deposit: { amountFen: 100_000, receiptNo: 'YJ-OFF-1', method: 'cash' } }))).admission;
      expect(adm).toMatchObject({ status: 'queued', mdtrtId: null, depositsFen: 100_000 });
      expect(adm.iptNo).toMatch(/^ZY2026\d{6}$/);
      const status = await eventually(async () => {
        const s = await h.call<TerminalStatus>('system', 'status');
        return !s.platform.online && s.queue.depth >= 1 ? s : null;
      }, 10_000, 'the status bar to show offline with a queued item');
      expect(status.queue.depth).toBeGreaterThanOrEqual(1);

      // A person never seen online has no snapshot: a clear offline error, not a guess.
      const never = await h.callError('eligibility', 'check', { credential: { kind: 'id', certType: '02', certNo: '650100198505153911' } });
      expect(never.code).toBe('PLATFORM_OFFLINE');
    } finally {
      await h.network.setOnline(true);
    }
    const iptNo = adm.iptNo;
    const admitted = await eventually(() => {
      const a = h.terminal.parts.store.admissions.get(iptNo);
      return a?.status === 'admitted' && a.mdtrtId ? a : null;
    }, 60_000, 'the queued 2401 to be sent after the outage');
    const journal = await h.sandbox.admin.journal({ infno: '2401', psn_no: online.person.psnNo });
    expect(journal.filter((e) => e.reversed_by === null)).toEqual([expect.objectContaining({ ipt_no: iptNo, mdtrt_id: admitted.mdtrtId })]);
    const after = await h.call<AdmissionView>('admission', 'get', { admissionId: iptNo });
    expect(after).toMatchObject({ status: 'admitted', mdtrtId: admitted.mdtrtId });
    await eventually(async () => (await h.call<TerminalStatus>('system', 'status')).platform.online, 10_000, 'online again');
  });

  it('cancels a stay still queued offline without the platform, refunding the deposit', async () => {
    const d = await cardCheck('serious-illness/g3');
    // The supervisor signs in (9001) while online: offline, the day's cached sign_no serves.
    await h.call('operator', 'signIn', credentialsOf('4001'));
    await h.call('operator', 'signIn', credentialsOf('1001'));
    await h.network.setOnline(false);
    try {
      // Let the client see its pooled keep-alive connections close (a 2401 written on one at the very moment of
      // the cut has an unknown outcome, and is rightly not cancellable until its 2601 is answered).
      await new Promise((r) => setTimeout(r, 300));
      const adm = (await h.call<RegisterOutcome>('admission', 'register', form(d.checkId, '0506', { deposit: { amountFen: 80_000, receiptNo: 'YJ-OFF-2', method: 'bank-card' } }))).admission;
      expect(adm.status).toBe('queued');
      // At once: the relay may still be writing back the failed send; the cancel waits for it.
      await h.call('operator', 'signIn', credentialsOf('4001'));
      const cancelled = await h.call<AdmissionView>('admission', 'cancel', { admissionId: adm.iptNo, reason: '患者离开' });
      expect(cancelled).toMatchObject({ status: 'cancelled', depositsFen: 0 });
      await h.call('operator', 'signIn', credentialsOf('1001'));
    } finally {
      await h.network.setOnline(true);
    }
    await new Promise((r) => setTimeout(r, 1500));
    expect(await h.sandbox.admin.journal({ infno: '2401', psn_no: d.person.psnNo })).toHaveLength(0);
  });
});

describe('a 2401 whose answer is lost after the platform committed it', () => {
  it('is reversed (2601) and sent again under a new msgid: one live admission on the platform, never two', async () => {
    const d = await cardCheck('long-name/g3');
    await h.sandbox.admin.addFault({ infno: '2401', kind: 'drop-after-commit', count: 1 });
    const adm = (await h.call<RegisterOutcome>('admission', 'register', form(d.checkId, '0507'))).admission;
    const admitted = await eventually(() => {
      const a = h.terminal.parts.store.admissions.get(adm.iptNo);
      return a?.status === 'admitted' && a.mdtrtId ? a : null;
    }, 60_000, 'the 2401 to be reversed and sent again');
    const journal = await h.sandbox.admin.journal({ infno: '2401', psn_no: d.person.psnNo });
    // The first attempt took effect and was reversed by its 2601; the second is the live one, under another msgid.
    expect(journal).toHaveLength(2);
    const [first, second] = journal;
    expect(first!.reversed_by).not.toBeNull();
    expect(second).toMatchObject({ reversed_by: null, ipt_no: adm.iptNo, mdtrt_id: admitted.mdtrtId });
    expect(second!.msgid).not.toBe(first!.msgid);
  });
});

describe('入院时间 typed at the desk (issue 13: a stay registered late kept the registration time)', () => {
  /** The terminal's China time moved by `days` (the status says it; the terminal's clock is the sandbox's test day). */
  async function terminalTime(days: number): Promise<string> {
    const now = (await h.call<TerminalStatus>('system', 'status')).now!;
    return new Date(Date.parse(`${now.replace(' ', 'T')}Z`) + days * 86_400_000).toISOString().replace('T', ' ').slice(0, 19);
  }

  it('is sent as begntime in the 2401 (mdtrtinfo and diag_time, through the codec the relay sends), kept on the stay and printed on the slip', async () => {
    await h.call('operator', 'signIn', credentialsOf('1001'));
    const d = await cardCheck('nj-filed-long-term/g3');
    const begntime = `${(await terminalTime(-2)).slice(0, 10)} 23:40:00`;
    const adm = (await h.call<RegisterOutcome>('admission', 'register', form(d.checkId, '0601', { ward: 'W06', begntime }))).admission;
    expect(adm.begntime).toBe(begntime);
    const [item] = h.terminal.parts.store.outbox.listByVisit(adm.iptNo).filter((i) => i.infno === '2401');
    const input = item!.input as { mdtrtinfo: { begntime: string }; diseinfo: { diag_time: string }[] };
    expect(input.mdtrtinfo.begntime).toBe(begntime);
    expect(input.diseinfo[0]!.diag_time).toBe(begntime);
    // The platform took it (the sandbox refuses a begntime that is not a valid time) and the stay is in hospital.
    await eventually(async () => ((await h.call<AdmissionView>('admission', 'get', { admissionId: adm.admissionId })).status === 'admitted' ? true : null), 30_000, 'the 2401');
    const slip = (await h.call<{ html: string }>('documents', 'render', { kind: 'admission-slip', admissionId: adm.admissionId })).html;
    const [day, clock] = [begntime.slice(0, 10).split('-').map(Number), begntime.slice(11, 16)];
    expect(slip.replace(/<[^>]+>/g, ' ')).toContain(`${day[0]}年${day[1]}月${day[2]}日 ${clock}`);
  });

  it('refuses a time in the future (beyond 5 minutes) or older than 7 days, in words; nothing is registered', async () => {
    const d = await cardCheck('sz-filed-temporary/g3');
    const before = h.terminal.parts.store.admissions.list({ limit: 10_000 }).length;
    const future = await h.callError('admission', 'register', form(d.checkId, '0602', { ward: 'W06', begntime: await terminalTime(1 / 24) }));
    expect(future).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('入院时间不能晚于当前时间') });
    const old = await h.callError('admission', 'register', form(d.checkId, '0602', { ward: 'W06', begntime: await terminalTime(-8) }));
    expect(old).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('入院时间不能早于') });
    expect(h.terminal.parts.store.admissions.list({ limit: 10_000 }).length).toBe(before);
  });
});

describe('one view of a stay (issue 13 · 8)', () => {
  beforeAll(async () => {
    await h.call('operator', 'signIn', credentialsOf('1001')); // the day's sign-in (idempotent)
  });
  /** The stay as the counter's list shows it (discharge.openStays), found by its 住院号. */
  async function counterView(iptNo: string): Promise<AdmissionView> {
    const stays = await h.call<AdmissionView[]>('discharge', 'openStays', { q: iptNo });
    const v = stays.find((s) => s.iptNo === iptNo);
    if (!v) throw new Error(`${iptNo} is not in the counter's list`);
    return v;
  }
  /** A money cell of a printed document, by its label: "1,234.56 元" or "1,234.56" → fen. */
  function printedFen(html: string, label: RegExp): number {
    const m = new RegExp(`${label.source}[^\\d]*?([\\d,]+)\\.(\\d\\d)`).exec(html.replace(/<[^>]+>/g, ' '));
    if (!m) throw new Error(`no ${label.source} on the document`);
    return Number(m[1]!.replace(/,/g, '')) * 100 + Number(m[2]);
  }

  it('the desk, the counter and the documents show the same stay: person, ward, deposit, charges', async () => {
    const d = await cardCheck('local-employee/g3');
    const adm = (await h.call<RegisterOutcome>('admission', 'register', form(d.checkId, '0508', { deposit: { amountFen: 200_000, receiptNo: 'YJ-V-1', method: 'cash' } }))).admission;
    await h.call('charges', 'add', { admissionId: adm.admissionId, lines: [{ medListCodg: '0030003439479', cnt: 2 }] }); // CT, not uploaded yet
    const desk = await h.call<AdmissionView>('admission', 'get', { admissionId: adm.admissionId });
    expect(desk).toMatchObject({ depositsFen: 200_000, chargesFen: 44_000, ward: '五病区' });
    expect(await counterView(adm.iptNo)).toEqual(desk);
    const feeList = (await h.call<{ html: string }>('documents', 'render', { kind: 'fee-list', admissionId: adm.admissionId })).html;
    expect(printedFen(feeList, /合计（\d+项）/)).toBe(desk.chargesFen);
    const slip = (await h.call<{ html: string }>('documents', 'render', { kind: 'admission-slip', admissionId: adm.admissionId })).html;
    expect(printedFen(slip, /已交预交金/)).toBe(desk.depositsFen);
    for (const doc of [feeList, slip]) {
      expect(doc).toContain(maskName(desk.person.displayName)); // a preview on screen is masked (documents/facts.ts)
      expect(doc).toContain(desk.ward);
    }
  });

  it('a cancellation waiting for the platform shows at the counter as at the desk', async () => {
    const d = await cardCheck('hf-filed/g3');
    const adm = (await h.call<RegisterOutcome>('admission', 'register', form(d.checkId, '0509'))).admission;
    expect(adm.status).toBe('admitted');
    await h.call('operator', 'signIn', credentialsOf('4001')); // cancelling is a supervisor's (signed in while online)
    await h.network.setOnline(false);
    try {
      await new Promise((r) => setTimeout(r, 300)); // as above: no send caught mid-write by the cut
      const cancelling = await h.call<AdmissionView>('admission', 'cancel', { admissionId: adm.admissionId, reason: '患者改期入院' });
      expect(cancelling.cancellationPending).toBe(true);
      expect(await counterView(adm.iptNo)).toEqual(await h.call<AdmissionView>('admission', 'get', { admissionId: adm.admissionId }));
      expect((await counterView(adm.iptNo)).cancellationPending).toBe(true);
    } finally {
      await h.network.setOnline(true);
      await h.call('operator', 'signIn', credentialsOf('1001'));
    }
  });
});

describe('no way offered that is not there (issue 13 · 9: platform fully offline, 自费)', () => {
  beforeAll(async () => {
    await h.call('operator', 'signIn', credentialsOf('1001'));
  });

  it('offline without a recent check: no 自费 admission suggested (none exists without a decision); retry, or the hospital procedure and register here later', async () => {
    await h.network.setOnline(false);
    try {
      const e = await h.callError('eligibility', 'check', { credential: { kind: 'id', certType: '02', certNo: '31000019920919252X' } });
      expect(e.code).toBe('PLATFORM_OFFLINE');
      expect(e.guidance.join('')).not.toContain('自费');
      expect(e.guidance.join('')).toContain('医保平台恢复连接后再在此核验并办理入院登记');
    } finally {
      await h.network.setOnline(true);
    }
  });

  it('a 自费 stay (never sent to the platform) is sent to the hospital billing at the counter, not to the queue that has nothing for it', async () => {
    const d = await cardCheck('waiting-period/g3');
    expect(d.direct).toBe(false);
    const adm = (await h.call<RegisterOutcome>('admission', 'register', form(d.checkId, '0510'))).admission;
    expect(adm.direct).toBe(false);
    await h.call('charges', 'add', { admissionId: adm.admissionId, lines: [{ medListCodg: '0030003439479', cnt: 1 }] });
    const e = await h.callError('discharge', 'preSettle', { admissionId: adm.admissionId });
    expect(e.message).toContain('按自费登记');
    expect(e.guidance.join('')).toContain('医院收费系统');
    expect(e.guidance.join('')).not.toContain('队列');
  });
});

describe('catalogues', () => {
  it('departments and the ICD-10 search', async () => {
    const depts = await h.call<{ code: string }[]>('admission', 'departments');
    expect(depts.length).toBeGreaterThanOrEqual(8);
    expect(await h.call('admission', 'searchDiagnoses', { q: '股骨颈', limit: 5 })).toEqual([{ code: 'S72.0', name: '股骨颈骨折' }]);
  });
});

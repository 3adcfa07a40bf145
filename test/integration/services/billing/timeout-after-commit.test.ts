import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { admit, CALL, liveSettlements, openTestTerminal, settleUntilSettled, startTestSandbox, tempDir, type TestSandbox, type TestTerminal, outcome } from './harness.ts';

/**
 * The platform commits 2304 and the answer never arrives (sandbox fault drop-after-commit). The terminal must
 * reverse that attempt (2601) before any new one, then settle once: the sandbox journal ends with exactly one
 * live settlement, and the erased one is marked reversed_by its 2601.
 */
const PERSON = { certNo: '32020019620802112X', psnNo: '32020000000000000002' };
const BILL = JSON.stringify({
  feedetail: [
    { feedetl_sn: 'J1', med_list_codg: '0010001941077', cnt: 3 }, // 三人间床位 30 元 × 3
    { feedetl_sn: 'J2', med_list_codg: '0030003439479', cnt: 1 }, // CT 220 元
  ],
});

describe('2304 timeout after commit', () => {
  let sandbox: TestSandbox;
  let t: TestTerminal;
  let tmp: ReturnType<typeof tempDir>;

  beforeEach(async () => {
    tmp = tempDir();
    sandbox = await startTestSandbox();
    t = await openTestTerminal({ platformUrl: sandbox.url, storePath: join(tmp.dir, 'kiosk.sqlite') });
  });
  afterEach(async () => {
    await t?.close();
    await sandbox?.close();
    tmp?.remove();
  });

  async function ready() {
    const stay = await admit(t, { certNo: PERSON.certNo, deposits: [{ amountFen: 100_000, method: 'cash', receiptNo: 'YJ-T-1' }] });
    await t.billing.charges.import({ admissionId: stay.admissionId, format: 'json', content: BILL }, CALL);
    outcome(await t.billing.discharge.preSettle({ admissionId: stay.admissionId }, CALL), 'presettled');
    return stay;
  }

  it('reverses the lost attempt inline, then settles exactly once under a new msgid', async () => {
    const stay = await ready();
    await sandbox.admin.addFault({ infno: '2304', kind: 'drop-after-commit', count: 1 });
    const settled = outcome(await t.billing.discharge.settle({ admissionId: stay.admissionId }, CALL), 'settled').settlement;

    const journal = await sandbox.admin.journal({ psn_no: PERSON.psnNo });
    const settles = journal.filter((e) => e.infno === '2304');
    expect(settles).toHaveLength(2);
    const [lost, kept] = settles as [(typeof settles)[0], (typeof settles)[0]];
    const reversal = journal.find((e) => e.infno === '2601');
    expect(reversal).toMatchObject({ omsgid: lost.msgid, oinfno: '2304' });
    expect(lost.reversed_by).toBe(reversal!.msgid);
    expect(kept.reversed_by).toBeNull();
    // The 2601 came before the new attempt.
    expect(reversal!.seq).toBeLessThan(kept.seq);
    expect(await liveSettlements(sandbox, PERSON.psnNo)).toHaveLength(1);
    expect(settled).toMatchObject({ setlId: kept.setl_id, msgid: kept.msgid, status: 'settled' });
    expect(t.store.settlements.byVisit(stay.admissionId).map((s) => s.status)).toEqual(['settled']);
  });

  it('resumeOnly (the kiosk\'s 查询结算结果) starts no settlement when none is under way', async () => {
    const stay = await ready();
    // Pre-settled and confirmed, but 确认结算 was never tapped on this visit: asking for the result settles nothing.
    expect(await t.billing.discharge.settle({ admissionId: stay.admissionId, resumeOnly: true }, CALL)).toMatchObject({ outcome: 'refused' });
    expect((await sandbox.admin.journal({ psn_no: PERSON.psnNo })).filter((e) => e.infno === '2304')).toHaveLength(0);
    expect(t.store.settlements.byVisit(stay.admissionId)).toEqual([]);
    // The settlement itself still goes when it is asked for, and afterwards resumeOnly reports it.
    const settled = outcome(await t.billing.discharge.settle({ admissionId: stay.admissionId }, CALL), 'settled').settlement;
    expect(outcome(await t.billing.discharge.settle({ admissionId: stay.admissionId, resumeOnly: true }, CALL), 'settled').settlement).toEqual(settled);
  });

  it('when the 2601 cannot get through, says so, and a later settle finishes the same settlement', async () => {
    const stay = await ready();
    await sandbox.admin.addFault({ infno: '2304', kind: 'drop-after-commit', count: 1 });
    // The 2601 fails for as long as the fault stands (the relay paces and retries it); the 2304 went out the
    // moment its step committed, so the settle may look before or after the relay found the answer lost.
    await sandbox.admin.addFault({ infno: '2601', kind: 'http5xx', count: 1_000 });
    expect(await t.billing.discharge.settle({ admissionId: stay.admissionId }, CALL)).toMatchObject({ outcome: 'waiting', reason: 'reversal' });
    // Nothing new may start for the stay while the reversal is open.
    expect(await t.billing.discharge.preSettle({ admissionId: stay.admissionId }, CALL)).toMatchObject({ outcome: 'settlement-in-progress' });
    // The kiosk's 查询结算结果 (resumeOnly) reports the same: it waits for the settlement under way.
    expect(await t.billing.discharge.settle({ admissionId: stay.admissionId, resumeOnly: true }, CALL)).toMatchObject({ outcome: 'waiting', reason: 'reversal' });
    await sandbox.admin.clearFaults();
    // Again, as the screen asks, until the 2601 got through and the fresh 2304 was answered.
    const settled = (await settleUntilSettled(t, stay.admissionId, 20, { resumeOnly: true })).settled.settlement;
    expect(settled.status).toBe('settled');
    const live = await liveSettlements(sandbox, PERSON.psnNo);
    expect(live).toHaveLength(1);
    expect(live[0]!.setl_id).toBe(settled.setlId);
    const journal = await sandbox.admin.journal({ psn_no: PERSON.psnNo });
    expect(journal.filter((e) => e.infno === '2304' && e.reversed_by !== null)).toHaveLength(1);
    // The patient back at the kiosk finds the stay among today's settled ones (once), not among those to settle.
    const ipt = (stays: Array<{ iptNo: string }>) => stays.map((a) => a.iptNo).filter((n) => n === stay.iptNo);
    expect(ipt(await t.billing.discharge.openStays({ q: PERSON.psnNo }, CALL))).toEqual([]);
    const found = await t.billing.discharge.openStays({ q: PERSON.psnNo, settledToday: true }, CALL);
    expect(ipt(found)).toEqual([stay.iptNo]);
    expect(found.find((a) => a.iptNo === stay.iptNo)!.status).toBe('settled');
  });
});

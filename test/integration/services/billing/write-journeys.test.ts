import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdmissionView } from '../../../../contract/dto/admission.ts';
import type { OutboxItem } from '../../../../db/outbox/types.ts';
import { Admit2401, CancelAdmission2404, Discharge2402 } from '../../../../insurance/client/transactions/admission.ts';
import type { Codec } from '../../../../insurance/client/transactions/codec.ts';
import { CancelFees2302, UploadFees2301 } from '../../../../insurance/client/transactions/fees.ts';
import { CancelSettlement2305, Settle2304 } from '../../../../insurance/client/transactions/settlement.ts';
import { hashPassword } from '../../../../services/security/passwords.ts';
import { admit, CALL, CASHIER, openTestTerminal, outcome, startTestSandbox, tempDir, type TestSandbox, type TestTerminal } from './harness.ts';
import type { z } from 'zod';

/**
 * One journey per write transaction, each from the service a person uses, through the national-interface
 * client and the outbox, to the write-back; against the sandbox over HTTP and a SQLite file. For each: the
 * platform took exactly the item's message (its journal holds the item's msgid), the write-back table's schema
 * for the infno IS the transaction codec's (one codec for the live call, the relay's port and the write-back),
 * and what the write-back stored is what that codec reads from the answer the outbox kept.
 */
const PERSON = { certNo: '32020019620802112X', psnNo: '32020000000000000002' };
const OTHER = { certNo: '320200197503141014', psnNo: '32020000000000000001' };
const SUPERVISOR = { opterNo: 'SUP09', name: '周主管', password: 'zg-2026-09' };
const BILL = 'feedetl_sn,med_list_codg,cnt\nJ0001,0010001941077,4\nJ0002,0030003439479,1\nJ0003,0010001941077,1\n';

describe('write journeys: service → client → outbox → write-back, one codec each', () => {
  let sandbox: TestSandbox;
  let t: TestTerminal;
  let tmp: ReturnType<typeof tempDir>;
  let stay: AdmissionView;
  let settlementId: string;

  beforeAll(async () => {
    tmp = tempDir('write-journeys-');
    sandbox = await startTestSandbox();
    t = await openTestTerminal({
      platformUrl: sandbox.url,
      storePath: join(tmp.dir, 'kiosk.sqlite'),
      supervisors: [{ opterNo: SUPERVISOR.opterNo, name: SUPERVISOR.name, passwordHash: hashPassword(SUPERVISOR.password) }],
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
    tmp?.remove();
  });

  /** The visit's items of one transaction, all done; their msgids are those the platform's journal holds. */
  async function crossed<S extends z.ZodType>(iptNo: string, codec: Codec<never, S>): Promise<Array<{ item: OutboxItem; typed: z.output<S> }>> {
    const items = t.store.outbox.listByVisit(iptNo).filter((i) => i.infno === codec.infno);
    expect(items.length).toBeGreaterThan(0);
    for (const i of items) expect((await t.ctx.outbox.settle(i.id, { timeoutMs: 15_000 })).state).toBe('done');
    expect(t.ctx.writeBack[codec.infno]!.output).toBe(codec.output);
    const journal = new Set((await sandbox.admin.journal({ infno: codec.infno })).map((e) => e.msgid));
    return items.map((i) => {
      const item = t.store.outbox.get(i.id)!;
      expect(journal.has(item.msgid)).toBe(true);
      return { item, typed: codec.output.parse(item.output) as z.output<S> };
    });
  }

  it('2401 入院办理: the stay gets the mdtrt_id of the answer', async () => {
    stay = await admit(t, { certNo: PERSON.certNo, deposits: [{ amountFen: 100_000, method: 'bank-card', receiptNo: 'YJ-J-1' }] });
    const [admitted] = await crossed(stay.iptNo, Admit2401);
    expect(t.store.admissions.get(stay.iptNo)).toMatchObject({ status: 'admitted', mdtrtId: admitted!.typed.result.mdtrt_id });
    expect(admitted!.item.envelope.opter).toBe(CASHIER.opterNo);
  });

  it('2301 费用明细上传: every line carries the platform split the codec read', async () => {
    await t.billing.charges.import({ admissionId: stay.iptNo, format: 'csv', content: BILL }, CALL);
    await t.billing.charges.upload({ admissionId: stay.iptNo }, CALL);
    const batches = await crossed(stay.iptNo, UploadFees2301);
    const split = new Map(batches.flatMap((b) => b.typed.result).map((r) => [r.feedetl_sn, r]));
    for (const line of t.store.feeLines.byVisit(stay.iptNo)) {
      expect(line.state).toBe('uploaded');
      expect(line).toMatchObject({ fulamtOwnpayFen: split.get(line.feedetlSn)!.fulamt_ownpay_amt, inscpScpFen: split.get(line.feedetlSn)!.inscp_scp_amt });
    }
  });

  it('2302 费用明细撤销: the line is withdrawn on the platform too', async () => {
    await t.billing.charges.cancelLine({ admissionId: stay.iptNo, feedetlSn: 'J0003' }, CALL);
    const [cancel] = await crossed(stay.iptNo, CancelFees2302);
    expect(cancel!.item.input).toEqual(CancelFees2302.encode({ feedetl_sn: 'J0003', mdtrt_id: stay.mdtrtId!, psn_no: PERSON.psnNo }));
    expect(t.store.feeLines.get(stay.iptNo, 'J0003')?.state).toBe('cancelled');
  });

  it('2402 出院办理 (through pre-settlement): the stay is discharged', async () => {
    outcome(await t.billing.discharge.preSettle({ admissionId: stay.iptNo }, CALL), 'presettled');
    await crossed(stay.iptNo, Discharge2402);
    expect(t.store.admissions.get(stay.iptNo)?.status).toBe('discharged');
  });

  it('2304 住院结算: setl_id, split and 多退少补 under the cashier, from the answer the codec read', async () => {
    const settled = outcome(await t.billing.discharge.settle({ admissionId: stay.iptNo }, CALL), 'settled').settlement;
    settlementId = settled.settlementId;
    const [s] = await crossed(stay.iptNo, Settle2304);
    const info = s!.typed.setlinfo;
    expect(settled).toMatchObject({ setlId: info.setl_id, msgid: s!.item.msgid });
    expect(settled.breakdown).toMatchObject({ medfeeSumamtFen: info.medfee_sumamt, psnCashPayFen: info.psn_cash_pay, dueFen: info.psn_cash_pay - 100_000 });
    expect(t.store.money.refunds(stay.iptNo)).toMatchObject([{ reason: 'settlement', amountFen: 100_000 - info.psn_cash_pay, opterNo: CASHIER.opterNo }]);
  });

  it('2305 住院结算撤销: the settlement is reversed with the supervisor’s reason', async () => {
    const reversed = outcome(
      await t.billing.discharge.reverse({ settlementId, supervisorNo: SUPERVISOR.opterNo, supervisorPassword: SUPERVISOR.password, reason: '核对费用后重新结算' }, CALL),
      'reversed',
    ).settlement;
    const [r] = await crossed(stay.iptNo, CancelSettlement2305);
    expect(r!.typed.setlinfo.medfee_sumamt).toBeLessThan(0);
    expect(reversed.status).toBe('reversed');
    expect(t.store.settlements.get(Number(settlementId))?.reversalReason).toBe('核对费用后重新结算');
    expect(t.store.admissions.get(stay.iptNo)?.status).toBe('discharged');
  });

  it('2404 入院撤销: the stay is cancelled and its deposit refunded the way it was paid', async () => {
    const other = await admit(t, { certNo: OTHER.certNo, deposits: [{ amountFen: 50_000, method: 'cash', receiptNo: 'YJ-J-2' }] });
    const view = await t.admission.group().cancel({ admissionId: other.iptNo, reason: '患者转院' }, CALL);
    await crossed(other.iptNo, CancelAdmission2404);
    expect(view.status === 'cancelled' || view.cancellationPending).toBe(true);
    expect(t.store.admissions.get(other.iptNo)?.status).toBe('cancelled');
    expect(t.store.money.refunds(other.iptNo)).toMatchObject([{ reason: 'cancellation', amountFen: 50_000, method: 'cash', opterNo: CASHIER.opterNo }]);
  });
});

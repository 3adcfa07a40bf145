import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDay } from '../../../base/china-time.ts';
import { KioskError } from '../../../contract/errors.ts';
import { hashPassword } from '../../../services/security/passwords.ts';
import { PaymentService } from '../../../services/payments/payment-service.ts';
import { pdfTextLines } from '../support/pdf-text.ts';
import { admit, CALL, CASHIER, openTestTerminal, outcome, startTestSandbox, tempDir, type TestSandbox, type TestTerminal } from '../services/billing/harness.ts';

/**
 * 作废 of a mistaken cash / POS 预交金 (docs/payments.md, "Voiding a deposit collection") on a real SQLite file
 * with the 医保 sandbox: a supervisor voids, with a reason, as a row of its own; the deposit row stays; the
 * stay's 预交金, the settlement and the day-end (screen, paper) leave it out or count it as a void, the same
 * to the fen; refused to a cashier, twice, once used in a settlement, and for money through the gateway.
 */
const PERSON = { certNo: '32020019620802112X' };
const SUPERVISOR = { opterNo: 'SUP07', name: '刘主管', password: 'zg-2026-07' };
const BILL = 'med_list_codg,cnt\n0010001941077,4\n0030003439479,1\n'; // 340 元

describe('voiding a mistaken cash or POS deposit', () => {
  let sandbox: TestSandbox;
  let t: TestTerminal;
  let tmp: ReturnType<typeof tempDir>;
  let payments: ReturnType<PaymentService['group']>;
  let iptNo: string;
  const idOf = (receiptNo: string) => String(t.store.money.everyDeposit(iptNo).find((d) => d.receiptNo === receiptNo)!.id);
  const signIn = (who: { opterNo: string; password: string }) => t.operators.group().signIn({ opterNo: who.opterNo, password: who.password }, CALL);
  const reject = async (p: Promise<unknown>) => {
    const e = await p.then(() => null, (x: unknown) => x);
    if (!(e instanceof KioskError)) throw new Error(`expected a refusal, got ${String(e)}`);
    return e;
  };

  beforeAll(async () => {
    tmp = tempDir('deposit-void-');
    sandbox = await startTestSandbox();
    t = await openTestTerminal({
      platformUrl: sandbox.url,
      storePath: join(tmp.dir, 'kiosk.sqlite'),
      supervisors: [{ opterNo: SUPERVISOR.opterNo, name: SUPERVISOR.name, passwordHash: hashPassword(SUPERVISOR.password) }],
    });
    payments = new PaymentService(t.ctx, null).group();
    // The cashier typed 5,000.00 for a 500.00 cash deposit, then took 300.00 by bank card.
    const stay = await admit(t, {
      certNo: PERSON.certNo,
      deposits: [
        { amountFen: 500_000, method: 'cash', receiptNo: 'YJ-W-1' },
        { amountFen: 30_000, method: 'bank-card', receiptNo: 'POS-000123' },
      ],
    });
    iptNo = stay.admissionId;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
    tmp?.remove();
  });

  it('is refused to the cashier who took it (the service checks the role, whatever the screen asks), and nothing changes', async () => {
    const e = await reject(payments.voidDeposit({ depositId: idOf('YJ-W-1'), reason: '金额录错' }, CALL));
    expect(e.code).toBe('FORBIDDEN');
    expect((await payments.deposits({ admissionId: iptNo }, CALL)).depositsFen).toBe(530_000);
    expect(t.store.money.voidsOf(iptNo)).toEqual([]);
    expect(t.store.audit.list({ subject: `deposits:${idOf('YJ-W-1')}` }).map((a) => [a.action, a.actor])).toContainEqual(['deposit.void-refused', `opter:${CASHIER.opterNo}`]);
  });

  it('a supervisor voids it with a reason: its own row and audit entry, the deposit kept, the stay’s 预交金 without it', async () => {
    await signIn(SUPERVISOR);
    const before = t.store.money.everyDeposit(iptNo).find((d) => d.receiptNo === 'YJ-W-1')!;
    const after = await payments.voidDeposit({ depositId: idOf('YJ-W-1'), reason: '  金额录错：应为 500 元  ' }, CALL);
    expect(after.depositsFen).toBe(30_000);
    expect(after.heldFen).toBe(30_000); // the stay's 预交金 as admission.get says it (below)
    const row = after.deposits.find((d) => d.receiptNo === 'YJ-W-1')!;
    expect(row).toMatchObject({ amountFen: 500_000, opterNo: CASHIER.opterNo, void: { reason: '金额录错：应为 500 元', opterNo: SUPERVISOR.opterNo }, voidRefusal: expect.stringContaining('不能重复作废') });
    expect(after.deposits.find((d) => d.receiptNo === 'POS-000123')).toMatchObject({ void: null, voidRefusal: null });
    // The original row is untouched (and its seal still verifies); the void is a row of its own.
    expect(t.store.money.everyDeposit(iptNo).find((d) => d.id === before.id)).toEqual(before);
    expect(t.store.money.voidsOf(iptNo)).toMatchObject([{ depositId: before.id, amountFen: 500_000, opterNo: SUPERVISOR.opterNo }]);
    const audit = t.store.audit.list({ subject: `deposits:${before.id}` }).find((a) => a.action === 'deposit.void')!;
    expect(audit.actor).toBe(`opter:${SUPERVISOR.opterNo}`);
    expect(audit.detail).toMatchObject({ amountFen: 500_000, method: 'cash', receiptNo: 'YJ-W-1', collectedBy: CASHIER.opterNo, reason: '金额录错：应为 500 元' });
    expect(t.store.audit.verify().ok).toBe(true);
    // Every screen's figure of the stay reads the same: the admission view, the counter's stay list.
    expect((await t.admission.group().get({ admissionId: iptNo }, CALL)).depositsFen).toBe(30_000);
    expect((await t.billing.discharge.openStays({}, CALL)).find((s) => s.admissionId === iptNo)?.depositsFen).toBe(30_000);
  });

  it('twice: refused, one void row only', async () => {
    const e = await reject(payments.voidDeposit({ depositId: idOf('YJ-W-1'), reason: '再次作废' }, CALL));
    expect(e).toMatchObject({ code: 'DEPOSIT_STATE', message: expect.stringContaining('不能重复作废') });
    expect(t.store.money.voidsOf(iptNo)).toHaveLength(1);
  });

  it('money through the gateway is never voided (it goes back by its order)', async () => {
    const gatewayDeposit = t.store.write((tx) => t.store.money.addDeposit(tx, { iptNo, kind: 'deposit', amountFen: 10_000, method: 'alipay', receiptNo: 'H3202000000120261207000000ab12cd34', opterNo: CASHIER.opterNo }));
    const e = await reject(payments.voidDeposit({ depositId: String(gatewayDeposit.id), reason: '金额录错' }, CALL));
    expect(e).toMatchObject({ code: 'DEPOSIT_STATE', message: '扫码支付的预交金由支付平台收取，不能作废' });
    expect((await payments.deposits({ admissionId: iptNo }, CALL)).deposits.find((d) => d.receiptNo === gatewayDeposit.receiptNo)?.voidRefusal).toBe('扫码支付的预交金由支付平台收取，不能作废');
    expect(await reject(payments.voidDeposit({ depositId: '999999', reason: '金额录错' }, CALL))).toMatchObject({ code: 'DEPOSIT_NOT_FOUND' });
  });

  it('the cashier takes the right amount; the settlement counts the deposits that stand; then the deposit is used and cannot be voided', async () => {
    await signIn(CASHIER);
    await t.admission.group().addDeposit({ admissionId: iptNo, deposit: { amountFen: 50_000, method: 'cash', receiptNo: 'YJ-W-2' } }, CALL);
    await t.billing.charges.import({ admissionId: iptNo, format: 'csv', content: BILL }, CALL);
    outcome(await t.billing.discharge.preSettle({ admissionId: iptNo }, CALL), 'presettled');
    const settled = outcome(await t.billing.discharge.settle({ admissionId: iptNo }, CALL), 'settled').settlement;
    // Held: 300 (POS) + 100 (支付宝) + 500 (cash) = 900 元; the voided 5,000 is not the patient's.
    expect(settled.breakdown.depositFen).toBe(90_000);
    expect(settled.breakdown.dueFen).toBe(settled.breakdown.psnCashPayFen - 90_000);
    await signIn(SUPERVISOR);
    const e = await reject(payments.voidDeposit({ depositId: idOf('YJ-W-2'), reason: '金额录错' }, CALL));
    expect(e).toMatchObject({ code: 'DEPOSIT_STATE', message: '这笔预交金已用于出院结算，不能作废', guidance: ['如确需更正，请先由主管撤销结算，再作废'] });
    expect(t.store.money.voidsOf(iptNo)).toHaveLength(1);
  });

  it('the day-end counts the void in the drawer of the cashier who took the deposit, and the screen and the paper agree', async () => {
    const today = chinaDay(new Date());
    const r = await t.billing.reconciliation.dayEnd({ from: today }, CALL);
    const cashier = r.operators.find((o) => o.opterNo === CASHIER.opterNo)!;
    const cash = cashier.channels.find((c) => c.channel === 'cash')!;
    expect(cash).toMatchObject({ depositCount: 2, depositFen: 550_000, voidCount: 1, voidFen: 500_000 });
    const refundedCash = cash.refundFen;
    expect(cashier.cash).toEqual({ inFen: 50_000 + cash.balanceDueFen, outFen: refundedCash, handInFen: 50_000 + cash.balanceDueFen - refundedCash });
    expect(r.moneyLines.filter((l) => l.kind === 'void')).toMatchObject([{ receiptNo: 'YJ-W-1', opterNo: CASHIER.opterNo, channel: 'cash', amountFen: 500_000, voidedBy: SUPERVISOR.opterNo }]);
    expect(r.operators.find((o) => o.opterNo === SUPERVISOR.opterNo)).toBeUndefined();
    const doc = await t.billing.documents.render({ kind: 'day-end-report', dayEnd: { from: today }, pdf: true }, CALL);
    const paper = pdfTextLines(Buffer.from(doc.pdfBase64!, 'base64')).join('\n');
    expect(paper).toContain('作废（主管 SUP07）');
    expect(paper).toContain('YJ-W-1 | SF001 | 作废（主管 SUP07） | 现金 | -5,000.00');
    expect(paper).toContain('现金 | 2 | 5,500.00 | 0 | 0.00 | 0 | 0.00 | 1 | 5,000.00 | 500.00');
    expect(cashier.cash.handInFen).toBe(50_000);
    expect(paper).toContain('现金收入 | 500.00 | 现金退款 | 0.00 | 应缴现金 | 500.00');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TerminalConfig } from '../../../services/config/schema.ts';
import { requestSettlementRefund } from '../../../services/money/refund-requests.ts';
import { createRefundGroup } from '../../../services/money/refund-service.ts';
import { cancelItem } from '../../../services/sync/operator-actions.ts';
import { createWriteBackTable } from '../../../services/write-back-table.ts';
import { startPaymentWorld, until, type PaymentWorld } from './payment-world.ts';

// Refunds say where the money is: 退款中 (asked, not confirmed) → 已退 (the gateway's confirmation, or the
// cashier's) or → 待人工处理 (refused, with the gateway's reason). Against the payment sandbox over HTTP, on a
// real SQLite file; the sandbox's own books (GET /admin/trades) say what money moved.
describe('refund states × payment sandbox', () => {
  let w: PaymentWorld;
  const config = TerminalConfig.parse({ mode: 'discharge', demo: false, hospital: { help: { cashRefundWindow: '住院收费处3号窗口' } } });
  const cashier = { current: () => ({ opter: '0002', opter_name: '王收费', opter_type: '1' as const }), staff: () => ({ opterNo: '0002', name: '王收费' }), requireStaff: () => ({ opterNo: '0002', name: '王收费' }) };
  let refunds: ReturnType<typeof createRefundGroup>;
  beforeAll(async () => {
    w = await startPaymentWorld({ stays: 6 });
    refunds = createRefundGroup({ config, store: w.store, operators: cashier as never });
  });
  afterAll(async () => w.stop());

  type Trade = { outTradeNo: string; status: string; totalFen: number; refundedFen: number; charges: number };
  const trade = async (no: string) => (await w.admin<Trade[]>('/admin/trades')).body.find((t) => t.outTradeNo === no)!;

  /** A QR deposit paid by the simulated phone and applied. */
  async function qrDeposit(stay: string, fen: number): Promise<string> {
    const o = await w.service.startQr(stay, fen, 'deposit');
    await w.admin('/admin/scan', { qrCode: o.qrCode, action: 'pay' });
    await until(async () => (await w.service.status(o.outTradeNo)).state === 'applied');
    return o.outTradeNo;
  }
  /** A settlement whose 多退 is `fen` (what the counter's 2304 write-back does, without the platform). */
  function settleWithRefund(stay: string, fen: number): number {
    return w.store.write((tx) => {
      const adm = w.store.admissions.get(stay)!;
      const s = w.store.settlements.open(tx, { iptNo: stay, mdtrtId: adm.mdtrtId, psnNo: adm.psnNo, insutype: adm.insutype, msgid: null });
      requestSettlementRefund(tx, w.store, { iptNo: stay, settlementId: s.id, amountFen: fen, receiptNo: `TK-${stay}-${s.id}`, opterNo: '0002' });
      return s.id;
    });
  }
  const views = (stay: string) => refunds.forAdmission({ admissionId: stay }, { transport: 'memory' });
  const sweep = () => w.service.resolver!.sweep();

  it('多退 to 支付宝: 退款中 until the gateway confirms, then 已退 with the refund request number; refunded once', async () => {
    const stay = w.stays[0]!;
    const order = await qrDeposit(stay, 100_000);
    const sid = settleWithRefund(stay, 35_000);
    const [asked] = await views(stay);
    expect(asked).toMatchObject({ state: 'refunding', amountFen: 35_000, method: 'alipay', counterWindow: null, doneAt: null });
    expect(asked!.gateway).toEqual([{ outTradeNo: order, tradeNo: expect.any(String), outRequestNo: `${order}S${sid}`, amountFen: 35_000, state: 'pending' }]);
    expect((await trade(order)).refundedFen).toBe(0); // nothing sent yet: 退款中 is the truth
    await sweep();
    const [done] = await views(stay);
    expect(done).toMatchObject({ state: 'refunded', doneBy: 'gateway', doneAt: expect.any(String) });
    expect(done!.gateway[0]!.state).toBe('done');
    expect(w.store.money.refunds(stay)[0]!.refundRef).toBe(`${order}S${sid}`);
    await sweep();
    expect(await trade(order)).toMatchObject({ charges: 1, refundedFen: 35_000 });
  });

  it('the refund answer is lost after the gateway made it: still 退款中, then resolved by query to 已退, never refunded twice', async () => {
    const stay = w.stays[1]!;
    const order = await qrDeposit(stay, 60_000);
    await w.admin('/admin/faults', { method: 'alipay.trade.refund', kind: 'drop-after-commit', count: 1 });
    settleWithRefund(stay, 20_000);
    await sweep();
    expect((await views(stay))[0]).toMatchObject({ state: 'refunding' });
    expect((await trade(order)).refundedFen).toBe(20_000); // the gateway did it; the terminal does not know yet
    await sweep(); // asks (fastpay.refund.query) before anything else
    expect((await views(stay))[0]).toMatchObject({ state: 'refunded' });
    expect(await trade(order)).toMatchObject({ refundedFen: 20_000, charges: 1 });
  });

  it('refused by the gateway: 待人工处理 with its reason; an operator turns it into cash at the window; the cashier confirms', async () => {
    const stay = w.stays[2]!;
    const order = await qrDeposit(stay, 50_000);
    await w.admin('/admin/finish', { outTradeNo: order }); // the refund period is over
    settleWithRefund(stay, 12_300);
    await sweep();
    const [refused] = await views(stay);
    expect(refused).toMatchObject({ state: 'attention', note: expect.stringContaining('ACQ.TRADE_HAS_FINISHED') });
    expect((await refunds.open({}, { transport: 'memory' })).map((r) => r.refundId)).toContain(refused!.refundId);
    // Only the gateway confirms a gateway refund; nobody can call it 已退 by hand.
    await expect(refunds.confirmHandedOut({ refundId: refused!.refundId }, { transport: 'memory' })).rejects.toMatchObject({ code: 'REFUND_STATE' });
    const cash = await refunds.toCash({ refundId: refused!.refundId, reason: '超过退款期限，患者同意现金退款' }, { transport: 'memory' });
    expect(cash).toMatchObject({ state: 'refunding', method: 'cash', counterWindow: '住院收费处3号窗口' });
    const done = await refunds.confirmHandedOut({ refundId: refused!.refundId }, { transport: 'memory' });
    expect(done).toMatchObject({ state: 'refunded', doneBy: '0002' });
    expect((await trade(order)).refundedFen).toBe(0); // the gateway never moved money back
    expect(w.store.audit.list({ subject: `refund:${refused!.refundId}` }).map((e) => e.action)).toEqual(['refund.refused', 'refund.to-cash', 'refund.handed-out']);
  });

  it('cash 多退: 退款中 at the configured window until the cashier confirms handing it out; only once', async () => {
    const stay = w.stays[3]!;
    w.store.write((tx) => w.store.money.addDeposit(tx, { iptNo: stay, kind: 'deposit', amountFen: 80_000, method: 'cash', receiptNo: 'XJ-0001', opterNo: '0002' }));
    settleWithRefund(stay, 8_800);
    await sweep(); // the gateway has nothing to do with it
    const [r] = await views(stay);
    expect(r).toMatchObject({ state: 'refunding', method: 'cash', counterWindow: '住院收费处3号窗口', gateway: [] });
    expect(await refunds.confirmHandedOut({ refundId: r!.refundId }, { transport: 'memory' })).toMatchObject({ state: 'refunded', doneBy: '0002' });
    await expect(refunds.confirmHandedOut({ refundId: r!.refundId }, { transport: 'memory' })).rejects.toMatchObject({ code: 'REFUND_STATE' });
  });

  it('a 多退 larger than the gateway deposits: the 支付宝 part by the original order, the rest in cash at the window', async () => {
    const stay = w.stays[4]!;
    w.store.write((tx) => w.store.money.addDeposit(tx, { iptNo: stay, kind: 'deposit', amountFen: 30_000, method: 'cash', receiptNo: 'XJ-0002', opterNo: '0002' }));
    const order = await qrDeposit(stay, 20_000);
    settleWithRefund(stay, 26_000);
    await sweep();
    const rs = await views(stay);
    expect(rs.map((r) => [r.method, r.amountFen, r.state])).toEqual([
      ['alipay', 20_000, 'refunded'],
      ['cash', 6_000, 'refunding'],
    ]);
    expect(await trade(order)).toMatchObject({ refundedFen: 20_000 });
  });

  it('a cancelled stay (its queued 2401 cancelled through the write-back table): the QR deposit goes back at the gateway by its order, the cash one at the window', async () => {
    const stay = w.stays[5]!;
    const order = await qrDeposit(stay, 40_000);
    const item = w.store.write((tx) => {
      w.store.admissions.setStatus(tx, stay, 'queued');
      w.store.money.addDeposit(tx, { iptNo: stay, kind: 'deposit', amountFen: 5_000, method: 'cash', receiptNo: 'XJ-0003', opterNo: '0002' });
      return w.store.outbox.enqueue(tx, { visitKey: stay, infno: '2401', input: { mdtrtinfo: { ipt_no: stay } }, msgid: w.store.msgids.next(tx.now), envelope: { insuplc_admdvs: '320200', opter: '0002' } });
    });
    // What `kiosk queue cancel` and the desk's queue panel and cancel do: one table, one outcome.
    cancelItem(w.store, createWriteBackTable(), item.id, '患者放弃住院', { actor: 'cli:test' });
    expect(w.store.admissions.get(stay)?.status).toBe('cancelled');
    const asked = await views(stay);
    expect(asked.map((r) => [r.reason, r.method, r.amountFen, r.state])).toEqual([
      ['cancellation', 'alipay', 40_000, 'refunding'],
      ['cancellation', 'cash', 5_000, 'refunding'],
    ]);
    expect(asked[0]!.gateway).toMatchObject([{ outTradeNo: order, outRequestNo: `${order}C`, state: 'pending' }]);
    expect(asked[1]!.counterWindow).toBe('住院收费处3号窗口');
    await sweep();
    expect((await views(stay)).map((r) => r.state)).toEqual(['refunded', 'refunding']);
    // The payment sandbox's own books: the whole deposit went back once; the trade is closed (fully refunded).
    expect(await trade(order)).toMatchObject({ charges: 1, refundedFen: 40_000, status: 'TRADE_CLOSED' });
    // Cancelled again (a repeat of the write-back): nothing is asked for twice.
    w.store.write((tx) => createWriteBackTable()['2401']!.cancelled!(tx, w.store, item));
    expect(w.store.money.refunds(stay)).toHaveLength(2);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TerminalConfig } from '../../../services/config/schema.ts';
import { requestSettlementRefund } from '../../../services/money/refund-requests.ts';
import { createRefundGroup } from '../../../services/money/refund-service.ts';
import { startPaymentWorld, until, type PaymentWorld } from './payment-world.ts';

// A refund the gateway refused (退款失败，待人工处理) asked again at the gateway by the cashier, once the cause is
// dealt with (the merchant account topped up): paced, capped, 退款中 while the gateway is asked, 已退 only on its
// word; the same out_request_no, so the money goes back once. Against the payment sandbox over HTTP, on a real
// SQLite file; the sandbox's books say what money moved.
describe('retrying a refused gateway refund × payment sandbox', () => {
  let w: PaymentWorld;
  const config = TerminalConfig.parse({ mode: 'discharge', demo: false });
  const cashier = { current: () => ({ opter: '0002', opter_name: '王收费', opter_type: '1' as const }), staff: () => ({ opterNo: '0002', name: '王收费' }), requireStaff: () => ({ opterNo: '0002', name: '王收费' }) };
  const CALL = { transport: 'memory' as const };
  const GAP_MS = 1_500;
  let refunds: ReturnType<typeof createRefundGroup>;
  beforeAll(async () => {
    w = await startPaymentWorld({ stays: 3 });
    refunds = createRefundGroup({ config, store: w.store, operators: cashier as never, gatewayRetry: { max: 3, gapMs: GAP_MS } });
  });
  afterAll(async () => w.stop());

  type Trade = { outTradeNo: string; refundedFen: number; charges: number };
  const trade = async (no: string) => (await w.admin<Trade[]>('/admin/trades')).body.find((t) => t.outTradeNo === no)!;
  const sweep = () => w.service.resolver!.sweep();
  const short = (yes: boolean) => w.admin('/admin/seller-balance', { short: yes });
  const view = async (stay: string) => (await refunds.forAdmission({ admissionId: stay }, CALL))[0]!;
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  async function refusedRefund(stay: string, fen: number): Promise<{ order: string; refundId: string }> {
    const o = await w.service.startQr(stay, 50_000, 'deposit');
    await w.admin('/admin/scan', { qrCode: o.qrCode, action: 'pay' });
    await until(async () => (await w.service.status(o.outTradeNo)).state === 'applied');
    await short(true);
    w.store.write((tx) => {
      const adm = w.store.admissions.get(stay)!;
      const s = w.store.settlements.open(tx, { iptNo: stay, mdtrtId: adm.mdtrtId, psnNo: adm.psnNo, insutype: adm.insutype, msgid: null });
      requestSettlementRefund(tx, w.store, { iptNo: stay, settlementId: s.id, amountFen: fen, receiptNo: `TK-${stay}-${s.id}`, opterNo: '0002' });
    });
    await sweep();
    const refused = await view(stay);
    expect(refused).toMatchObject({ state: 'attention', note: expect.stringContaining('ACQ.SELLER_BALANCE_NOT_ENOUGH'), gatewayRetries: { count: 0, max: 3 } });
    return { order: o.outTradeNo, refundId: refused.refundId };
  }

  it('paced: not again within the gap; 退款中 while asked; refused again → back to 待人工处理; after the top-up → 已退 once, same request number', async () => {
    const stay = w.stays[0]!;
    const { order, refundId } = await refusedRefund(stay, 12_300);
    const outRequestNo = (await view(stay)).gateway[0]!.outRequestNo;
    // Right after the refusal: too soon (the cause is rarely fixed in a second), nothing sent.
    await expect(refunds.retryAtGateway({ refundId }, CALL)).rejects.toMatchObject({ code: 'REFUND_STATE', message: expect.stringMatching(/^刚刚向支付平台发起过，请 \d+ 秒后再试$/) });
    expect((await view(stay)).state).toBe('attention');

    // Asked again while the account is still short: 退款中 (truthful: being asked), then refused again.
    await pause(GAP_MS + 100);
    const asked = await refunds.retryAtGateway({ refundId }, CALL);
    expect(asked).toMatchObject({ state: 'refunding', note: '已重新向支付平台发起退款（第 1 次），等待确认', gatewayRetries: { count: 1, max: 3 } });
    expect(asked.gateway).toEqual([expect.objectContaining({ outRequestNo, state: 'pending' })]);
    await expect(refunds.confirmHandedOut({ refundId }, CALL)).rejects.toMatchObject({ code: 'REFUND_STATE' }); // only the gateway's word
    expect((await trade(order)).refundedFen).toBe(0);
    await sweep();
    expect(await view(stay)).toMatchObject({ state: 'attention', note: expect.stringContaining('ACQ.SELLER_BALANCE_NOT_ENOUGH') });

    // The merchant account is topped up; asked again after the gap: 已退 on the gateway's confirmation.
    await short(false);
    await pause(GAP_MS + 100);
    expect(await refunds.retryAtGateway({ refundId }, CALL)).toMatchObject({ state: 'refunding', gatewayRetries: { count: 2, max: 3 } });
    await sweep();
    const done = await view(stay);
    expect(done).toMatchObject({ state: 'refunded', doneBy: 'gateway', gateway: [expect.objectContaining({ outRequestNo, state: 'done' })] });
    expect(await trade(order)).toMatchObject({ refundedFen: 12_300, charges: 1 });
    await sweep();
    expect((await trade(order)).refundedFen).toBe(12_300); // never twice
    await expect(refunds.retryAtGateway({ refundId }, CALL)).rejects.toMatchObject({ code: 'REFUND_STATE', message: '只有支付平台拒绝、待人工处理的退款可以重新发起' });
    expect(w.store.audit.list({ subject: `refund:${refundId}` }).map((e) => [e.action, e.actor])).toEqual([
      ['refund.refused', 'gateway'],
      ['refund.gateway-retry', 'opter:0002'],
      ['refund.refused', 'gateway'],
      ['refund.gateway-retry', 'opter:0002'],
      ['refund.done', 'gateway'],
    ]);
  });

  it('capped: after 3 retries the gateway is not asked again; 改为窗口退现金 stays the way out', async () => {
    const stay = w.stays[1]!;
    const quick = createRefundGroup({ config, store: w.store, operators: cashier as never, gatewayRetry: { max: 3, gapMs: 0 } });
    const { order, refundId } = await refusedRefund(stay, 5_000);
    for (let i = 1; i <= 3; i++) {
      expect(await quick.retryAtGateway({ refundId }, CALL)).toMatchObject({ state: 'refunding' });
      await sweep();
      expect((await view(stay)).state).toBe('attention');
    }
    await expect(quick.retryAtGateway({ refundId }, CALL)).rejects.toMatchObject({ code: 'REFUND_STATE', message: '该笔退款已重新发起 3 次，不再向支付平台重试' });
    expect((await trade(order)).refundedFen).toBe(0);
    expect(await quick.toCash({ refundId, reason: '商户账户待核实，患者同意现金退款' }, CALL)).toMatchObject({ state: 'refunding', method: 'cash' });
    await short(false);
  });

  it('a counter refund is not a gateway refund: nothing to ask again', async () => {
    const stay = w.stays[2]!;
    w.store.write((tx) => w.store.money.addDeposit(tx, { iptNo: stay, kind: 'deposit', amountFen: 30_000, method: 'cash', receiptNo: 'XJ-R-1', opterNo: '0002' }));
    w.store.write((tx) => {
      const adm = w.store.admissions.get(stay)!;
      const s = w.store.settlements.open(tx, { iptNo: stay, mdtrtId: adm.mdtrtId, psnNo: adm.psnNo, insutype: adm.insutype, msgid: null });
      requestSettlementRefund(tx, w.store, { iptNo: stay, settlementId: s.id, amountFen: 1_000, receiptNo: `TK-${stay}-${s.id}`, opterNo: '0002' });
    });
    const r = await view(stay);
    expect(r.gatewayRetries).toBeNull();
    await expect(refunds.retryAtGateway({ refundId: r.refundId }, CALL)).rejects.toMatchObject({ code: 'REFUND_STATE' });
    await expect(refunds.retryAtGateway({ refundId: '999999' }, CALL)).rejects.toMatchObject({ code: 'REFUND_NOT_FOUND' });
  });
});

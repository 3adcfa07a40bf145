import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestSettlementRefund } from '../../../services/money/refund-requests.ts';
import { startPaymentWorld, until, type PaymentWorld } from './payment-world.ts';

// The payment service's rules against the payment sandbox over HTTP, on a real SQLite file: the order is on
// disk before the gateway hears of it; the screen's deposit appears only on the gateway's word; a paid order
// whose stay closed meanwhile goes back by the original order; unknown outcomes are resolved by query; the
// day-end matches the store against the gateway's statement per channel and operator.
describe('payment service × payment sandbox', () => {
  let w: PaymentWorld;
  beforeAll(async () => {
    w = await startPaymentWorld({ stays: 6 });
  });
  afterAll(async () => w.stop());
  const code = async (behaviour = 'pay') => (await w.admin<{ authCode: string }>('/admin/payment-codes', { behaviour })).body.authCode;

  it('QR deposit: nothing recorded until the phone pays; then applied once, with the trade number', async () => {
    const o = await w.service.startQr(w.stays[0]!, 120_000, 'deposit');
    expect(o).toMatchObject({ state: 'awaiting-buyer', qrCode: expect.any(String) });
    expect(o.secondsLeft).toBeGreaterThan(290);
    expect(w.store.payments.get(o.outTradeNo)?.state).toBe('awaiting');
    expect(w.store.money.depositTotalFen(w.stays[0]!)).toBe(0);
    await w.admin('/admin/scan', { qrCode: o.qrCode, action: 'pay' });
    const done = await until(async () => {
      const v = await w.service.status(o.outTradeNo);
      return v.state === 'applied' ? v : null;
    });
    expect(done.tradeNo).toMatch(/^\d+/);
    expect(w.store.money.deposits(w.stays[0]!)).toMatchObject([{ kind: 'deposit', method: 'alipay', receiptNo: o.outTradeNo, amountFen: 120_000, opterNo: '0002' }]);
    // Asked again (a poll, a duplicate notification): nothing moves twice.
    await w.service.status(o.outTradeNo);
    expect(w.store.money.deposits(w.stays[0]!)).toHaveLength(1);
  });

  it('a verified notification applies the order; a forged one is refused and changes nothing', async () => {
    const o = await w.service.startQr(w.stays[1]!, 50_000, 'deposit');
    const forged = { app_id: '2021000000000001', notify_id: 'x', out_trade_no: o.outTradeNo, trade_status: 'TRADE_SUCCESS', total_amount: '500.00', sign_type: 'RSA2', sign: 'AAAA' };
    expect(await w.service.notification(forged)).toBe('failure');
    expect(w.store.payments.get(o.outTradeNo)?.state).toBe('awaiting');
    await w.admin('/admin/scan', { qrCode: o.qrCode, action: 'pay' });
    const posted = await until(async () => w.notifications.find((n) => n.out_trade_no === o.outTradeNo));
    expect(await w.service.notification(posted)).toBe('success');
    expect(w.store.payments.get(o.outTradeNo)?.state).toBe('applied');
    // The screens are told at once (not at their next poll): the figure of the payments bench rests on it.
    expect(w.events).toContainEqual({ outTradeNo: o.outTradeNo, state: 'applied' });
  });

  it('paid but the stay was cancelled meanwhile: refunded to the original account by the original order, never lost', async () => {
    const o = await w.service.startQr(w.stays[2]!, 80_000, 'deposit');
    w.store.write((tx) => w.store.admissions.setStatus(tx, w.stays[2]!, 'cancelled'));
    await w.admin('/admin/scan', { qrCode: o.qrCode, action: 'pay' });
    const v = await until(async () => {
      const x = await w.service.status(o.outTradeNo);
      return x.state === 'refunded' ? x : null;
    });
    expect(v.message).toContain('原路退回');
    expect(w.store.money.deposits(w.stays[2]!)).toEqual([]);
    const t = (await w.admin<{ outTradeNo: string; refundedFen: number; charges: number }[]>('/admin/trades')).body.find((x) => x.outTradeNo === o.outTradeNo);
    expect(t).toMatchObject({ charges: 1, refundedFen: 80_000 });
  });

  it('B扫C with the answer lost after the gateway charged: resolved by query to applied, never charged twice', async () => {
    await w.admin('/admin/faults', { method: 'alipay.trade.pay', kind: 'drop-after-commit', count: 1 });
    const v = await w.service.payByCode(w.stays[3]!, 30_000, 'deposit', await code());
    expect(v.state).toBe('applied');
    const t = (await w.admin<{ outTradeNo: string; charges: number }[]>('/admin/trades')).body.find((x) => x.outTradeNo === v.outTradeNo);
    expect(t?.charges).toBe(1);
  });

  it('B扫C whose request never arrived (reset): the number is cancelled at the gateway, the order closed, nothing charged', async () => {
    await w.admin('/admin/faults', { method: 'alipay.trade.pay', kind: 'reset', count: 1 });
    const v = await w.service.payByCode(w.stays[4]!, 30_000, 'deposit', await code());
    const closed = await until(async () => {
      const x = await w.service.status(v.outTradeNo);
      return x.state === 'closed' ? x : null;
    });
    expect(closed.message).toContain('未扣款');
    expect(w.store.money.deposits(w.stays[4]!)).toEqual([]);
  });

  it('an abandoned QR is closed at the gateway; a declined 付款码 says why', async () => {
    const o = await w.service.startQr(w.stays[5]!, 10_000, 'deposit');
    expect((await w.service.cancel(o.outTradeNo)).state).toBe('closed');
    expect((await w.gateway.query(o.outTradeNo)).kind === 'ok').toBe(true);
    const declined = await w.service.payByCode(w.stays[5]!, 10_000, 'deposit', await code('insufficient'));
    expect(declined).toMatchObject({ state: 'closed', message: expect.stringContaining('余额不足') });
  });

  it('多退 at settlement goes back by the original order through the gateway; a resumed write-back queues nothing twice', async () => {
    const stay = w.stays[0]!; // holds the 1,200.00 applied by QR in the first test
    const order = w.store.payments.byVisit(stay).find((o) => o.state === 'applied')!;
    const adm = w.store.admissions.get(stay)!;
    const s = w.store.write((tx) => w.store.settlements.open(tx, { iptNo: stay, mdtrtId: adm.mdtrtId, psnNo: adm.psnNo, insutype: adm.insutype, msgid: null }));
    const ask = () => w.store.write((tx) => requestSettlementRefund(tx, w.store, { iptNo: stay, settlementId: s.id, amountFen: 45_000, receiptNo: `TK-${stay}-${s.id}`, opterNo: '0002' }));
    ask();
    expect(() => ask()).toThrow(/UNIQUE/); // the refund's receipt number: a settlement's 多退 is asked for once
    expect(w.store.payments.refundsOf(order.outTradeNo)).toMatchObject([{ outRequestNo: `${order.outTradeNo}S${s.id}`, amountFen: 45_000, state: 'pending' }]);
    // The answer of the first refund is lost after the gateway made it: asked about, never refunded twice.
    await w.admin('/admin/faults', { method: 'alipay.trade.refund', kind: 'drop-after-commit', count: 1 });
    await until(async () => {
      await w.service.status(order.outTradeNo);
      return w.store.payments.refund(`${order.outTradeNo}S${s.id}`)?.state === 'done';
    });
    const t = (await w.admin<{ outTradeNo: string; refundedFen: number; charges: number }[]>('/admin/trades')).body.find((x) => x.outTradeNo === order.outTradeNo);
    expect(t).toMatchObject({ charges: 1, refundedFen: 45_000 });
  });

  it('day-end: totals per channel and operator match the statement; a payment the store missed is listed', async () => {
    const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const clean = await w.service.group().dayEnd({ date: day }, { transport: 'memory' });
    expect(clean.mismatches).toEqual([]);
    expect(clean.gatewayAgrees).toBe(true);
    expect(clean.channels).toEqual([{ channel: 'alipay', count: 4, paidFen: 120_000 + 50_000 + 80_000 + 30_000, refundedFen: 80_000 + 45_000 }]);
    expect(clean.operators).toEqual([{ opterNo: '0002', count: 4, paidFen: 280_000, refundedFen: 125_000 }]);
    // A local order closed by mistake while the gateway has it paid: the worst mismatch, listed by number.
    const o = await w.service.startQr(w.stays[1]!, 7_700, 'deposit');
    await w.admin('/admin/scan', { qrCode: o.qrCode, action: 'pay' });
    w.store.write((tx) => w.store.payments.move(tx, o.outTradeNo, ['awaiting'], 'closed', { note: 'test' }));
    const bad = await w.service.group().dayEnd({ date: day }, { transport: 'memory' });
    expect(bad.gatewayAgrees).toBe(false);
    expect(bad.mismatches).toEqual([{ kind: 'missing-locally', outTradeNo: o.outTradeNo, detail: expect.stringContaining('7700') }]);
  });
});

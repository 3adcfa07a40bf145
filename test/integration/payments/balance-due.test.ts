import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TerminalConfig } from '../../../services/config/schema.ts';
import { createLogger } from '../../../services/logging/logger.ts';
import { balanceDueOf } from '../../../services/payments/balance-due.ts';
import { PaymentService } from '../../../services/payments/payment-service.ts';
import { startPaymentWorld, until, type PaymentWorld } from './payment-world.ts';
import { settleWithBalanceDue } from './settled-stay.ts';

// 少补 (the balance a settlement leaves due) against the payment sandbox over HTTP, on a real SQLite file:
// nothing counts as collected until it is (cash or POS confirmed by the cashier, or the gateway's word);
// the whole outstanding amount once, never twice; an abandoned or expired QR is closed at the gateway and
// the balance stays due; a payment that arrives for a balance no longer due goes back by the original order.
describe('balance due (少补) × payment sandbox', () => {
  let w: PaymentWorld;
  beforeAll(async () => {
    w = await startPaymentWorld({ stays: 9 });
  });
  afterAll(async () => w.stop());
  const code = async (behaviour = 'pay') => (await w.admin<{ authCode: string }>('/admin/payment-codes', { behaviour })).body.authCode;
  const trade = async (outTradeNo: string) => (await w.admin<{ outTradeNo: string; refundedFen: number; charges: number; status: string }[]>('/admin/trades')).body.find((x) => x.outTradeNo === outTradeNo);
  const api = () => w.service.group();
  const CALL = { transport: 'memory' } as const;

  it('cash at the counter: nothing collected by the settlement; the cashier takes it, the change is recorded, once', async () => {
    const stay = w.stays[0]!;
    const sid = settleWithBalanceDue(w.store, stay, 63_380);
    expect(await api().balanceDue({ admissionId: stay }, CALL)).toMatchObject({ settlementId: String(sid), dueFen: 63_380, paidFen: 0, outstandingFen: 63_380, payments: [], open: null });
    expect(w.store.money.deposits(stay)).toEqual([]);
    // Not enough handed over; an amount that is not the balance: refused, nothing written.
    expect(() => w.service.collectBalance({ admissionId: stay, channel: 'cash', amountFen: 63_380, tenderedFen: 60_000 })).toThrow(/实收金额不足/);
    expect(() => w.service.collectBalance({ admissionId: stay, channel: 'cash', amountFen: 60_000, tenderedFen: 60_000 })).toThrow(/633.80/);
    const r = w.service.collectBalance({ admissionId: stay, channel: 'cash', amountFen: 63_380, tenderedFen: 70_000 });
    expect(r.order).toMatchObject({ outTradeNo: `BJ-${stay}-${sid}`, channel: 'cash', scene: 'counter', purpose: 'balance-due', state: 'applied', amountFen: 63_380, tenderedFen: 70_000 });
    expect(r.balance).toMatchObject({ paidFen: 63_380, outstandingFen: 0 });
    expect(w.store.payments.get(r.order.outTradeNo)).toMatchObject({ settlementId: sid, opterNo: '0002' });
    expect(w.store.money.deposits(stay)).toMatchObject([{ kind: 'balance-due', method: 'cash', amountFen: 63_380, receiptNo: r.order.outTradeNo, opterNo: '0002' }]);
    // A second collection of the same balance (another cashier, a double Enter) is refused.
    expect(() => w.service.collectBalance({ admissionId: stay, channel: 'cash', amountFen: 63_380, tenderedFen: 70_000 })).toThrow(/已缴清/);
    expect(w.events).toContainEqual({ outTradeNo: r.order.outTradeNo, state: 'applied' });
  });

  it('bank-card POS: its reference number is the order\'s transaction number', async () => {
    const stay = w.stays[1]!;
    settleWithBalanceDue(w.store, stay, 12_345);
    const r = w.service.collectBalance({ admissionId: stay, channel: 'bank-card', amountFen: 12_345, posReference: '202612070001' });
    expect(r.order).toMatchObject({ channel: 'bank-card', tradeNo: '202612070001', tenderedFen: null, state: 'applied' });
    expect(w.store.money.deposits(stay)).toMatchObject([{ kind: 'balance-due', method: 'bank-card', amountFen: 12_345 }]);
  });

  it('QR through the gateway: the whole balance only, one open order at a time, no cash meanwhile; applied on the gateway\'s word', async () => {
    const stay = w.stays[2]!;
    const sid = settleWithBalanceDue(w.store, stay, 45_000);
    await expect(w.service.startQr(stay, 40_000, 'balance-due')).rejects.toMatchObject({ code: 'PAYMENT_STATE', message: expect.stringContaining('450.00') });
    const o = await w.service.startQr(stay, 45_000, 'balance-due');
    expect(o).toMatchObject({ state: 'awaiting-buyer', purpose: 'balance-due', qrCode: expect.any(String) });
    expect(w.store.payments.get(o.outTradeNo)?.settlementId).toBe(sid);
    await expect(w.service.startQr(stay, 45_000, 'balance-due')).rejects.toMatchObject({ code: 'PAYMENT_STATE' });
    expect(() => w.service.collectBalance({ admissionId: stay, channel: 'cash', amountFen: 45_000, tenderedFen: 50_000 })).toThrow(/正在支付或确认中/);
    expect(balanceDueOf(w.store, stay)).toMatchObject({ outstandingFen: 45_000 });
    await w.admin('/admin/scan', { qrCode: o.qrCode, action: 'pay' });
    const done = await until(async () => {
      const v = await w.service.status(o.outTradeNo);
      return v.state === 'applied' ? v : null;
    });
    expect(done.tradeNo).toMatch(/^\d+/);
    expect(await api().balanceDue({ admissionId: stay }, CALL)).toMatchObject({ paidFen: 45_000, outstandingFen: 0, open: null, payments: [{ outTradeNo: o.outTradeNo, channel: 'alipay' }] });
    expect(w.store.money.deposits(stay)).toMatchObject([{ kind: 'balance-due', method: 'alipay', receiptNo: o.outTradeNo, amountFen: 45_000 }]);
    expect((await trade(o.outTradeNo))?.charges).toBe(1);
  });

  it('a declined 付款码 closes the order and the balance stays due; the patient who gives up a QR has it closed at the gateway', async () => {
    const stay = w.stays[3]!;
    settleWithBalanceDue(w.store, stay, 8_800);
    const declined = await w.service.payByCode(stay, 8_800, 'balance-due', await code('insufficient'));
    expect(declined).toMatchObject({ state: 'closed', message: expect.stringContaining('余额不足') });
    const o = await w.service.startQr(stay, 8_800, 'balance-due');
    const cancelled = await w.service.cancel(o.outTradeNo);
    expect(cancelled.state).toBe('closed');
    expect((await trade(o.outTradeNo))?.status).toBe('TRADE_CLOSED');
    // The phone scanning the closed QR later cannot pay it.
    expect((await w.admin('/admin/scan', { qrCode: o.qrCode, action: 'pay' })).status).not.toBe(200);
    expect(balanceDueOf(w.store, stay)).toMatchObject({ outstandingFen: 8_800, open: null });
    // …and the counter collects it.
    expect(w.service.collectBalance({ admissionId: stay, channel: 'cash', amountFen: 8_800, tenderedFen: 10_000 }).balance.outstandingFen).toBe(0);
  });

  it('a QR nobody paid is closed at the gateway once it expired (the background step, the terminal\'s clock 6 minutes on)', async () => {
    const stay = w.stays[4]!;
    settleWithBalanceDue(w.store, stay, 5_000);
    const o = await w.service.startQr(stay, 5_000, 'balance-due');
    const later = new PaymentService(
      { config: TerminalConfig.parse({ mode: 'discharge', demo: false }), clock: { now: () => new Date(Date.now() + 6 * 60_000) }, log: createLogger({ level: 'error' }), store: w.store, operators: { requireStaff: () => ({ opterNo: '0002', name: '王收费' }) } as never },
      w.gateway,
    );
    const after = await later.resolver!.step(o.outTradeNo);
    expect(after).toMatchObject({ state: 'closed', note: expect.stringContaining('超时') });
    expect((await trade(o.outTradeNo))?.status).toBe('TRADE_CLOSED');
    expect(balanceDueOf(w.store, stay)).toMatchObject({ outstandingFen: 5_000, open: null });
  });

  it('付款码 with the answer lost after the gateway charged: resolved by query, applied once, charged once', async () => {
    const stay = w.stays[5]!;
    settleWithBalanceDue(w.store, stay, 20_000);
    await w.admin('/admin/faults', { method: 'alipay.trade.pay', kind: 'drop-after-commit', count: 1 });
    const v = await w.service.payByCode(stay, 20_000, 'balance-due', await code());
    expect(v.state).toBe('applied');
    expect((await trade(v.outTradeNo))?.charges).toBe(1);
    expect(w.store.money.deposits(stay).filter((d) => d.kind === 'balance-due')).toHaveLength(1);
    expect(balanceDueOf(w.store, stay)?.outstandingFen).toBe(0);
  });

  it('paid after the settlement was reversed: not counted toward anything, refunded by the original order', async () => {
    const stay = w.stays[6]!;
    const sid = settleWithBalanceDue(w.store, stay, 30_000);
    const o = await w.service.startQr(stay, 30_000, 'balance-due');
    w.store.write((tx) => {
      w.store.settlements.markReversed(tx, sid, '测试：结算撤销');
      w.store.admissions.setStatus(tx, stay, 'discharged');
    });
    await w.admin('/admin/scan', { qrCode: o.qrCode, action: 'pay' });
    const v = await until(async () => {
      const x = await w.service.status(o.outTradeNo);
      return x.state === 'refunded' ? x : null;
    });
    expect(v.message).toContain('原路退回');
    expect(w.store.money.deposits(stay)).toEqual([]);
    expect(await trade(o.outTradeNo)).toMatchObject({ charges: 1, refundedFen: 30_000 });
  });

  it('day-end: balance-due payments counted per channel and operator; cash and POS are not looked for on the gateway statement', async () => {
    const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const r = await api().dayEnd({ date: day }, CALL);
    expect(r.mismatches).toEqual([]);
    expect(r.gatewayAgrees).toBe(true);
    const ch = Object.fromEntries(r.channels.map((c) => [c.channel, c]));
    expect(ch.cash).toMatchObject({ count: 2, paidFen: 63_380 + 8_800 });
    expect(ch['bank-card']).toMatchObject({ count: 1, paidFen: 12_345 });
    expect(ch.alipay).toMatchObject({ paidFen: 45_000 + 20_000 + 30_000, refundedFen: 30_000 });
    // The data the per-operator day-end reads: every 少补 is a payment_orders row with purpose balance-due.
    const rows = w.store.db.prepare("SELECT channel, count(*) AS n FROM payment_orders WHERE purpose = 'balance-due' AND state = 'applied' GROUP BY channel ORDER BY channel").all();
    expect(rows).toEqual([
      { channel: 'alipay', n: 2 },
      { channel: 'bank-card', n: 1 },
      { channel: 'cash', n: 2 },
    ]);
  });
});

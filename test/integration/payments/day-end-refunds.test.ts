import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDay } from '../../../base/china-time.ts';
import { TerminalConfig } from '../../../services/config/schema.ts';
import { recordCounterMovement } from '../../../services/discharge/counter.ts';
import { createLogger } from '../../../services/logging/logger.ts';
import { dayEndReport } from '../../../services/reconciliation/day-end-report.ts';
import { settleWithBalanceDue } from './settled-stay.ts';
import { startPaymentWorld, until, type PaymentWorld } from './payment-world.ts';

/**
 * The cashier's day-end and a 多退 to 支付宝 (services/reconciliation/day-end-facts.ts against real rows): the
 * settlement's refund is recorded with the settlement, but it is money paid only when the payment gateway
 * confirmed the refund by the original order. Until then the day-end lists it as 退款中 and counts nothing.
 */
describe('cashier day-end × gateway refunds', () => {
  let w: PaymentWorld;
  beforeAll(async () => {
    w = await startPaymentWorld({ stays: 1 });
  });
  afterAll(async () => w?.stop());

  it('a 多退 to 支付宝 is 退款中 until the gateway confirms it, then 已退 under 支付宝 (never in cash)', async () => {
    const stay = w.stays[0]!;
    const deps = { store: w.store, config: TerminalConfig.parse({ mode: 'discharge', demo: false }), clock: { now: () => new Date() }, log: createLogger({ level: 'error' }) };
    const today = chinaDay(new Date());
    // 1,200.00 by QR, paid on the simulated phone.
    const o = await w.service.startQr(stay, 120_000, 'deposit');
    await w.admin('/admin/scan', { qrCode: o.qrCode, action: 'pay' });
    await until(async () => (await w.service.status(o.outTradeNo)).state === 'applied');
    // Settled with 450.00 to refund: the write-back records it and queues the gateway refund (not sent yet).
    const settlementId = settleWithBalanceDue(w.store, stay, -45_000);
    w.store.write((tx) => recordCounterMovement(tx, w.store, w.store.settlements.get(settlementId)!, '0002'));

    const before = await dayEndReport(deps, { from: today });
    const alipay = () => before.total.channels.find((c) => c.channel === 'alipay');
    expect(alipay()).toMatchObject({ depositCount: 1, depositFen: 120_000, refundCount: 0, refundFen: 0 });
    expect(before.refundsInFlight).toEqual([expect.objectContaining({ iptNo: stay, channel: 'alipay', amountFen: 45_000, state: 'refunding', opterNo: '0002' })]);
    expect(before.total.refundsInFlight).toEqual({ count: 1, fen: 45_000 });
    expect(before.total.cash).toEqual({ inFen: 0, outFen: 0, handInFen: 0 });

    // The resolver sends it; the gateway confirms.
    await until(async () => {
      await w.service.status(o.outTradeNo);
      return w.store.payments.refund(`${o.outTradeNo}S${settlementId}`)?.state === 'done';
    });
    const after = await dayEndReport(deps, { from: today });
    expect(after.total.channels.find((c) => c.channel === 'alipay')).toMatchObject({ refundCount: 1, refundFen: 45_000, netFen: 75_000 });
    expect(after.refundsInFlight).toEqual([]);
    expect(after.total.cash).toEqual({ inFen: 0, outFen: 0, handInFen: 0 });
  });
});

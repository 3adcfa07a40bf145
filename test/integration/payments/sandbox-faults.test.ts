import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { order, startGatewayWorld, until, type GatewayWorld } from './gateway-world.ts';

// Every fault mode of the payment sandbox, seen from the client: which leave the outcome unknown, and what
// a query then finds (the order never arrived, or it did and was charged once).
describe('payment sandbox fault modes', () => {
  let w: GatewayWorld;
  beforeAll(async () => {
    w = await startGatewayWorld({ timeoutMs: 800 });
  });
  afterEach(async () => {
    await w.admin('/admin/faults', undefined, 'DELETE');
  });
  afterAll(async () => w.close());
  const code = async () => (await w.admin<{ authCode: string }>('/admin/payment-codes', { behaviour: 'pay' })).body.authCode;
  const fault = (spec: object) => w.admin('/admin/faults', spec);

  it('latency: the answer is late but right', async () => {
    await fault({ method: 'alipay.trade.query', kind: 'latency', ms: 150 });
    const t0 = Date.now();
    expect(await w.gateway.query('NONE')).toMatchObject({ kind: 'refused', subCode: 'ACQ.TRADE_NOT_EXIST' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('http5xx: unknown to the client, and nothing happened', async () => {
    await fault({ method: 'alipay.trade.pay', kind: 'http5xx', count: 1 });
    expect(await w.gateway.pay({ ...order('F5XX'), authCode: await code() })).toEqual({ kind: 'unknown', reason: 'HTTP 502' });
    expect(await w.gateway.query('F5XX')).toMatchObject({ kind: 'refused', subCode: 'ACQ.TRADE_NOT_EXIST' });
  });

  it('timeout: unknown after the client timeout, and nothing happened', async () => {
    await fault({ method: 'alipay.trade.pay', kind: 'timeout', ms: 2_000, count: 1 });
    expect(await w.gateway.pay({ ...order('FTMO'), authCode: await code() })).toEqual({ kind: 'unknown', reason: 'timeout' });
    expect(await w.gateway.query('FTMO')).toMatchObject({ kind: 'refused', subCode: 'ACQ.TRADE_NOT_EXIST' });
  });

  it('reset: unknown, and nothing happened', async () => {
    await fault({ method: 'alipay.trade.pay', kind: 'reset', count: 1 });
    const r = await w.gateway.pay({ ...order('FRST'), authCode: await code() });
    expect(r.kind).toBe('unknown');
    expect(await w.gateway.query('FRST')).toMatchObject({ kind: 'refused', subCode: 'ACQ.TRADE_NOT_EXIST' });
  });

  it('drop after commit: unknown to the client, but the query finds it paid, charged once', async () => {
    await fault({ method: 'alipay.trade.pay', kind: 'drop-after-commit', count: 1 });
    expect((await w.gateway.pay({ ...order('FDAC'), authCode: await code() })).kind).toBe('unknown');
    expect(await w.gateway.query('FDAC')).toMatchObject({ kind: 'ok', value: { status: 'TRADE_SUCCESS' } });
    const t = (await w.admin<{ outTradeNo: string; charges: number }[]>('/admin/trades')).body.find((x) => x.outTradeNo === 'FDAC');
    expect(t?.charges).toBe(1);
  });

  it('duplicate notification: the same payment is notified twice, both verify, both name one order', async () => {
    await fault({ method: 'alipay.trade.precreate', kind: 'duplicate-notification', count: 1 });
    const pre = await w.gateway.precreate(order('FDUP'));
    const qrCode = pre.kind === 'ok' ? pre.value.qrCode : '';
    await w.admin('/admin/scan', { qrCode, action: 'pay' });
    const two = await until(() => {
      const n = w.notifications.filter((x) => x.out_trade_no === 'FDUP');
      return n.length === 2 ? n : null;
    });
    expect(two.map((n) => w.gateway.verifyNotification(n)?.outTradeNo)).toEqual(['FDUP', 'FDUP']);
  });

  it('bad fault specs are refused with a reason', async () => {
    expect((await fault({ method: 'alipay.trade.pay', kind: 'melt' })).status).toBe(400);
    expect((await fault({ method: 'x', kind: 'reset' })).status).toBe(400);
  });
});

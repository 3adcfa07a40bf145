import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlipayGateway } from '../../../payments/client/alipay-gateway.ts';
import { APP_ID, order, rsaPair, startGatewayWorld, until, type GatewayWorld } from './gateway-world.ts';

// The Alipay client against the payment sandbox over real HTTP on loopback: every method of the wire, both
// QR directions, idempotent refunds, the statement, and notifications verified with the sandbox's key.
describe('Alipay client × payment sandbox', () => {
  let w: GatewayWorld;
  beforeAll(async () => {
    w = await startGatewayWorld();
  });
  afterAll(async () => w.close());

  it('C扫B: precreate gives a QR; the phone pays; query and a verified notification say TRADE_SUCCESS', async () => {
    const pre = await w.gateway.precreate(order('QR0001'));
    expect(pre.kind).toBe('ok');
    const qrCode = pre.kind === 'ok' ? pre.value.qrCode : '';
    expect(await w.gateway.query('QR0001')).toMatchObject({ kind: 'ok', value: { status: 'WAIT_BUYER_PAY', totalFen: 300_000 } });
    // The same order asked again gives the same QR (a resumed terminal must not make a second order).
    expect(await w.gateway.precreate(order('QR0001'))).toEqual({ kind: 'ok', value: { qrCode } });
    expect((await w.admin('/admin/scan', { qrCode, action: 'pay' })).status).toBe(200);
    expect(await w.gateway.query('QR0001')).toMatchObject({ kind: 'ok', value: { status: 'TRADE_SUCCESS', tradeNo: expect.any(String) } });
    const posted = await until(() => w.notifications.find((n) => n.out_trade_no === 'QR0001'));
    expect(w.gateway.verifyNotification(posted)).toMatchObject({ outTradeNo: 'QR0001', status: 'TRADE_SUCCESS', totalFen: 300_000 });
    // Paid orders refuse a second precreate.
    expect(await w.gateway.precreate(order('QR0001'))).toMatchObject({ kind: 'refused', subCode: 'ACQ.TRADE_HAS_SUCCESS' });
  });

  it('B扫C: a 付款码 pays at once; one that needs the password waits (10003) until confirmed; a declined one is refused', async () => {
    const code = (behaviour: string) => w.admin<{ authCode: string }>('/admin/payment-codes', { behaviour }).then((r) => r.body.authCode);
    expect(await w.gateway.pay({ ...order('BC0001', 12_345), authCode: await code('pay') })).toMatchObject({ kind: 'ok', value: { status: 'TRADE_SUCCESS', totalFen: 12_345 } });
    expect(await w.gateway.pay({ ...order('BC0002'), authCode: await code('confirm') })).toMatchObject({ kind: 'ok', value: { status: 'WAIT_BUYER_PAY' } });
    await w.admin('/admin/scan', { outTradeNo: 'BC0002', action: 'pay' });
    expect(await w.gateway.query('BC0002')).toMatchObject({ kind: 'ok', value: { status: 'TRADE_SUCCESS' } });
    expect(await w.gateway.pay({ ...order('BC0003'), authCode: await code('insufficient') })).toMatchObject({ kind: 'refused', subCode: 'ACQ.BUYER_BALANCE_NOT_ENOUGH' });
    expect(await w.gateway.pay({ ...order('BC0004'), authCode: '280000000000000000' })).toMatchObject({ kind: 'refused', subCode: 'ACQ.PAYMENT_AUTH_CODE_INVALID' });
  });

  it('refund by the original order is idempotent by out_request_no; refund query confirms it', async () => {
    const code = (await w.admin<{ authCode: string }>('/admin/payment-codes', { behaviour: 'pay' })).body.authCode;
    await w.gateway.pay({ ...order('RF0001', 50_000), authCode: code });
    const r = { outTradeNo: 'RF0001', outRequestNo: 'RF0001-R1', refundFen: 20_000, reason: '出院多退' };
    expect(await w.gateway.refund(r)).toEqual({ kind: 'ok', value: { refundedTotalFen: 20_000 } });
    expect(await w.gateway.refund(r)).toEqual({ kind: 'ok', value: { refundedTotalFen: 20_000 } });
    expect(await w.gateway.refundQuery(r)).toEqual({ kind: 'ok', value: { refundedFen: 20_000 } });
    expect(await w.gateway.refundQuery({ outTradeNo: 'RF0001', outRequestNo: 'nope' })).toEqual({ kind: 'ok', value: { refundedFen: null } });
    expect(await w.gateway.refund({ ...r, outRequestNo: 'RF0001-R2', refundFen: 40_000 })).toMatchObject({ kind: 'refused', subCode: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL' });
    const trade = (await w.admin<{ outTradeNo: string; refundedFen: number; charges: number }[]>('/admin/trades')).body.find((t) => t.outTradeNo === 'RF0001');
    expect(trade).toMatchObject({ refundedFen: 20_000, charges: 1 });
  });

  it('cancel of an order that never arrived closes the number: a late pay with it cannot charge', async () => {
    expect(await w.gateway.cancel('LOST0001')).toEqual({ kind: 'ok', value: { action: 'close' } });
    const code = (await w.admin<{ authCode: string }>('/admin/payment-codes', { behaviour: 'pay' })).body.authCode;
    expect(await w.gateway.pay({ ...order('LOST0001'), authCode: code })).toMatchObject({ kind: 'refused', subCode: 'ACQ.TRADE_HAS_CLOSE' });
    // close of an abandoned QR order
    await w.gateway.precreate(order('AB0001'));
    expect(await w.gateway.close('AB0001')).toEqual({ kind: 'ok', value: null });
    expect(await w.gateway.query('AB0001')).toMatchObject({ kind: 'ok', value: { status: 'TRADE_CLOSED' } });
  });

  it("the statement lists the day's payments and refunds with operator and terminal", async () => {
    const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const s = await w.gateway.statement(day);
    expect(s.kind).toBe('ok');
    const lines = s.kind === 'ok' ? s.value : [];
    expect(lines.filter((l) => l.kind === 'payment').map((l) => l.outTradeNo).sort()).toEqual(['BC0001', 'BC0002', 'QR0001', 'RF0001']);
    expect(lines.find((l) => l.kind === 'refund')).toMatchObject({ outTradeNo: 'RF0001', outRequestNo: 'RF0001-R1', amountFen: 20_000, operatorId: 'ZZJ01', terminalId: 'KIOSK01' });
  });

  it('a request signed with a key the gateway does not know is refused (isv.invalid-signature), nothing done', async () => {
    const stranger = new AlipayGateway({ gatewayUrl: w.sandbox.gatewayUrl, appId: APP_ID, appPrivateKey: rsaPair().privateKey, alipayPublicKey: w.sandbox.alipayPublicKey, notifyUrl: null, timeoutMs: 3_000 });
    expect(await stranger.precreate(order('SIG0001'))).toMatchObject({ kind: 'refused', code: '40002', subCode: 'isv.invalid-signature' });
    expect(await w.gateway.query('SIG0001')).toMatchObject({ kind: 'refused', subCode: 'ACQ.TRADE_NOT_EXIST' });
  });
});

import { describe, expect, it } from 'vitest';
import type { PaymentGateway } from '../../../../payments/client/gateway.ts';
import { meteredGateway } from '../../../../services/metrics/metered-gateway.ts';

describe('metered payment gateway', () => {
  it('records each call by operation and result, and passes results and errors through unchanged', async () => {
    const fake = {
      channel: 'alipay',
      precreate: async () => ({ kind: 'ok', value: { qrCode: 'https://qr' } }),
      pay: async () => ({ kind: 'refused', code: '40004', subCode: 'ACQ.PAYMENT_AUTH_CODE_INVALID', message: 'x' }),
      query: async () => ({ kind: 'unknown', reason: 'timeout' }),
      cancel: async () => {
        throw new Error('socket hang up');
      },
      verifyNotification: () => null,
    } as unknown as PaymentGateway;
    const seen: Array<[string, string]> = [];
    const g = meteredGateway(fake, (op, result, seconds) => {
      expect(seconds).toBeGreaterThanOrEqual(0);
      seen.push([op, result]);
    });
    expect(await g.precreate({ outTradeNo: 'O1', totalFen: 100, subject: 's', operatorId: 'o', terminalId: 't', timeoutExpress: '5m' })).toEqual({ kind: 'ok', value: { qrCode: 'https://qr' } });
    expect((await g.pay({ outTradeNo: 'O1', totalFen: 100, subject: 's', operatorId: 'o', terminalId: 't', timeoutExpress: '5m', authCode: '28' })).kind).toBe('refused');
    expect((await g.query('O1')).kind).toBe('unknown');
    await expect(g.cancel('O1')).rejects.toThrow('socket hang up');
    expect(g.verifyNotification({})).toBeNull();
    expect(g.channel).toBe('alipay');
    expect(seen).toEqual([
      ['precreate', 'ok'],
      ['pay', 'refused'],
      ['query', 'unknown'],
      ['cancel', 'error'],
    ]);
  });
});

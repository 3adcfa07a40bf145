import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AlipayGateway } from '../../../payments/client/alipay-gateway.ts';
import { fenToYuan, yuanToFen } from '../../../payments/client/money.ts';
import { memberText } from '../../../payments/client/response-text.ts';
import { signContent, signRsa2 } from '../../../payments/client/signing.ts';

const pair = () => generateKeyPairSync('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const alipay = pair();
const forger = pair();
const app = pair();
const gateway = new AlipayGateway({ gatewayUrl: 'http://127.0.0.1:1/gateway.do', appId: '2021000000000001', appPrivateKey: app.privateKey, alipayPublicKey: alipay.publicKey, notifyUrl: null, timeoutMs: 1000 });

function reply(method: string, body: object, key = alipay.privateKey): string {
  const text = JSON.stringify(body);
  return `{"${method.replaceAll('.', '_')}_response":${text},"sign":"${signRsa2(text, key)}"}`;
}

describe('RSA2 sign content', () => {
  it('sorts keys, drops sign and empty values, joins k=v with &', () => {
    expect(signContent({ method: 'alipay.trade.query', app_id: '1', sign: 'x', notify_url: '', biz_content: '{"a":1}' })).toBe('app_id=1&biz_content={"a":1}&method=alipay.trade.query');
    expect(signContent({ sign_type: 'RSA2', b: '2', sign: 'x' }, ['sign', 'sign_type'])).toBe('b=2');
  });
});

describe('reply verification', () => {
  const ok = { code: '10000', msg: 'Success', out_trade_no: 'A1', trade_no: 'T1', trade_status: 'TRADE_SUCCESS', total_amount: '3000.00' };

  it('accepts a reply signed by Alipay over the exact *_response text', () => {
    expect(gateway.readReply(reply('alipay.trade.query', ok), 'alipay.trade.query')).toMatchObject({ kind: 'ok', value: { trade_status: 'TRADE_SUCCESS' } });
  });

  it('refuses a tampered reply (an amount changed after signing) as an unknown outcome, never ok', () => {
    const tampered = reply('alipay.trade.query', ok).replace('"3000.00"', '"3.00"');
    expect(gateway.readReply(tampered, 'alipay.trade.query')).toEqual({ kind: 'unknown', reason: 'reply signature does not verify' });
  });

  it('refuses a reply signed by another key, and one without a sign', () => {
    expect(gateway.readReply(reply('alipay.trade.query', ok, forger.privateKey), 'alipay.trade.query').kind).toBe('unknown');
    expect(gateway.readReply(`{"alipay_trade_query_response":${JSON.stringify(ok)}}`, 'alipay.trade.query').kind).toBe('unknown');
  });

  it('verifies over the raw text: different spacing or key order than JSON.stringify still verifies', () => {
    const text = '{ "code":"10000", "msg":"Success","total_amount":"1.00","trade_status":"TRADE_SUCCESS","out_trade_no":"A1" }';
    const raw = `{"alipay_trade_query_response":${text},\n "sign":"${signRsa2(text, alipay.privateKey)}"}`;
    expect(gateway.readReply(raw, 'alipay.trade.query').kind).toBe('ok');
  });

  it('maps codes: 40004 refused with sub_code; 20000 and ACQ.SYSTEM_ERROR unknown', () => {
    expect(gateway.readReply(reply('alipay.trade.query', { code: '40004', msg: 'Business Failed', sub_code: 'ACQ.TRADE_NOT_EXIST', sub_msg: '交易不存在' }), 'alipay.trade.query')).toEqual({ kind: 'refused', code: '40004', subCode: 'ACQ.TRADE_NOT_EXIST', message: '交易不存在' });
    expect(gateway.readReply(reply('alipay.trade.pay', { code: '20000', msg: 'Service Currently Unavailable' }), 'alipay.trade.pay').kind).toBe('unknown');
    expect(gateway.readReply(reply('alipay.trade.pay', { code: '40004', msg: 'x', sub_code: 'ACQ.SYSTEM_ERROR' }), 'alipay.trade.pay').kind).toBe('unknown');
  });

  it('never throws on hostile reply text', () => {
    fc.assert(fc.property(fc.string(), (s) => ['ok', 'unknown', 'refused'].includes(gateway.readReply(s, 'alipay.trade.query').kind)));
  });

  it('memberText cuts the value out with nested objects and strings holding braces and "sign"', () => {
    expect(memberText('{"a_response":{"x":"}\\"sign\\"{","y":[1,{"z":2}]},"sign":"s"}', 'a_response')).toBe('{"x":"}\\"sign\\"{","y":[1,{"z":2}]}');
    expect(memberText('{"sign":"s"}', 'a_response')).toBeNull();
  });
});

describe('notification verification', () => {
  const notice = (key: string) => {
    const p: Record<string, string> = { app_id: '2021000000000001', notify_id: 'n1', notify_type: 'trade_status_sync', out_trade_no: 'A1', trade_no: 'T1', trade_status: 'TRADE_SUCCESS', total_amount: '3000.00', charset: 'utf-8', version: '1.0', sign_type: 'RSA2' };
    p.sign = signRsa2(signContent(p, ['sign', 'sign_type']), key);
    return p;
  };
  it('accepts a notification signed by Alipay (sign and sign_type excluded from the content)', () => {
    expect(gateway.verifyNotification(notice(alipay.privateKey))).toEqual({ outTradeNo: 'A1', tradeNo: 'T1', status: 'TRADE_SUCCESS', totalFen: 300_000, notifyId: 'n1' });
  });
  it('refuses a forged notification (signed by another key), a tampered one, and one for another app', () => {
    expect(gateway.verifyNotification(notice(forger.privateKey))).toBeNull();
    expect(gateway.verifyNotification({ ...notice(alipay.privateKey), total_amount: '0.01' })).toBeNull();
    expect(gateway.verifyNotification({ ...notice(alipay.privateKey), app_id: '2021999999999999' })).toBeNull();
    const { sign: _sign, ...unsigned } = notice(alipay.privateKey);
    expect(gateway.verifyNotification(unsigned)).toBeNull();
  });
});

describe('yuan ↔ fen', () => {
  it('round-trips every fen amount', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (fen) => yuanToFen(fenToYuan(fen)) === fen));
    expect(yuanToFen('88.8')).toBe(8880);
    expect(yuanToFen('1.001')).toBeNull();
    expect(yuanToFen('-1.00')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { KioskError } from '../../../../contract/errors.ts';
import {
  FeeUploadIncompleteError,
  PlatformBadResponseError,
  PlatformConnectionLostError,
  PlatformHttpStatusError,
  PlatformRefusedError,
  PlatformRequestError,
  PlatformTimeoutError,
  PlatformUnreachableError,
  ReversalPendingError,
  toKioskError,
} from '../../../../insurance/client/index.ts';

const ctx = (infno: string) => ({ infno, msgid: 'H32020000001202603020900000001' });

describe('toKioskError', () => {
  it('unreachable is PLATFORM_OFFLINE', () => {
    expect(toKioskError(new PlatformUnreachableError(ctx('2401'), 'ECONNREFUSED'))).toMatchObject({ code: 'PLATFORM_OFFLINE', message: '无法连接医保平台，入院办理未能发送' });
  });

  it('a 4xx from the gateway is PLATFORM_OFFLINE with a configuration hint', () => {
    expect(toKioskError(new PlatformHttpStatusError(ctx('1101'), 403))).toMatchObject({ code: 'PLATFORM_OFFLINE', message: '医保接口拒绝了请求（HTTP 403），人员信息获取未办理' });
  });

  it('an unknown outcome says what happened to the reversal', () => {
    const reversed = new PlatformTimeoutError(ctx('2304'), 30_000);
    reversed.reversal = 'reversed';
    expect(toKioskError(reversed)).toMatchObject({ code: 'PLATFORM_OUTCOME_UNKNOWN', message: '医保平台未及时响应，住院结算结果不明，系统已自动冲正（撤销）该笔交易' });
    const pending = new PlatformHttpStatusError(ctx('2305'), 504);
    pending.reversal = 'pending';
    expect(toKioskError(pending).message).toBe('医保平台未及时响应，住院结算撤销结果不明，系统将自动冲正（撤销）该笔交易');
    expect(toKioskError(new PlatformConnectionLostError(ctx('2402'), 'ECONNRESET')).guidance).toEqual(['请稍后重试，系统会按原报文重发，不会重复办理']);
  });

  it('an unknown outcome of a query is just "no answer"', () => {
    expect(toKioskError(new PlatformBadResponseError(ctx('1101'), 'x'))).toMatchObject({ code: 'PLATFORM_OFFLINE', message: '医保平台暂时无响应，人员信息获取未完成' });
  });

  it('a refusal carries the platform message', () => {
    expect(toKioskError(new PlatformRefusedError(ctx('2401'), -1, '参保人在其他定点医疗机构有未出院的住院登记'))).toMatchObject({
      code: 'PLATFORM_REFUSED',
      message: '医保平台未受理入院办理：参保人在其他定点医疗机构有未出院的住院登记',
    });
    expect(toKioskError(new PlatformRefusedError(ctx('2401'), -1, '')).message).toBe('医保平台未受理入院办理：平台未说明原因');
  });

  it('a pending reversal blocks with guidance', () => {
    const e = new ReversalPendingError(ctx('2303'), 'P1#mdtrt:M1', [{ omsgid: 'x', oinfno: '2304', lastOutcome: 'failed', lastError: 'timeout' }]);
    expect(toKioskError(e)).toMatchObject({ code: 'PLATFORM_OUTCOME_UNKNOWN', message: '该患者上一笔医保交易结果未明，正在自动冲正，冲正完成前不能继续办理' });
  });

  it('a broken request is INTERNAL; an incomplete upload says how far it got', () => {
    expect(toKioskError(new PlatformRequestError(ctx('2304'), 'x'))).toMatchObject({ code: 'INTERNAL' });
    const e = new FeeUploadIncompleteError(new PlatformUnreachableError(ctx('2301'), 'ECONNREFUSED'), [1, 2], 5);
    expect(toKioskError(e)).toMatchObject({ code: 'PLATFORM_OFFLINE', message: '费用明细上传未完成（已上传2/5条）：无法连接医保平台，住院费用明细上传未能发送' });
  });

  it('passes KioskErrors through and hides anything else', () => {
    const k = new KioskError('CARD_ABSENT', '请插卡');
    expect(toKioskError(k)).toBe(k);
    expect(toKioskError(new Error('secret detail'))).toMatchObject({ code: 'INTERNAL', message: '系统内部错误' });
  });
});

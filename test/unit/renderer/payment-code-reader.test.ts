import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isValidIdNumber } from '../../../renderer/app/cert-no.ts';
import { isPaymentCode, kindOfCode } from '../../../renderer/input/code-kind.ts';
import { PaymentCodeReader, STALE_GAP_MS } from '../../../renderer/input/payment-code-reader.ts';

/** Feeds text then Enter, `gap` ms apart (a function of the key's index for uneven bursts). */
function scan(r: PaymentCodeReader, text: string, gap: (i: number) => number, inTextField = false, start = 1000) {
  let t = start;
  for (let i = 0; i < text.length; i++) r.feed(text[i]!, (t += i === 0 ? 0 : gap(i)), inTextField);
  return r.feed('Enter', t + gap(text.length), inTextField);
}

/** A 支付宝 付款码 (18 digits from 28) whose last digit is also a valid ID-number check digit: one in eleven. */
const PAY_CODE_WITH_ID_CHECK = '281417355202717478';

describe('reading a 付款码 on a payment screen (issue 14: a scan after a refused one was dropped silently)', () => {
  it('the 付款码 that once in eleven carries a valid ID check digit is a 付款码 here, not an ID number', () => {
    expect(isValidIdNumber(PAY_CODE_WITH_ID_CHECK)).toBe(true);
    expect(kindOfCode(PAY_CODE_WITH_ID_CHECK)).toBe('id-number'); // what the identify screens' question answers
    expect(isPaymentCode(PAY_CODE_WITH_ID_CHECK)).toBe(true);
    expect(scan(new PaymentCodeReader(), PAY_CODE_WITH_ID_CHECK, () => 4)).toEqual({ kind: 'code', code: PAY_CODE_WITH_ID_CHECK });
  });

  it('every 支付宝 / 微信 付款码 shape is read as one, whatever its check digit (property)', () => {
    const alipay = fc.tuple(fc.integer({ min: 25, max: 30 }), fc.stringMatching(/^\d{14,22}$/)).map(([p, rest]) => `${p}${rest}`);
    const wechat = fc.tuple(fc.integer({ min: 10, max: 15 }), fc.stringMatching(/^\d{16}$/)).map(([p, rest]) => `${p}${rest}`);
    fc.assert(
      fc.property(fc.oneof(alipay, wechat), (code) => {
        const read = scan(new PaymentCodeReader(), code, () => 5);
        return read.kind === 'code' && read.code === code;
      }),
    );
  });

  it('with no text field focused (the kiosk), a burst split by a busy machine is still the code: speed does not decide', () => {
    const code = '286962030674621060';
    const slow = (i: number) => (i % 5 === 0 ? 400 : 60); // gaps a scanner never makes, a loaded machine can
    expect(scan(new PaymentCodeReader(), code, slow)).toEqual({ kind: 'code', code });
  });

  it('with no text field focused, a burst ending in Enter that is no 付款码 is reported unread, never ignored', () => {
    expect(scan(new PaymentCodeReader(), '28696203067', () => 5)).toEqual({ kind: 'unread' }); // a partial read
    expect(scan(new PaymentCodeReader(), '320000ecnqssaor2nj7a2a480a0000a4cef57c', () => 5)).toEqual({ kind: 'unread' }); // another code
    expect(scan(new PaymentCodeReader(), '12', () => 5)).toEqual({ kind: 'none', newBurst: false }); // a stray key or two
  });

  it('keys from an attempt long before are not glued to the next scan', () => {
    const r = new PaymentCodeReader();
    for (const [i, ch] of [...'28123'].entries()) r.feed(ch, 1000 + i * 5, false); // a read cut off before its Enter
    const code = '286962030674621060';
    expect(scan(r, code, () => 5, false, 1000 + STALE_GAP_MS + 500)).toEqual({ kind: 'code', code });
  });

  it('in a focused text field, a person typing slowly is left to the field (its own Enter submits it)', () => {
    const code = '286962030674621060';
    expect(scan(new PaymentCodeReader(), code, () => 120, true).kind).toBe('none');
    expect(scan(new PaymentCodeReader(), '12345678', () => 5, true).kind).toBe('none');
    expect(scan(new PaymentCodeReader(), code, () => 5, true)).toEqual({ kind: 'code', code });
  });

  it('a modifier or another key in the middle ends the burst', () => {
    const r = new PaymentCodeReader();
    for (const ch of '2869620') r.feed(ch, 1000, false);
    r.feed('Tab', 1001, false);
    expect(scan(r, '30674621060', () => 5, false, 1002)).toEqual({ kind: 'unread' });
  });
});

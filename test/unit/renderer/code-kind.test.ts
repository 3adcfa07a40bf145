import { describe, expect, it } from 'vitest';
import { kindOfCode } from '../../../renderer/input/code-kind.ts';

describe('what a code is, by content', () => {
  it('ID numbers by length and check character', () => {
    expect(kindOfCode('320200197503141014')).toBe('id-number');
    expect(kindOfCode('32020019620802112X')).toBe('id-number');
    expect(kindOfCode('32020019620802112x')).toBe('id-number');
    expect(kindOfCode('320200197503141015')).toBe('other'); // wrong check digit: the field says so
  });
  it('e-voucher tokens by their format; digits alone never', () => {
    expect(kindOfCode('320000ecnqssaor2nj7a2a480a0000a4cef57c')).toBe('e-voucher');
    expect(kindOfCode('340100eccba0e4d7bdf1b2569cf728291e98')).toBe('e-voucher');
    expect(kindOfCode('12345678901234567890123')).toBe('other');
    expect(kindOfCode('286512345678901234')).toBe('payment-code'); // 支付宝 付款码
    expect(kindOfCode('134512345678901234')).toBe('payment-code'); // 微信 付款码 (no valid ID check character)
    expect(kindOfCode('abc')).toBe('other');
  });
});

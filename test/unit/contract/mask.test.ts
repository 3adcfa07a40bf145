import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maskCertNo, maskName, maskPhone } from '../../../contract/mask.ts';

describe('masking', () => {
  it('masks names as the design shows', () => {
    expect(maskName('张三丰')).toBe('张*丰');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('阿卜杜热合曼·买买提')).toBe('阿********提');
    expect(maskName('王')).toBe('王');
  });
  it('masks ID numbers as 3202**********1234', () => {
    expect(maskCertNo('320200197503141014')).toBe('3202**********1014');
    expect(maskCertNo('A00001371')).toBe('A000*1371');
    expect(maskPhone('13812341234')).toBe('138****1234');
  });
  it('never reveals more than 8 characters of a long number', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 9, maxLength: 40 }).filter((s) => s.trim().length >= 9), (s) => {
        const m = maskCertNo(s);
        expect([...m].filter((c) => c !== '*').length).toBeLessThanOrEqual(8);
        expect(m.length).toBe(s.trim().length);
      }),
    );
  });
});

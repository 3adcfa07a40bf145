import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatYuan, parseYuan, terminalDay, todayInChina } from '../../../renderer/app/format.ts';
import { certNoProblem, isValidIdNumber } from '../../../renderer/app/cert-no.ts';
import { toShownError } from '../../../renderer/app/errors.ts';
import { KioskError } from '../../../contract/errors.ts';

describe('money on screen', () => {
  it('formats fen as yuan with two decimals and thousands separators', () => {
    expect(formatYuan(0)).toBe('0.00');
    expect(formatYuan(5)).toBe('0.05');
    expect(formatYuan(123_456)).toBe('1,234.56');
    expect(formatYuan(-65_500)).toBe('-655.00');
    expect(formatYuan(100_000_000_00)).toBe('100,000,000.00');
  });
  it('parses what staff type, without floating point', () => {
    expect(parseYuan('3000')).toBe(300_000);
    expect(parseYuan('3,000.5')).toBe(300_050);
    expect(parseYuan('0.05')).toBe(5);
    expect(parseYuan(' 12.34 ')).toBe(1234);
    for (const bad of ['', 'abc', '1.234', '-5', '1e3', '12.']) expect(parseYuan(bad)).toBeNull();
  });
  it('round-trips every amount', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), (fen) => parseYuan(formatYuan(fen)) === fen));
  });
  it('gives the day in China time', () => {
    expect(todayInChina(new Date('2026-03-01T16:30:00Z'))).toBe('2026-03-02');
  });
  it('takes the terminal\'s day, not the browser\'s, when the terminal says it', () => {
    expect(terminalDay({ today: '2026-11-20', platform: { checkedAt: '2026-11-24T01:00:00Z' } })).toBe('2026-11-20');
    expect(terminalDay({ platform: { checkedAt: '2026-11-19T17:00:00.000Z' } })).toBe('2026-11-20');
    expect(terminalDay({ platform: { checkedAt: null } })).toBe(todayInChina());
  });
});

describe('certificate numbers', () => {
  it('checks the GB 11643 check digit', () => {
    expect(isValidIdNumber('320200197503141014')).toBe(true);
    expect(isValidIdNumber('32020019620802112X')).toBe(true);
    expect(isValidIdNumber('320200197503141015')).toBe(false);
    expect(certNoProblem('02', '320200197503141015')).toContain('校验位');
    expect(certNoProblem('02', '3202')).toContain('18 位');
    expect(certNoProblem('03', 'A00001371')).toBeNull();
    expect(certNoProblem('03', 'A0001')).toContain('9 位');
  });
});

describe('errors on screen', () => {
  it('keeps a KioskError message and every guidance line', () => {
    const e = toShownError(new KioskError('PLATFORM_REFUSED', '该卡已挂失。', ['请使用医保电子凭证。', '或出示身份证。']));
    expect(e).toEqual({ code: 'PLATFORM_REFUSED', message: '该卡已挂失。', guidance: ['请使用医保电子凭证。', '或出示身份证。'] });
  });
  it('never shows English or a stack from anything else', () => {
    const e = toShownError(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(e.message).toMatch(/[\u4e00-\u9fff]/);
    expect(e.message).not.toMatch(/[A-Za-z]/);
    expect(JSON.stringify(e)).not.toContain('undefined');
  });
});

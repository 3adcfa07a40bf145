import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../base/bytes.ts';
import { encodeApdu, parseCommandApdu, parseResponseApdu } from '../../../../drivers/iso7816/apdu.ts';

describe('APDUs', () => {
  it('builds the four cases, Le 256 as 00', () => {
    expect(toHex(encodeApdu({ cla: 0, ins: 0xb2, p1: 1, p2: 0x2c, le: 0x12 }))).toBe('00B2012C12');
    expect(toHex(encodeApdu({ cla: 0, ins: 0xa4, p1: 4, p2: 0, data: fromHex('7378312E73682EC9E7BBE1B1A3D5CF') }))).toBe('00A404000F7378312E73682EC9E7BBE1B1A3D5CF');
    expect(toHex(encodeApdu({ cla: 0, ins: 0xb2, p1: 3, p2: 0x34, le: 256 }))).toBe('00B2033400');
    expect(toHex(encodeApdu({ cla: 0x80, ins: 0xfa, p1: 0, p2: 0, data: fromHex('0102'), le: 16 }))).toBe('80FA0000020102' + '10');
    expect(toHex(encodeApdu({ cla: 0, ins: 0x84, p1: 0, p2: 0 }))).toBe('00840000');
  });

  it('parses commands by case (the card side)', () => {
    expect(parseCommandApdu(fromHex('00840000'))).toMatchObject({ ok: true, value: { case: 1, le: 0 } });
    expect(parseCommandApdu(fromHex('00B2012C00'))).toMatchObject({ ok: true, value: { case: 2, le: 256 } });
    expect(parseCommandApdu(fromHex('00A4020002EF05'))).toMatchObject({ ok: true, value: { case: 3 } });
    expect(parseCommandApdu(fromHex('00A4020002EF0510'))).toMatchObject({ ok: true, value: { case: 4, le: 16 } });
    expect(parseCommandApdu(fromHex('00A4020003EF05')).ok).toBe(false);
    expect(parseCommandApdu(fromHex('00A40200')).ok).toBe(true);
    expect(parseCommandApdu(fromHex('00A402')).ok).toBe(false);
  });

  it('splits data and status word', () => {
    expect(parseResponseApdu(fromHex('0304332E30309000'))).toMatchObject({ ok: true, value: { sw: 0x9000, sw1: 0x90, sw2: 0 } });
    expect(parseResponseApdu(fromHex('90')).ok).toBe(false);
  });

  it('round-trips every short command', () => {
    fc.assert(
      fc.property(
        fc.record({ cla: fc.integer({ min: 0, max: 255 }), ins: fc.integer({ min: 0, max: 255 }), p1: fc.integer({ min: 0, max: 255 }), p2: fc.integer({ min: 0, max: 255 }) }),
        fc.option(fc.uint8Array({ minLength: 1, maxLength: 255 }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 256 }), { nil: undefined }),
        (h, data, le) => {
          const parsed = parseCommandApdu(encodeApdu({ ...h, data, le }));
          expect(parsed.ok).toBe(true);
          if (!parsed.ok) return;
          expect(parsed.value.le).toBe(le ?? 0);
          expect(toHex(parsed.value.data)).toBe(toHex(data ?? new Uint8Array(0)));
        },
      ),
    );
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        parseCommandApdu(b);
        parseResponseApdu(b);
      }),
      { numRuns: 1000 },
    );
  });
});

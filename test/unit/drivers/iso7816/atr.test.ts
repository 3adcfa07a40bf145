import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../base/bytes.ts';
import { parseAtr } from '../../../../drivers/iso7816/atr.ts';

describe('ATR parser', () => {
  it('reads a 社保卡 ATR: T=0, no TA1 (Fi 372, Di 1), TB1 TC1, 13 historical bytes, no TCK', () => {
    const r = parseAtr(fromHex('3B6D000000905431168660130425001C4E'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ convention: 'direct', protocols: [0], fi: 372, di: 1, tck: null });
    expect(r.value.interfaceBytes[0]).toEqual({ tb: 0, tc: 0 });
    expect(toHex(r.value.historical)).toBe('00905431168660130425001C4E');
  });

  it('reads TA1 and checks TCK when T=1 is announced', () => {
    // TS T0(TA1 TD1, K=5) TA1=13 (Fi 372, Di 4) TD1=81 (TD2 follows, T=1) TD2=01 (T=1), 5 historical, TCK.
    const body = fromHex('3B95138101AABBCCDDEE');
    let x = 0;
    for (const b of body.subarray(1)) x ^= b;
    const atr = new Uint8Array([...body, x]);
    const r = parseAtr(atr);
    expect(r).toMatchObject({ ok: true, value: { protocols: [1, 1], fi: 372, di: 4, tck: x } });
    atr[atr.length - 1] = x ^ 1;
    expect(parseAtr(atr)).toEqual({ ok: false, reason: 'bad TCK' });
  });

  it('rejects a bad TS, a truncated ATR and trailing bytes', () => {
    expect(parseAtr(fromHex('236D000000905431168660130425001C4E')).ok).toBe(false);
    expect(parseAtr(fromHex('3B6D0000009054311686')).ok).toBe(false);
    expect(parseAtr(fromHex('3B6D000000905431168660130425001C4E00')).ok).toBe(false);
    expect(parseAtr(fromHex('3B')).ok).toBe(false);
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        parseAtr(b);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 }), (tail) => {
        parseAtr(new Uint8Array([0x3b, ...tail]));
      }),
      { numRuns: 2000 },
    );
  });
});

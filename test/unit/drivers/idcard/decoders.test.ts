import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../../base/bytes.ts';
import { AnswerParser } from '../../../../drivers/idcard/answer-parser.ts';
import { decodeDate, decodeUcs2Field } from '../../../../drivers/idcard/card-text.ts';
import { nationOf, sexOf } from '../../../../drivers/idcard/code-tables.ts';
import { decodeBaseInfo } from '../../../../drivers/idcard/decode-card.ts';
import { encodeAnswer, encodeCommand } from '../../../../drivers/idcard/frame.ts';
import { buildIdCardDefinition } from '../../../../drivers/virtual/idcard/idcard-definition.ts';
import { loadIdCardCatalog } from '../../../../drivers/virtual/idcard/idcard-catalog.ts';

const catalog = loadIdCardCatalog();
const baseData = (id: string) => {
  const c = catalog.get(id)!;
  const d = new Uint8Array(4 + 256 + 1024);
  d.set([1, 0, 4, 0]);
  d.set(c.text, 4);
  d.set(c.photo, 260);
  return d;
};

describe('frames (idcard-link.md §3)', () => {
  it('encodes the worked examples byte for byte', () => {
    expect(encodeCommand(0x11, 0xff)).toEqual(fromHex('AAAAAA9669 0003 11FF ED'));
    expect(encodeCommand(0x20, 0x01)).toEqual(fromHex('AAAAAA9669 0003 2001 22'));
    expect(encodeCommand(0x20, 0x02)).toEqual(fromHex('AAAAAA9669 0003 2002 21'));
    expect(encodeCommand(0x30, 0x01)).toEqual(fromHex('AAAAAA9669 0003 3001 32'));
    expect(encodeAnswer(0x90)).toEqual(fromHex('AAAAAA9669 0004 000090 94'));
    expect(encodeAnswer(0x9f, new Uint8Array(4))).toEqual(fromHex('AAAAAA9669 0008 00009F 00000000 97'));
    expect(encodeAnswer(0x90, new Uint8Array(8))).toEqual(fromHex('AAAAAA9669 000C 000090 0000000000000000 9C'));
    expect(encodeAnswer(0x41)).toEqual(fromHex('AAAAAA9669 0004 000041 45'));
  });

  it('resyncs through the noise quirk: `00 FF AA AA 96 55 AA` then a frame', () => {
    const p = new AnswerParser();
    const got = p.push(new Uint8Array([...fromHex('00FFAAAA9655AA'), ...encodeAnswer(0x90)]));
    expect(got).toEqual([{ sw1: 0, sw2: 0, sw3: 0x90, data: new Uint8Array(0) }]);
  });

  it('finds every frame whatever the chunking and noise around it (property)', () => {
    const noise = fc.uint8Array({ maxLength: 40 }).map((b) => b.map((x) => (x === 0xaa ? 0x55 : x)));
    fc.assert(
      fc.property(fc.array(fc.record({ sw3: fc.integer({ min: 0, max: 255 }), data: fc.uint8Array({ maxLength: 300 }), before: noise }), { minLength: 1, maxLength: 5 }), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1 }), (frames, cuts) => {
        const stream = frames.flatMap((f) => [...f.before, ...encodeAnswer(f.sw3, f.data)]);
        const p = new AnswerParser();
        const got = [];
        let at = 0;
        for (let i = 0; at < stream.length; i++) {
          const n = cuts[i % cuts.length] as number;
          got.push(...p.push(Uint8Array.from(stream.slice(at, at + n))));
          at += n;
        }
        expect(got.map((a) => [a.sw3, [...a.data]])).toEqual(frames.map((f) => [f.sw3, [...f.data]]));
      }),
      { numRuns: 150 },
    );
  });

  it('never throws on arbitrary bytes, and keeps at most one unfinished frame', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 20 }), (chunks) => {
        const p = new AnswerParser();
        for (const c of chunks) p.push(c);
        expect(p.buffered).toBeLessThanOrEqual(7 + 2400);
      }),
      { numRuns: 200 },
    );
  });

  it('drops a frame with a bad CHK or a LEN outside 4..2400 and finds the next', () => {
    const bad = encodeAnswer(0x90);
    bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 1;
    const p = new AnswerParser();
    expect(p.push(new Uint8Array([...bad, ...fromHex('AAAAAA9669 0002 00'), ...encodeAnswer(0x80)]))).toEqual([{ sw1: 0, sw2: 0, sw3: 0x80, data: new Uint8Array(0) }]);
  });
});

describe('card text (§7, §8)', () => {
  it('strips U+0020 and U+0000 from both ends, refuses surrogates', () => {
    const text = new Uint8Array([0x20, 0, 0x4e, 0x67, 0, 0, 0x20, 0]);
    expect(decodeUcs2Field(text, 0, 8)).toEqual({ ok: true, value: '李' });
    expect(decodeUcs2Field(new Uint8Array([0x00, 0xd8, 0x00, 0xdc]), 0, 4).ok).toBe(false);
  });

  it('takes only real calendar dates (property against the Date of the same day)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), (y, m, d) => {
        const s = `${String(y).padStart(4, '0')}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
        const date = new Date(0);
        date.setUTCFullYear(y, m - 1, d);
        const real = m >= 1 && m <= 12 && d >= 1 && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
        expect(decodeDate(s).ok).toBe(real);
      }),
      { numRuns: 500 },
    );
    expect(decodeDate('20240229').ok).toBe(true);
    expect(decodeDate('20230229').ok).toBe(false);
  });

  it('gives words from the code tables, null for an unknown code', () => {
    expect(sexOf('9')).toEqual({ code: '9', word: '未说明' });
    expect(sexOf('3')).toEqual({ code: '3', word: null });
    expect(nationOf('98')).toEqual({ code: '98', word: '外国血统中国籍人士' });
    expect(nationOf('57')).toEqual({ code: '57', word: null });
    expect(nationOf('toString')).toEqual({ code: 'toString', word: null });
  });

  it('decodes a base read; refuses wrong lengths, an unknown flag, a bad date', () => {
    expect(decodeBaseInfo(baseData('x-long-term'), '2026-01-01')).toMatchObject({ ok: true, value: { idNumber: '32021319500708202X', validTo: null, expired: false } });
    expect(decodeBaseInfo(baseData('x-long-term').subarray(0, 1000), '2026-01-01')).toMatchObject({ ok: false, problem: { kind: 'bad-data' } });
    expect(decodeBaseInfo(baseData('type-y'), '2026-01-01')).toMatchObject({ ok: false, problem: { kind: 'unsupported-type', flag: 'Y' } });
    const d = baseData('li-xiaohong');
    d.set([0x33, 0, 0x33, 0], 4 + 36 + 12); // 出生 …1123 → …1133
    expect(decodeBaseInfo(d, '2026-01-01')).toMatchObject({ ok: false, problem: { kind: 'bad-data' } });
    const lower = buildIdCardDefinition({ ...catalog.get('x-long-term')!.spec, idNumber: '32021319500708202x' });
    const dl = baseData('x-long-term');
    dl.set(lower.text, 4);
    expect(decodeBaseInfo(dl, '2026-01-01')).toMatchObject({ ok: true, value: { idNumber: '32021319500708202X' } });
  });

  it('a card is valid on its end date and expired the day after', () => {
    expect(decodeBaseInfo(baseData('expired-nul'), '2025-01-10')).toMatchObject({ value: { expired: false } });
    expect(decodeBaseInfo(baseData('expired-nul'), '2025-01-11')).toMatchObject({ value: { expired: true } });
  });

  it('never throws on arbitrary text and photo bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 256, maxLength: 256 }), (text) => {
        const d = baseData('li-xiaohong');
        d.set(text, 4);
        const r = decodeBaseInfo(d, '2026-01-01');
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});

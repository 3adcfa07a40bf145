import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../../base/bytes.ts';
import { decodeBcd, decodeBcdDate, encodeBcd, encodeBcdDate } from '../../../../drivers/sscard/bcd.ts';
import { decodeRecordField } from '../../../../drivers/sscard/card-records.ts';
import { RECORDS } from '../../../../drivers/sscard/layout.ts';
import { decodeAscii, decodeGbk, encodeGbk, trimPadding } from '../../../../drivers/sscard/text.ts';
import { decodeTlvRecord, encodeTlvRecord } from '../../../../drivers/sscard/tlv.ts';

describe('TLV records', () => {
  it('returns the value of the expected tag', () => {
    expect(decodeTlvRecord(fromHex('0304332E3030'), 0x03)).toEqual({ ok: true, value: fromHex('332E3030') });
  });
  it('rejects another tag and a length past the end', () => {
    expect(decodeTlvRecord(fromHex('0404332E3030'), 0x03).ok).toBe(false);
    expect(decodeTlvRecord(fromHex('0305332E3030'), 0x03).ok).toBe(false);
    expect(decodeTlvRecord(fromHex('03'), 0x03).ok).toBe(false);
  });
});

describe('BCD', () => {
  it('decodes digits and drops trailing F padding', () => {
    expect(decodeBcd(fromHex('320200'))).toEqual({ ok: true, value: '320200' });
    expect(decodeBcd(fromHex('01'))).toEqual({ ok: true, value: '01' });
    expect(decodeBcd(fromHex('123F'))).toEqual({ ok: true, value: '123' });
    expect(decodeBcd(fromHex('1A')).ok).toBe(false);
    expect(decodeBcd(fromHex('F1')).ok).toBe(false);
  });
  it('decodes YYYYMMDD dates and refuses impossible ones', () => {
    expect(decodeBcdDate(fromHex('20311202'))).toEqual({ ok: true, value: '2031-12-02' });
    expect(decodeBcdDate(fromHex('20240229')).ok).toBe(true);
    expect(decodeBcdDate(fromHex('20230229')).ok).toBe(false);
    expect(decodeBcdDate(fromHex('20231301')).ok).toBe(false);
    expect(decodeBcdDate(fromHex('202312')).ok).toBe(false);
  });
  it('round-trips dates', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), (d) => {
        const day = d.toISOString().slice(0, 10);
        expect(decodeBcdDate(encodeBcdDate(day))).toEqual({ ok: true, value: day });
      }),
    );
  });
  it('round-trips digit strings', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{0,24}$/), (s) => {
        expect(decodeBcd(encodeBcd(s))).toEqual({ ok: true, value: s });
      }),
    );
  });
});

describe('text fields', () => {
  it('trims only trailing padding (00, 20, FF), never inside the value', () => {
    expect(trimPadding(fromHex('41004200000020FF'))).toEqual(fromHex('410042'));
  });
  it('keeps the X of an ID number and refuses non-printable bytes', () => {
    expect(decodeAscii(fromHex('3332303230303139363230383032313132580000'))).toEqual({ ok: true, value: '32020019620802112X' });
    expect(decodeAscii(fromHex('410142')).ok).toBe(false);
  });
  it('decodes GBK names, also with 00 bytes inside the GBK stream kept apart from padding', () => {
    expect(decodeGbk(new Uint8Array([...encodeGbk('王建国'), 0, 0, 0]))).toEqual({ ok: true, value: '王建国' });
    expect(decodeGbk(encodeGbk('阿卜杜热合曼·买买提艾力·吐尔逊江'))).toEqual({ ok: true, value: '阿卜杜热合曼·买买提艾力·吐尔逊江' });
  });
  it('refuses bytes that are not GBK instead of inventing characters', () => {
    expect(decodeGbk(fromHex('FF80FE81')).ok).toBe(false);
    expect(decodeGbk(fromHex('CD')).ok).toBe(false); // a lead byte alone
  });
});

describe('record fields', () => {
  it('decodes each field of a 社保卡 record', () => {
    expect(decodeRecordField(RECORDS.cardSn, fromHex('0110320200D156000005E2637265338DA33E'))).toEqual({ ok: true, value: '320200D156000005E2637265338DA33E' });
    expect(decodeRecordField(RECORDS.specVersion, fromHex('0304332E3030'))).toEqual({ ok: true, value: '3.00' });
    expect(decodeRecordField(RECORDS.nation, fromHex('0B0101'))).toEqual({ ok: true, value: '01' });
    expect(decodeRecordField(RECORDS.birthplace, fromHex('0C03320200'))).toEqual({ ok: true, value: '320200' });
    expect(decodeRecordField(RECORDS.sex, fromHex('0A0132'))).toEqual({ ok: true, value: '2' });
    expect(decodeRecordField(RECORDS.name, encodeTlvRecord(0x09, new Uint8Array([...encodeGbk('李秀英'), ...new Uint8Array(24)])))).toEqual({ ok: true, value: '李秀英' });
  });
  it('refuses values that cannot be what the field says', () => {
    expect(decodeRecordField(RECORDS.ssn, encodeTlvRecord(0x08, new TextEncoder().encode('32020019620802112Y'))).ok).toBe(false);
    expect(decodeRecordField(RECORDS.sex, fromHex('0A0139')).ok).toBe(false);
    expect(decodeRecordField(RECORDS.cardSn, fromHex('010F320200D156000005E2637265338DA3')).ok).toBe(false);
    expect(decodeRecordField(RECORDS.name, encodeTlvRecord(0x09, new Uint8Array(30))).ok).toBe(false);
  });
  it('never throws on random, truncated or corrupted records', () => {
    const specs = Object.values(RECORDS);
    fc.assert(
      fc.property(fc.constantFrom(...specs), fc.uint8Array({ maxLength: 64 }), (spec, bytes) => {
        decodeRecordField(spec, bytes);
        decodeTlvRecord(bytes, spec.tag);
        decodeBcd(bytes);
        decodeBcdDate(bytes);
        decodeAscii(bytes);
        decodeGbk(bytes);
      }),
      { numRuns: 3000 },
    );
  });
  it('never throws on a valid record with one byte corrupted or cut short', () => {
    const good = fromHex('0110320200D156000005E2637265338DA33E');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: good.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: good.length }), (at, v, cut) => {
        const b = good.slice(0, cut);
        if (at < b.length) b[at] = v;
        const r = decodeRecordField(RECORDS.cardSn, b);
        if (r.ok) expect(r.value).toMatch(/^[0-9A-F]{32}$/);
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { loadCardCatalog } from '../../../../drivers/virtual/fixtures.ts';
import { readFloor } from '../../../../drivers/virtual/floor.ts';
import { apduCardMs, cardLineBytes, coldResetMs, linkMessageMs } from '../../../../drivers/virtual/timing-model.ts';

// Expected values below are computed by hand from reader-link.md §4, not by the model under test.
describe('timing model (reader-link.md §4)', () => {
  it('prices the card line: 1.25 ms per byte, 2 ms per APDU, cold reset 10 ms + ATR bytes', () => {
    expect(cardLineBytes({ case: 1, lc: 0 }, { dataLength: 0, headerRefused: false })).toBe(7);
    expect(cardLineBytes({ case: 2, lc: 0 }, { dataLength: 18, headerRefused: false })).toBe(26);
    expect(cardLineBytes({ case: 2, lc: 0 }, { dataLength: 0, headerRefused: false })).toBe(7);
    expect(cardLineBytes({ case: 3, lc: 15 }, { dataLength: 0, headerRefused: false })).toBe(23);
    expect(cardLineBytes({ case: 4, lc: 2 }, { dataLength: 0, headerRefused: false })).toBe(10);
    expect(apduCardMs(23)).toBe(30.75);
    expect(coldResetMs(17)).toBe(31.25);
  });

  it('prices the host link: 10 bits per framed byte at 115200, or 1 ms per 64-byte HID report', () => {
    expect(linkMessageMs('serial', 10)).toBeCloseTo((13 * 10) / 115.2, 9);
    expect(linkMessageMs('hid', 10)).toBe(1);
    expect(linkMessageMs('hid', 58)).toBe(2);
    expect(linkMessageMs('hid', 2, true)).toBe(1);
  });

  it('gives the floor of a full read of a 2nd-generation card', () => {
    const catalog = loadCardCatalog();
    const floor = readFloor(catalog.get('local-employee/g2')!, 'serial');
    // Card: power-on 10 + 17×1.25; SELECT 23×1.25 + 2; 13 records of (8 + Le)×1.25 + 2 with ΣLe = 133.
    expect(floor.cardMs).toBeCloseTo(31.25 + 30.75 + (13 * 8 + 133) * 1.25 + 13 * 2, 9);
    // Link: power-on 13 + 30 bytes, SELECT 33 + 15, records 13 × (18 + 15) + ΣLe.
    expect(floor.linkMs).toBeCloseTo(((43 + 48 + 13 * 33 + 133) * 10) / 115.2, 9);
    expect(floor.exchanges.length).toBe(15);
  });

  it('adds the PSAM exchanges for a 3rd-generation card', () => {
    const catalog = loadCardCatalog();
    const g2 = readFloor(catalog.get('local-employee/g2')!, 'serial');
    const g3 = readFloor(catalog.get('local-employee/g3')!, 'serial');
    // GET CHALLENGE 16 B, PSAM reset 10 + 17×1.25, 80FA 32 B, GET RESPONSE 24 B, EXTERNAL AUTHENTICATE 24 B.
    expect(g3.cardMs - g2.cardMs).toBeCloseTo(16 * 1.25 + 2 + 31.25 + 32 * 1.25 + 2 + 24 * 1.25 + 2 + 24 * 1.25 + 2, 9);
    expect(g3.linkMs - g2.linkMs).toBeCloseTo(((41 + 43 + 57 + 49 + 49) * 10) / 115.2, 9);
    expect(g3.exchanges.map((e) => e.label)).toContain('PSAM 80FA');
  });

  it('counts EF06 03 only on a card that has 姓名扩展', () => {
    const catalog = loadCardCatalog();
    const long = readFloor(catalog.get('long-name/g2')!, 'serial');
    expect(long.exchanges.map((e) => e.label)).toContain('READ RECORD EF06 3');
    expect(readFloor(catalog.get('local-employee/g2')!, 'serial').exchanges.map((e) => e.label)).not.toContain('READ RECORD EF06 3');
  });
});

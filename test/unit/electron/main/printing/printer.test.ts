import { describe, expect, it } from 'vitest';
import { layoutWidthPx, pdfPageSize, printPageSize, rollLengthMicrons, ROLL_DEFAULT_LENGTH_MICRONS } from '../../../../../electron/main/printing/printer.ts';

describe('page sizes', () => {
  it('gives print() an 80 mm roll in microns and A4 by name', () => {
    expect(printPageSize('roll-80mm', 150_000)).toEqual({ width: 80_000, height: 150_000 });
    expect(printPageSize('a4', 0)).toBe('A4');
  });

  it('gives printToPDF() the same roll in inches', () => {
    const size = pdfPageSize('roll-80mm', 254_000) as { width: number; height: number };
    expect(size.width).toBeCloseTo(3.1496, 4);
    expect(size.height).toBeCloseTo(10, 6);
    expect(pdfPageSize('a4', 0)).toBe('A4');
  });

  it('sizes the roll to the content, with a tail for the cutter, within bounds', () => {
    expect(rollLengthMicrons(96)).toBe(50_000); // 1 inch of content + tail is under the minimum length
    expect(rollLengthMicrons(960)).toBe(254_000 + 8_000);
    expect(rollLengthMicrons(10_000_000)).toBe(2_000_000);
    for (const unknown of [null, 0, -5, Number.NaN, Number.POSITIVE_INFINITY]) expect(rollLengthMicrons(unknown)).toBe(ROLL_DEFAULT_LENGTH_MICRONS);
    // Every size print() gets is at least 353 microns in both directions (Chromium's minimum).
    expect(Math.min(80_000, rollLengthMicrons(1))).toBeGreaterThanOrEqual(353);
  });

  it('lays documents out at paper width', () => {
    expect(layoutWidthPx('roll-80mm')).toBe(302);
    expect(layoutWidthPx('a4')).toBe(794);
  });
});

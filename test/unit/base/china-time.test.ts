import { describe, expect, it } from 'vitest';
import { chinaDateTime, chinaDay, chinaStamp, parseChinaStamp } from '../../../base/china-time.ts';

describe('China time', () => {
  it('formats in UTC+8 whatever the machine time zone', () => {
    const at = new Date('2026-03-01T16:05:07.900Z'); // 2026-03-02 00:05:07 in China
    expect(chinaStamp(at)).toBe('20260302000507');
    expect(chinaDay(at)).toBe('2026-03-02');
    expect(chinaDateTime(at)).toBe('2026-03-02 00:05:07');
  });

  it('parses a stamp back to its instant', () => {
    expect(parseChinaStamp('20260302000507').toISOString()).toBe('2026-03-01T16:05:07.000Z');
    expect(() => parseChinaStamp('2026030200050')).toThrow(RangeError);
  });
});

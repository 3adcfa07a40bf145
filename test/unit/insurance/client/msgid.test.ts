import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composeMsgid, InMemoryMsgidSequence, MSGID_PATTERN } from '../../../../insurance/client/msgid.ts';

const CODE = 'H32020000001';
const at = (iso: string): Date => new Date(iso);

describe('msgid', () => {
  it('is fixmedins_code + China yyyyMMddHHmmss + 4-digit counter', () => {
    const seq = new InMemoryMsgidSequence(CODE);
    const t = at('2026-03-01T01:02:03.400Z'); // 09:02:03 China
    expect(seq.next(t)).toBe('H32020000001202603010902030000');
    expect(seq.next(t)).toBe('H32020000001202603010902030001');
    expect(seq.next(at('2026-03-01T01:02:04.000Z'))).toBe('H32020000001202603010902040000');
    expect(MSGID_PATTERN.test(seq.next(t))).toBe(true);
  });

  it('borrows the next second after 10,000 in one second instead of wrapping', () => {
    const seq = new InMemoryMsgidSequence(CODE);
    const t = at('2026-03-01T01:02:03Z');
    let last = '';
    for (let i = 0; i < 10_000; i++) last = seq.next(t);
    expect(last).toBe('H32020000001202603010902039999');
    expect(seq.next(t)).toBe('H32020000001202603010902040000');
  });

  it('keeps counting when the clock goes backwards', () => {
    const seq = new InMemoryMsgidSequence(CODE);
    expect(seq.next(at('2026-03-01T01:02:05Z'))).toBe('H32020000001202603010902050000');
    expect(seq.next(at('2026-03-01T01:02:01Z'))).toBe('H32020000001202603010902050001');
  });

  it('never repeats under any sequence of clock readings', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 300 }), (offsetsMs) => {
        const seq = new InMemoryMsgidSequence(CODE);
        const base = Date.parse('2026-03-01T00:00:00Z');
        const seen = new Set(offsetsMs.map((ms) => seq.next(new Date(base + ms))));
        expect(seen.size).toBe(offsetsMs.length);
      }),
    );
  });

  it('rejects malformed parts', () => {
    expect(() => composeMsgid('H3202', '20260301090203', 1)).toThrow(RangeError);
    expect(() => composeMsgid(CODE, '2026030109020', 1)).toThrow(RangeError);
    expect(() => composeMsgid(CODE, '20260301090203', 10_000)).toThrow(RangeError);
    expect(() => new InMemoryMsgidSequence('h32020000001')).toThrow(RangeError);
  });
});

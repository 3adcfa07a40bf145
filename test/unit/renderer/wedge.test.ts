import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WedgeDetector } from '../../../renderer/input/wedge.ts';
import { kindOfCode } from '../../../renderer/input/code-kind.ts';

function typeAt(d: WedgeDetector, text: string, gaps: number[], start = 1000) {
  let t = start;
  let result = d.feed(text[0]!, t);
  for (let i = 1; i < text.length; i++) {
    t += gaps[(i - 1) % gaps.length]!;
    result = d.feed(text[i]!, t);
  }
  return { result, end: t };
}

describe('keyboard-wedge scanner detection', () => {
  const code = '320000ecnqssaor2nj7a2a480a0000a4cef57c';
  it('a burst a few ms apart ending with Enter is a scan', () => {
    const d = new WedgeDetector();
    const { end } = typeAt(d, code, [4, 6, 3]);
    expect(d.feed('Enter', end + 5)).toEqual({ kind: 'scan', code });
  });
  it('a 支付宝 付款码 (18 digits from 28) read by the scanner is a scan, never taken for an ID number', () => {
    const d = new WedgeDetector();
    const payCode = '286512345678901234';
    expect(kindOfCode(payCode)).toBe('payment-code');
    const { end } = typeAt(d, payCode, [4, 6, 3]);
    expect(d.feed('Enter', end + 5)).toEqual({ kind: 'scan', code: payCode });
    expect(kindOfCode('320200197503141014')).toBe('id-number');
  });
  it('a person typing the same characters is not', () => {
    const d = new WedgeDetector();
    const { end } = typeAt(d, code, [110, 180, 95]);
    expect(d.feed('Enter', end + 120).kind).toBe('none');
  });
  it('a short fast burst (a person rolling two keys) is not', () => {
    const d = new WedgeDetector();
    const { end } = typeAt(d, '12', [5]);
    expect(d.feed('Enter', end + 5).kind).toBe('none');
  });
  it('a scan right after a person typed is cut from what the person typed', () => {
    const d = new WedgeDetector();
    const human = typeAt(d, '3202', [150]);
    const first = d.feed(code[0]!, human.end + 400);
    expect(first).toEqual({ kind: 'none', newBurst: true });
    let t = human.end + 400;
    for (const ch of code.slice(1)) d.feed(ch, (t += 5));
    expect(d.feed('Enter', t + 5)).toEqual({ kind: 'scan', code });
  });
  it('one hiccup in a scanner burst does not break it (median, not max)', () => {
    const d = new WedgeDetector();
    const gaps = Array.from({ length: code.length }, (_, i) => (i === 10 ? 90 : 5));
    const { end } = typeAt(d, code, gaps);
    expect(d.feed('Enter', end + 5).kind).toBe('scan');
  });
  it('never mistakes human-speed typing (every gap ≥ 60 ms) for a scanner', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }).filter((s) => [...s].every((c) => c.length === 1)), fc.array(fc.integer({ min: 60, max: 400 }), { minLength: 1 }), (text, gaps) => {
        const d = new WedgeDetector();
        const { end } = typeAt(d, text, gaps);
        return d.feed('Enter', end + gaps[0]!).kind === 'none';
      }),
    );
  });

  // Issue 13 · 3: speed tells nothing; the content does.
  it('a valid ID number typed fast (numeric keypad, keyboard-style ID reader) is an ID number, not a scan', () => {
    const d = new WedgeDetector();
    const { end } = typeAt(d, '320200197503141014', [30, 25, 40]);
    expect(d.feed('Enter', end + 30)).toEqual({ kind: 'id-number', certNo: '320200197503141014' });
    const x = new WedgeDetector();
    const typed = typeAt(x, '32020019620802112x', [8]);
    expect(x.feed('Enter', typed.end + 8)).toEqual({ kind: 'id-number', certNo: '32020019620802112X' });
  });
  it('a fast run of digits that is no valid ID number is left to the field (its check explains), never sent as a QR code', () => {
    for (const digits of ['320200197503141015', '12345678', '3202001975031410']) {
      const d = new WedgeDetector();
      const { end } = typeAt(d, digits, [5]);
      expect(d.feed('Enter', end + 5).kind).toBe('none');
    }
  });
});


import { describe, expect, it } from 'vitest';
import { assertOk, err, mapOk, ok, tryResult, type Result } from '../../../base/result.ts';

describe('Result', () => {
  it('is plain data that survives a structured clone (IPC, WebSocket, worker thread)', () => {
    const values: Result<number, string>[] = [ok(3), err('拒付')];
    expect(structuredClone(values)).toEqual([{ ok: true, value: 3 }, { ok: false, error: '拒付' }]);
    expect(JSON.parse(JSON.stringify(ok()))).toEqual({ ok: true });
  });

  it('narrows on ok and maps only the value', () => {
    const half = (r: Result<number, string>) => mapOk(r, (n) => n / 2);
    expect(half(ok(8))).toEqual(ok(4));
    expect(half(err('no'))).toEqual(err('no'));
  });

  it('assertOk returns the value or throws with the error as cause', () => {
    expect(assertOk(ok('x'), 'never')).toBe('x');
    expect(() => assertOk(err({ code: 'E' }), 'settle failed')).toThrow(expect.objectContaining({ message: 'settle failed', cause: { code: 'E' } }));
  });

  it('tryResult turns a throw into an Err', () => {
    expect(tryResult(() => 1)).toEqual(ok(1));
    const r = tryResult(() => JSON.parse('{'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBeInstanceOf(SyntaxError);
  });
});

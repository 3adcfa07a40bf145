import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonDepthExceeds, MAX_REPLY_DEPTH } from '../../../../insurance/client/json-depth.ts';
import { parseResponseBody } from '../../../../insurance/client/response.ts';
import { PlatformBadResponseError } from '../../../../insurance/client/errors.ts';

function depthOf(v: unknown): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(depthOf));
  if (v !== null && typeof v === 'object') return 1 + Math.max(0, ...Object.values(v).map(depthOf));
  return 0;
}

describe('jsonDepthExceeds', () => {
  it('agrees with the parsed depth for any JSON value, brackets inside strings not counted', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 9 }), (value, limit) => {
        const text = JSON.stringify(value);
        expect(jsonDepthExceeds(text, limit)).toBe(depthOf(value) > limit);
      }),
    );
    expect(jsonDepthExceeds('{"a":"[[[[[[\\"]]]"}', 1)).toBe(false);
  });

  it('turns 200,000 levels into a bad response (outcome unknown) instead of a stack overflow later', () => {
    const body = `{"infcode":0,"output":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    expect(() => parseResponseBody(body, { infno: '2401', msgid: 'm' })).toThrow(PlatformBadResponseError);
    // A real reply is a few levels deep and passes.
    expect(parseResponseBody(JSON.stringify({ infcode: 0, output: { result: { mdtrt_id: 'M1' } } }), { infno: '2401', msgid: 'm' }).output).toEqual({ result: { mdtrt_id: 'M1' } });
    expect(MAX_REPLY_DEPTH).toBeGreaterThanOrEqual(16);
  });
});

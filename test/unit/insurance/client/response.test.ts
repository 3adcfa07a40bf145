import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlatformBadResponseError, PlatformError, PlatformRefusedError } from '../../../../insurance/client/errors.ts';
import { cleanPlatformText, parseResponseBody } from '../../../../insurance/client/response.ts';

const context = { infno: '2304', msgid: 'H32020000001202603010902030007' };

function outcome(body: string): unknown {
  try {
    return parseResponseBody(body, context);
  } catch (e) {
    return e;
  }
}

describe('response envelope', () => {
  it('reads infcode as a number or a string', () => {
    expect(parseResponseBody('{"infcode":0,"output":{"a":1}}', context).output).toEqual({ a: 1 });
    expect(parseResponseBody('{"infcode":"0","output":{"a":1}}', context).output).toEqual({ a: 1 });
    expect(parseResponseBody('{"infcode":" 0 ","output":null}', context).output).toBeNull();
  });

  it('keeps the receiver references', () => {
    const r = parseResponseBody(
      JSON.stringify({ infcode: 0, inf_refmsgid: '500000202107141108170000514555', refmsg_time: '20210714110817123', respond_time: '20210714110817456', warn_msg: null }),
      context,
    );
    expect(r.meta).toEqual({ inf_refmsgid: '500000202107141108170000514555', refmsg_time: '20210714110817123', respond_time: '20210714110817456', warn_msg: null });
  });

  it('turns infcode -1 into a refusal with the platform message', () => {
    const e = outcome('{"infcode":-1,"err_msg":"该人员存在未结算的住院记录"}');
    expect(e).toBeInstanceOf(PlatformRefusedError);
    expect(e).toMatchObject({ kind: 'refused', outcome: 'not-applied', infcode: -1, errMsg: '该人员存在未结算的住院记录', infno: '2304' });
    expect(outcome('{"infcode":"-1"}')).toMatchObject({ kind: 'refused', errMsg: '' });
    expect(outcome('{"infcode":-2,"err_msg":"x"}')).toMatchObject({ kind: 'refused', infcode: -2 });
  });

  it('cleans the platform message before anyone shows it', () => {
    expect(cleanPlatformText('a\u0000b\r\nc\u202ed')).toBe('a b c d');
    expect(cleanPlatformText('长'.repeat(300))).toHaveLength(201);
    // Cut by characters, not UTF-16 units: 150 astral characters (300 units) stay whole, 250 are cut to 200 and '…'.
    expect(cleanPlatformText('😀'.repeat(150))).toBe('😀'.repeat(150));
    expect(cleanPlatformText('😀'.repeat(250))).toBe(`${'😀'.repeat(200)}…`);
    expect(cleanPlatformText({ evil: true })).toBe('');
  });

  it('turns anything that is not an envelope into a bad response', () => {
    for (const body of ['', 'not json', '[]', 'null', '{"err_msg":"x"}', '{"infcode":0.5}', '{"infcode":"ok"}', '{"infcode":true}', '<html>502</html>']) {
      const e = outcome(body);
      expect(e, body).toBeInstanceOf(PlatformBadResponseError);
      expect(e).toMatchObject({ kind: 'bad-response', outcome: 'unknown' });
    }
  });

  it('never throws anything but a PlatformError, whatever the body', () => {
    const envelopeLike = fc.record(
      {
        infcode: fc.oneof(fc.integer(), fc.string(), fc.constantFrom(0, '0', -1, '-1'), fc.anything()),
        err_msg: fc.anything(),
        output: fc.anything(),
        inf_refmsgid: fc.anything(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), envelopeLike.map((v) => JSON.stringify(v) ?? '')), (body) => {
        const r = outcome(body);
        if (r instanceof Error) expect(r).toBeInstanceOf(PlatformError);
        else expect(r).toHaveProperty('output');
      }),
      { numRuns: 2000 },
    );
  });
});

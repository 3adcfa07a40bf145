import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { csbSign, verifyCsb } from '../../../../../insurance/sandbox/http/csb-signature.ts';

const params = { _api_access_key: 'ak', _api_name: 'callService', _api_timestamp: '1795000000000', _api_version: '1.0' };
const csb = { required: false, secrets: new Map([['ak', 'sk']]) };

describe('CSB signature', () => {
  it('is Base64(HMAC-SHA1(secret, k=v&… sorted by key))', () => {
    const expected = createHmac('sha1', 'sk').update('_api_access_key=ak&_api_name=callService&_api_timestamp=1795000000000&_api_version=1.0').digest('base64');
    expect(csbSign('sk', params)).toBe(expected);
  });

  it('verifies a good signature, refuses a bad one', () => {
    expect(verifyCsb({ ...params, _api_signature: csbSign('sk', params) }, csb)).toEqual({ ok: true });
    expect(verifyCsb({ ...params, _api_signature: csbSign('other', params) }, csb)).toEqual({ ok: false, reason: 'CSB网关：签名校验失败' });
  });

  it('without headers: fine unless required', () => {
    expect(verifyCsb({}, csb)).toEqual({ ok: true });
    expect(verifyCsb({}, { ...csb, required: true }).ok).toBe(false);
  });

  it('an unknown access key: accepted unless required', () => {
    const other = { ...params, _api_access_key: 'x' };
    expect(verifyCsb({ ...other, _api_signature: 'y' }, csb)).toEqual({ ok: true });
    expect(verifyCsb({ ...other, _api_signature: 'y' }, { ...csb, required: true }).ok).toBe(false);
  });
});
